/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The canonical 5-tuple that keys the connection table, and its hash. */
#ifndef ENOSCOPE_FLOW_H
#define ENOSCOPE_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "eno/flow.h"

#include "decode.h"

/* Both endpoints, the lower (address, port) first; protocol is always TCP;
 * and the tunnel the segments came in (equal inner addresses in two
 * tunnels are two connections).  Fully initialised, padding included, so
 * it can be hashed and compared as bytes. */
typedef struct {
    _Alignas(8) uint8_t addr[2][16]; /* 8-aligned: read word by word */
    uint16_t port[2];
    uint8_t family;
    uint8_t tunnel;                  /* tunnel_kind */
    uint8_t tunnel_has_id;
    uint8_t pad;
    uint32_t tunnel_id;
    uint32_t pad2;
} flow_key;

/* Fills key from a packet; returns the key side (0 or 1) of the sender. */
int flow_key_from_packet(const tcp_packet *p, flow_key *key);

/* The per-process random seed of the keyed hash. */
guint64 flow_key_seed(void);

/* The engine's keyed flow hash of the key's words. */
static inline uint64_t flow_key_hash64(const flow_key *key, uint64_t seed)
{
    uint64_t w[sizeof(flow_key) / 8];
    memcpy(w, key, sizeof w);
    return eno_flow_hash(w, sizeof w / sizeof *w, seed);
}

/* GHashTable callbacks (keyed with flow_key_seed). */
guint flow_key_hash(gconstpointer key);
gboolean flow_key_equal(gconstpointer a, gconstpointer b);

/* A cheap, unkeyed hash for the tracker's cache of recent entries: a
 * crafted capture can make it collide, which only sends look-ups on to the
 * table and its keyed hash.  Its high bits are the well-mixed ones: the
 * fold before the multiplication lets every input bit reach them (a
 * product's low bits never see its factors' high bits: without the fold,
 * clients whose keys differed only there shared a slot and kept evicting
 * each other). */
static inline guint flow_key_quick_hash(const flow_key *k)
{
    uint64_t w[sizeof(flow_key) / 8];
    memcpy(w, k, sizeof w);
    uint64_t x = w[0] ^ (w[1] << 7 | w[1] >> 57) ^ (w[2] << 19 | w[2] >> 45) ^
                 (w[3] << 37 | w[3] >> 27) ^ (w[4] << 51 | w[4] >> 13) ^
                 (w[5] << 29 | w[5] >> 35);
    x ^= x >> 32;
    x *= UINT64_C(0x9e3779b97f4a7c15);
    return (guint)(x >> 32);
}

/* flow_key_equal for the tracker's own look-ups: inline, word by word
 * (memcpy, not a cast: the key's bytes are not uint64_t objects). */
static inline bool flow_key_same(const flow_key *a, const flow_key *b)
{
    uint64_t x[sizeof(flow_key) / 8], y[sizeof(flow_key) / 8];
    memcpy(x, a, sizeof x);
    memcpy(y, b, sizeof y);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) | (x[4] ^ y[4]) |
            (x[5] ^ y[5])) == 0;
}

/* "192.0.2.1:80" or "[2001:db8::1]:80" for one side of the key. */
void flow_key_endpoint(const flow_key *key, int side, char *buf, size_t cap);

/* The key's tunnel ("VXLAN VNI 42"), or "" when none. */
void flow_key_tunnel(const flow_key *key, char *buf, size_t cap);

#endif
