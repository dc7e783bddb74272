// SPDX-License-Identifier: Apache-2.0
/* core/guest_image.c: a staged copy verifies only while it matches the recorded SHA-256. */
#include <arch/mm.h>
#include <hv/errno.h>
#include <hv/guest_image.h>
#include <hv/sha256.h>

#include "unit.h"

#define STAGE 0x42000000u

static uint8_t staged[4096];

/* The staging area is the only host memory here. */
void *arch_phys_to_virt(hpa_t pa, size_t size)
{
    uint64_t a = hpa_val(pa);

    if (a < STAGE || size > sizeof(staged) || a - STAGE > sizeof(staged) - size) {
        return NULL;
    }
    return staged + (a - STAGE);
}

static struct hv_config_staged record(size_t size)
{
    struct hv_config_staged st = {hpa(STAGE), size, {0}};

    sha256(staged, size, st.sha256);
    return st;
}

TEST(verifies_and_describes_the_staged_copy)
{
    struct guest_image img = {0};
    struct hv_config_staged st;

    for (size_t i = 0; i < sizeof(staged); i++) {
        staged[i] = (uint8_t)(i * 7);
    }
    st = record(3000);
    REQUIRE(guest_image_get("guests/a.bin", &st, &img, true) == 0);
    CHECK(img.data == staged);
    CHECK_EQ(img.size, 3000);
    CHECK_STR(img.path, "guests/a.bin");
}

TEST(one_changed_byte_or_wrong_size_is_refused)
{
    struct guest_image img = {0};
    struct hv_config_staged st;

    st = record(3000);
    staged[2999] ^= 0x80;
    CHECK_EQ(guest_image_get("guests/a.bin", &st, &img, true), -EBADMSG);
    CHECK_EQ(guest_image_get("guests/a.bin", &st, &img, false), 0); /* located, not checked */
    staged[2999] ^= 0x80;
    CHECK_EQ(guest_image_get("guests/a.bin", &st, &img, true), 0);
    st.size = 2999; /* a size that is not the one hashed */
    CHECK_EQ(guest_image_get("guests/a.bin", &st, &img, true), -EBADMSG);
    st.size = 0; /* never staged */
    CHECK_EQ(guest_image_get("guests/a.bin", &st, &img, true), -ENOENT);
    st = record(3000);
    st.base = hpa(0x7000000000ull); /* nothing there */
    CHECK_EQ(guest_image_get("guests/a.bin", &st, &img, true), -EFAULT);
}
