/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Canonical 5-tuples and a well-mixed hash for them.  The hash is keyed
 * with a per-process random seed, so a capture crafted to collide cannot
 * turn the table into a list.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"

G_STATIC_ASSERT(sizeof(flow_key) == 40);

int flow_key_from_packet(const tcp_packet *p, flow_key *key)
{
    memset(key, 0, sizeof *key);
    key->family = p->family;
    int c = memcmp(p->src, p->dst, sizeof p->src);
    int sender = (c < 0 || (c == 0 && p->sport <= p->dport)) ? 0 : 1;
    memcpy(key->addr[sender], p->src, sizeof p->src);
    memcpy(key->addr[!sender], p->dst, sizeof p->dst);
    key->port[sender] = p->sport;
    key->port[!sender] = p->dport;
    return sender;
}

static guint64 seed(void)
{
    static gsize once;
    static guint64 value;
    if (g_once_init_enter(&once)) {
        value = (guint64)g_random_int() << 32 | g_random_int();
        g_once_init_leave(&once, 1);
    }
    return value;
}

/* The finaliser of SplitMix64: every input bit reaches every output bit. */
static guint64 mix64(guint64 x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

guint flow_key_hash(gconstpointer key)
{
    guint64 w[sizeof(flow_key) / 8];
    memcpy(w, key, sizeof w);
    guint64 h = seed();
    for (size_t i = 0; i < G_N_ELEMENTS(w); i++)
        h = mix64(h ^ w[i]) + UINT64_C(0x9e3779b97f4a7c15);
    h = mix64(h);
    return (guint)(h ^ (h >> 32));
}

gboolean flow_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(flow_key)) == 0;
}

void flow_key_endpoint(const flow_key *key, int side, char *buf, size_t cap)
{
    char addr[INET6_ADDRSTRLEN];
    if (key->family == 6) {
        inet_ntop(AF_INET6, key->addr[side], addr, sizeof addr);
        snprintf(buf, cap, "[%s]:%u", addr, key->port[side]);
    } else {
        inet_ntop(AF_INET, key->addr[side], addr, sizeof addr);
        snprintf(buf, cap, "%s:%u", addr, key->port[side]);
    }
}
