/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Appending findings to a result, with formatted messages. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "findings.h"

eno_finding *enoi_add_finding(eno_result *r, eno_rule_id rule, int dir, uint32_t frame,
                             uint32_t frame2, int offset, const char *fmt, ...)
{
    if (r->n_findings >= ENO_MAX_FINDINGS) {
        r->findings_dropped++;
        return NULL;
    }
    eno_finding *f = &r->findings[r->n_findings++];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->severity = eno_rule_severity(rule, r->profile);
    f->dir = dir;
    f->offset = offset;
    if (frame)
        f->frames[f->n_frames++] = frame;
    if (frame2 && frame2 != frame)
        f->frames[f->n_frames++] = frame2;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return f;
}

void enoi_hex(char *buf, size_t cap, const uint8_t *bytes, size_t n)
{
    size_t at = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < n && at + 4 <= cap; i++)
        at += (size_t)snprintf(buf + at, cap - at, i ? " %02x" : "%02x", bytes[i]);
}
