/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The canonical 5-tuple that keys the connection table, and its hash. */
#ifndef ENOSCOPE_FLOW_H
#define ENOSCOPE_FLOW_H

#include <stdint.h>

#include <glib.h>

#include "decode.h"

/* Both endpoints, the lower (address, port) first; protocol is always TCP.
 * Fully initialised, padding included, so it can be hashed and compared
 * as bytes. */
typedef struct {
    uint8_t addr[2][16];
    uint16_t port[2];
    uint8_t family;
    uint8_t pad[3];
} flow_key;

/* Fills key from a packet; returns the key side (0 or 1) of the sender. */
int flow_key_from_packet(const tcp_packet *p, flow_key *key);

/* GHashTable callbacks. */
guint flow_key_hash(gconstpointer key);
gboolean flow_key_equal(gconstpointer a, gconstpointer b);

/* "192.0.2.1:80" or "[2001:db8::1]:80" for one side of the key. */
void flow_key_endpoint(const flow_key *key, int side, char *buf, size_t cap);

#endif
