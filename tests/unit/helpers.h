/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building handshakes for the engine's unit tests. */
#ifndef ENO_TEST_HELPERS_H
#define ENO_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "eno/eno.h"

#define T_MAX_SEGS 32

/* A handshake under construction: segments with their own byte storage. */
typedef struct {
    eno_segment seg[T_MAX_SEGS];
    uint8_t opt[T_MAX_SEGS][64];
    uint8_t payload[T_MAX_SEGS][64];
    size_t n;
    uint32_t isn[2];
    uint32_t next_seq[2];
} t_hs;

void t_init(t_hs *h);
/* Appends a segment from endpoint dir.  flags: a string of S, A, F, R, P.
 * eno: hex bytes of the whole ENO option ("45 04 21 22"), "" for none.
 * payload: hex bytes, or NULL for none; paylen overrides its length when
 * larger (payload bytes beyond the hex are zero).  Sequence and ack
 * numbers follow a normal exchange; returns the segment to adjust. */
eno_segment *t_add(t_hs *h, int dir, const char *flags, const char *eno, const char *payload,
                   uint32_t paylen);
/* Hex to bytes; returns the count.  Aborts on bad input. */
size_t t_hex(const char *hex, uint8_t *out, size_t cap);
void t_run(const t_hs *h, eno_result *r);

/* Number of findings of a rule in r. */
unsigned t_count(const eno_result *r, eno_rule_id rule);
/* Prints r's findings (for failing tests). */
void t_dump(const eno_result *r);

#endif
