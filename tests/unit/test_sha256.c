// SPDX-License-Identifier: Apache-2.0
/*
 * lib/sha256.c against known digests: the FIPS 180-2 appendix examples ("abc", the 448-bit
 * message, a million 'a'), the empty message, and runs of 'a' around the padding boundaries
 * (55, 56, 63, 64, 65, 119, 120 bytes: where the length field does or does not fit in the
 * last block), and every length up to 300 of a non-uniform message.
 */
#include <stdlib.h>

#include <hv/sha256.h>

#include "unit.h"

static void hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[2 * SHA256_DIGEST_SIZE + 1])
{
    for (unsigned int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}

static void check_digest(const void *data, size_t len, const char *want)
{
    uint8_t d[SHA256_DIGEST_SIZE];
    char got[2 * SHA256_DIGEST_SIZE + 1];

    sha256(data, len, d);
    hex(d, got);
    CHECK_STR(got, want);
}

TEST(fips_examples)
{
    static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char *million = malloc(1000000);

    check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_digest(two_blocks, sizeof(two_blocks) - 1,
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    REQUIRE(million != NULL);
    memset(million, 'a', 1000000);
    check_digest(million, 1000000,
                 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

TEST(padding_boundaries)
{
    static const struct {
        size_t len;
        const char *digest;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char a[128];

    memset(a, 'a', sizeof(a));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check_digest(a, cases[i].len, cases[i].digest);
    }
}

/* Every length from 0 to 300 of a non-uniform message: the digests of all 301 prefixes,
 * concatenated, hash to what Python's hashlib gives for the same. */
TEST(every_tail_length)
{
    uint8_t data[300], digests[301][SHA256_DIGEST_SIZE];

    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 37 + 11);
    }
    for (size_t n = 0; n <= sizeof(data); n++) {
        sha256(data, n, digests[n]);
    }
    check_digest(digests, sizeof(digests),
                 "04fb0a96a55968fbda07295fecba14af486380896cc1d6946aa2da7478e5d0ba");
}
