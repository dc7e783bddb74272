// SPDX-License-Identifier: Apache-2.0
/*
 * SHA-256 as FIPS 180-4 defines it: the message schedule (6.2.2 step 1), the 64 rounds with
 * the constants K (4.2.2) and the functions Ch, Maj, Σ0, Σ1, σ0, σ1 (4.1.2), big-endian
 * words (3.1), padding with a 1 bit, zeros and the 64-bit bit length (5.1.1).
 */
#include <hv/sha256.h>
#include <hv/string.h>

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u,
};

static uint32_t ror32(uint32_t x, unsigned int n)
{
    return (x >> n) | (x << (32u - n));
}

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* One 512-bit block (6.2.2): schedule W, 64 rounds, add into the state. */
static void sha256_block(uint32_t state[8], const uint8_t *block)
{
    uint32_t w[64], a, b, c, d, e, f, g, h;

    for (unsigned int t = 0; t < 16; t++) {
        w[t] = load_be32(block + 4 * t);
    }
    for (unsigned int t = 16; t < 64; t++) {
        uint32_t s0 = ror32(w[t - 15], 7) ^ ror32(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = ror32(w[t - 2], 17) ^ ror32(w[t - 2], 19) ^ (w[t - 2] >> 10);

        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    a = state[0], b = state[1], c = state[2], d = state[3];
    e = state[4], f = state[5], g = state[6], h = state[7];
    for (unsigned int t = 0; t < 64; t++) {
        uint32_t big_s1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + big_s1 + ch + sha256_k[t] + w[t];
        uint32_t big_s0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = big_s0 + maj;

        h = g, g = f, f = e, e = d + t1;
        d = c, c = b, b = a, a = t1 + t2;
    }
    state[0] += a, state[1] += b, state[2] += c, state[3] += d;
    state[4] += e, state[5] += f, state[6] += g, state[7] += h;
}

void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE])
{
    /* 5.3.3: the first 32 bits of the fractional parts of the square roots of 2..19. */
    uint32_t state[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                         0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    const uint8_t *in = data;
    uint64_t bits = (uint64_t)len * 8;
    uint8_t tail[2 * SHA256_BLOCK_SIZE] = {0};
    /* 5.1.1: the last bytes, a 1 bit, zeros to 448 mod 512, then the length in bits,
     * big-endian: one block when the length still fits after the 1 bit, else two. */
    size_t tail_len =
        len % SHA256_BLOCK_SIZE < SHA256_BLOCK_SIZE - 8 ? SHA256_BLOCK_SIZE : 2 * SHA256_BLOCK_SIZE;

    /* Whole blocks straight from the input: no copy for the bulk of a large image. */
    for (; len >= SHA256_BLOCK_SIZE; in += SHA256_BLOCK_SIZE, len -= SHA256_BLOCK_SIZE) {
        sha256_block(state, in);
    }
    memcpy(tail, in, len);
    tail[len] = 0x80;
    store_be32(tail + tail_len - 8, (uint32_t)(bits >> 32));
    store_be32(tail + tail_len - 4, (uint32_t)bits);
    for (size_t off = 0; off < tail_len; off += SHA256_BLOCK_SIZE) {
        sha256_block(state, tail + off);
    }
    for (unsigned int j = 0; j < 8; j++) {
        store_be32(digest + 4 * j, state[j]);
    }
}
