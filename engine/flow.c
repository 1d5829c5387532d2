/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How segments become connections: the flow policy and the flow hash. */
#include "eno/flow.h"

/* The finaliser of SplitMix64: every input bit reaches every output bit. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

uint64_t eno_flow_hash(const uint64_t *words, size_t n, uint64_t seed)
{
    uint64_t h = seed;
    for (size_t i = 0; i < n; i++)
        h = mix64(h ^ words[i]) + UINT64_C(0x9e3779b97f4a7c15);
    return mix64(h);
}
