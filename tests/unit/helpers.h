/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building handshakes for the engine's unit tests. */
#ifndef ENO_TEST_HELPERS_H
#define ENO_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eno/eno.h"

#define T_MAX_SEGS 32

/* Payloads: tcpcrypt's opening messages and plain text. */
#define INIT1 "15 10 1a 0e 00 00 00 20"
#define INIT2 "09 71 05 e0 00 00 00 20"
#define PLAIN "47 45 54 20 2f 20 48 54"

/* t_seg table entries: a segment, one with payload, the end mark. */
#define SEG(d, fl, e) {.dir = (d), .flags = (fl), .eno = (e)}
#define PAY(d, fl, e, p, n) {.dir = (d), .flags = (fl), .eno = (e), .payload = (p), .paylen = (n)}
#define END {.flags = NULL}

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

/* One segment of a table-driven handshake (see t_build).  A table ends
 * with an entry whose flags is NULL. */
typedef struct {
    int dir;
    const char *flags;      /* as for t_add */
    const char *eno;        /* the ENO option alone, or NULL/"" for none */
    const char *payload;    /* hex, or NULL */
    uint32_t paylen;        /* as for t_add */
    const char *opts;       /* a whole TCP option list instead of eno, scanned
                               with eno_segment_set_options */
    bool truncated;         /* the snapshot length cut the options */
    int32_t ack_delta;      /* added to the computed ack number */
    int32_t seq_delta;      /* added to the computed sequence number */
} t_seg;

/* Appends the segments of a table to h. */
void t_build(t_hs *h, const t_seg *segs);
/* Number of entries of a table. */
size_t t_len(const t_seg *segs);

/* Builds a table's handshake and evaluates it. */
void t_run_segs(const t_seg *segs, eno_result *r);
/* Asserts the status and reason (dumping r when they differ). */
void t_want(const eno_result *r, eno_status st, eno_reason why);
/* Asserts the number of findings. */
void t_want_findings(const eno_result *r, size_t n);
/* Asserts a finding of rule whose first frame is frame; returns it. */
const eno_finding *t_want_rule(const eno_result *r, eno_rule_id rule, uint32_t frame);
/* Asserts that a result is well formed: findings, frames up to frames,
 * offsets, status and reason consistent. */
void t_check_result(const eno_result *r, uint32_t frames);

/* Number of findings of a rule in r. */
unsigned t_count(const eno_result *r, eno_rule_id rule);
/* First finding of a rule in r, or NULL. */
const eno_finding *t_find(const eno_result *r, eno_rule_id rule);
/* First finding of a rule in r, which must have one. */
__attribute__((returns_nonnull)) const eno_finding *t_get(const eno_result *r,
                                                          eno_rule_id rule);
/* Prints r's findings (for failing tests). */
void t_dump(const eno_result *r);

#endif
