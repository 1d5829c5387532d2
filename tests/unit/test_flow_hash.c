/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine's flow hash: keyed, and well mixed. */
#include <string.h>

#include <glib.h>

#include "eno/flow.h"

#define WORDS 5
#define BUCKET_BITS 10
#define BUCKETS (1u << BUCKET_BITS)
#define N_KEYS 128

/* IPv6-like keys that differ only in the low address bits, as a flood from
 * one prefix would. */
static void key_for(uint64_t i, uint64_t *w)
{
    w[0] = 0x50000000ffffu;          /* ports, family, length */
    w[1] = UINT64_C(0x20010db800000000);
    w[2] = i;
    w[3] = UINT64_C(0x20010db800000001);
    w[4] = 0;
}

static unsigned bucket(const uint64_t *w, uint64_t seed)
{
    return (unsigned)(eno_flow_hash(w, WORDS, seed) & (BUCKETS - 1));
}

/* Keys found to fill one bucket under one seed, as an attacker who knew
 * the seed would craft them, spread over the buckets under another seed. */
static void test_hash_crafted_collisions_spread(void)
{
    const uint64_t seed_a = UINT64_C(0x0123456789abcdef), seed_b = UINT64_C(0xfedcba9876543210);
    static uint64_t keys[N_KEYS][WORDS];
    size_t n = 0;
    for (uint64_t i = 0; n < N_KEYS; i++) {
        g_assert_cmpuint(i, <, (uint64_t)N_KEYS * BUCKETS * 16);
        key_for(i, keys[n]);
        if (bucket(keys[n], seed_a) == 0)
            n++;
    }
    for (size_t k = 0; k < N_KEYS; k++)
        g_assert_cmpuint(bucket(keys[k], seed_a), ==, 0);
    static unsigned used[BUCKETS];
    memset(used, 0, sizeof used);
    unsigned distinct = 0, most = 0;
    for (size_t k = 0; k < N_KEYS; k++) {
        unsigned b = bucket(keys[k], seed_b);
        if (used[b]++ == 0)
            distinct++;
        if (used[b] > most)
            most = used[b];
    }
    /* 128 random keys in 1024 buckets: about 120 distinct buckets, rarely
     * more than 3 in one. */
    g_assert_cmpuint(distinct, >=, 100);
    g_assert_cmpuint(most, <=, 5);
}

/* Every word and every bit of it reaches the hash. */
static void test_hash_every_bit(void)
{
    uint64_t w[WORDS];
    key_for(7, w);
    uint64_t h = eno_flow_hash(w, WORDS, 1);
    for (int i = 0; i < WORDS; i++) {
        for (int bit = 0; bit < 64; bit++) {
            uint64_t v[WORDS];
            memcpy(v, w, sizeof v);
            v[i] ^= UINT64_C(1) << bit;
            g_assert_cmpuint(eno_flow_hash(v, WORDS, 1), !=, h);
        }
    }
    g_assert_cmpuint(eno_flow_hash(w, WORDS, 2), !=, h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/flow/hash/crafted-collisions-spread", test_hash_crafted_collisions_spread);
    g_test_add_func("/flow/hash/every-bit", test_hash_every_bit);
    return g_test_run();
}
