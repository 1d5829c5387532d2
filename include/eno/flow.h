/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How segments become connections, for the front ends' connection tables.
 * The tables themselves (their storage, recency, expiry and caps) stay in
 * the front ends; the policy and the hash that keys them live here, so
 * that the analyzer and the plugin agree.
 */
#ifndef ENO_FLOW_H
#define ENO_FLOW_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A keyed hash of a flow key of n 64-bit words.  Each front end picks the
 * seed at random once per process: a capture crafted so that its flows
 * collide under one seed does not collide under another, so it cannot
 * turn a table into a list.  Every input bit reaches every output bit. */
uint64_t eno_flow_hash(const uint64_t *words, size_t n, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
