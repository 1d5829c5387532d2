/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Appending findings to a result; internal to the engine. */
#ifndef ENO_FINDINGS_H
#define ENO_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "eno/engine.h"

#if defined(__GNUC__)
#define ENO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ENO_PRINTF(a, b)
#endif

/* Adds a finding; frame2 (0: none) is a second frame involved. */
eno_finding *enoi_add_finding(eno_result *r, eno_rule_id rule, int dir, uint32_t frame,
                             uint32_t frame2, int offset, const char *fmt, ...)
    ENO_PRINTF(7, 8);

/* Bytes as "45 04 21 22", cut to fit cap. */
void enoi_hex(char *buf, size_t cap, const uint8_t *bytes, size_t n);

#endif
