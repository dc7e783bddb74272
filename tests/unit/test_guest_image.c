// SPDX-License-Identifier: Apache-2.0
/* core/partition/guest_image.c against a hand-made table shaped like the one the build generates.
 */
#include <hv/guest_image.h>

#include "unit.h"

static const uint8_t ping[] = {1, 2, 3, 4};
static const uint8_t pong[] = {5, 6};

/* What guests/pack.sh emits, for a DTB naming two images. */
const struct guest_image guest_image_table[] = {
    {"guests/arm64/ping.bin", ping, sizeof(ping)},
    {"guests/arm64/pong.bin", pong, sizeof(pong)},
    {"guests/arm64/empty.bin", NULL, 0},
};
const size_t guest_image_count = ARRAY_SIZE(guest_image_table);

TEST(finds_by_exact_path)
{
    const struct guest_image *g = guest_image_find("guests/arm64/pong.bin");

    REQUIRE(g != NULL);
    CHECK(g == &guest_image_table[1]);
    CHECK_EQ(g->size, sizeof(pong));
    CHECK(g->data == pong);
    REQUIRE(guest_image_find("guests/arm64/ping.bin") != NULL);
    CHECK_EQ(guest_image_find("guests/arm64/ping.bin")->data[3], 4);
    CHECK_EQ(guest_image_find("guests/arm64/empty.bin")->size, 0);
}

TEST(unknown_paths_are_null)
{
    CHECK(guest_image_find(NULL) == NULL);
    CHECK(guest_image_find("") == NULL);
    CHECK(guest_image_find("guests/arm64/ping") == NULL);
    CHECK(guest_image_find("guests/arm64/ping.bin2") == NULL);
    CHECK(guest_image_find("./guests/arm64/ping.bin") == NULL);
    CHECK(guest_image_find("GUESTS/ARM64/PING.BIN") == NULL);
}
