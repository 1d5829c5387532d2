/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "helpers.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void t_init(t_hs *h)
{
    memset(h, 0, sizeof *h);
    h->isn[0] = 1000;
    h->isn[1] = 5000;
    h->next_seq[0] = h->isn[0];
    h->next_seq[1] = h->isn[1];
}

size_t t_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (*hex) {
        if (*hex == ' ') {
            hex++;
            continue;
        }
        unsigned v;
        g_assert_true(sscanf(hex, "%2x", &v) == 1);
        g_assert_cmpuint(n, <, cap);
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

eno_segment *t_add(t_hs *h, int dir, const char *flags, const char *eno, const char *payload,
                   uint32_t paylen)
{
    g_assert_cmpuint(h->n, <, T_MAX_SEGS);
    size_t i = h->n++;
    eno_segment *s = &h->seg[i];
    memset(s, 0, sizeof *s);
    s->frame = (uint32_t)i + 1;
    s->dir = dir;
    for (const char *f = flags; *f; f++) {
        switch (*f) {
        case 'S': s->flags |= ENO_TCP_SYN; break;
        case 'A': s->flags |= ENO_TCP_ACK; break;
        case 'F': s->flags |= ENO_TCP_FIN; break;
        case 'R': s->flags |= ENO_TCP_RST; break;
        case 'P': s->flags |= ENO_TCP_PSH; break;
        default: g_assert_not_reached();
        }
    }
    size_t pn = payload ? t_hex(payload, h->payload[i], sizeof h->payload[i]) : 0;
    s->payload = h->payload[i];
    s->payload_caplen = pn;
    s->payload_len = paylen > pn ? paylen : (uint32_t)pn;
    if (eno && *eno) {
        size_t on = t_hex(eno, h->opt[i], sizeof h->opt[i]);
        s->eno = h->opt[i];
        s->eno_avail = on;
        s->eno_count = 1;
    }
    bool syn = (s->flags & ENO_TCP_SYN) != 0;
    s->seq = syn ? h->isn[dir] : h->next_seq[dir];
    if (syn)
        h->next_seq[dir] = h->isn[dir] + 1 + s->payload_len;
    else
        h->next_seq[dir] += s->payload_len + ((s->flags & ENO_TCP_FIN) ? 1 : 0);
    if (syn && (s->flags & ENO_TCP_ACK)) {
        /* A conformant SYN-ACK acknowledges ISN+1 only: SYN data is
         * discarded.  Tests that need it acknowledged set ack. */
        h->next_seq[!dir] = h->isn[!dir] + 1;
    }
    if (s->flags & ENO_TCP_ACK)
        s->ack = h->next_seq[!dir];
    return s;
}

void t_build(t_hs *h, const t_seg *segs)
{
    for (const t_seg *g = segs; g->flags; g++) {
        eno_segment *s = t_add(h, g->dir, g->flags, g->opts ? NULL : g->eno, g->payload,
                               g->paylen);
        size_t i = h->n - 1;
        if (g->opts) {
            size_t on = t_hex(g->opts, h->opt[i], sizeof h->opt[i]);
            eno_segment_set_options(s, h->opt[i], on, g->truncated);
        }
        s->options_truncated = g->truncated;
        s->ack += (uint32_t)g->ack_delta;
        s->seq += (uint32_t)g->seq_delta;
    }
}

size_t t_len(const t_seg *segs)
{
    size_t n = 0;
    while (segs[n].flags)
        n++;
    return n;
}

const eno_finding *t_find(const eno_result *r, eno_rule_id rule)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].rule == rule)
            return &r->findings[i];
    return NULL;
}

const eno_finding *t_get(const eno_result *r, eno_rule_id rule)
{
    const eno_finding *f = t_find(r, rule);
    if (!f) {
        t_dump(r);
        g_error("no %s finding", eno_rule_get(rule)->id);
    }
    return f;
}

void t_run(const t_hs *h, eno_result *r)
{
    eno_negotiate(h->seg, h->n, r);
}

unsigned t_count(const eno_result *r, eno_rule_id rule)
{
    unsigned n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].rule == rule)
            n++;
    return n;
}

void t_dump(const eno_result *r)
{
    g_printerr("status %s reason %s tep %s0x%02x, %zu findings\n", eno_status_name(r->status),
               eno_reason_name(r->reason) ? eno_reason_name(r->reason) : "-",
               r->tep_valid ? "" : "(none) ", r->tep, r->n_findings);
    for (size_t i = 0; i < r->n_findings; i++)
        g_printerr("  %s [%s] frame %u: %s\n", eno_rule_get(r->findings[i].rule)->id,
                   eno_severity_name(r->findings[i].severity), r->findings[i].frames[0],
                   r->findings[i].message);
}

void t_run_segs(const t_seg *segs, eno_result *r)
{
    t_hs h;
    t_init(&h);
    t_build(&h, segs);
    t_run(&h, r);
}

void t_want(const eno_result *r, eno_status st, eno_reason why)
{
    if (r->status != st || r->reason != why)
        t_dump(r);
    g_assert_cmpstr(eno_status_name(r->status), ==, eno_status_name(st));
    g_assert_cmpint(r->reason, ==, why);
}

void t_want_findings(const eno_result *r, size_t n)
{
    if (r->n_findings != n)
        t_dump(r);
    g_assert_cmpuint(r->n_findings, ==, n);
}

const eno_finding *t_want_rule(const eno_result *r, eno_rule_id rule, uint32_t frame)
{
    const eno_finding *f = t_find(r, rule);
    if (!f || f->frames[0] != frame)
        t_dump(r);
    g_assert_nonnull(f);
    g_assert_cmpuint(f->frames[0], ==, frame);
    return f;
}

void t_check_result(const eno_result *r, uint32_t frames)
{
    g_assert_cmpuint(r->n_findings, <=, ENO_MAX_FINDINGS);
    g_assert_cmpuint(r->transcript_len, <=, ENO_TRANSCRIPT_MAX);
    g_assert_true(r->host_a >= -1 && r->host_a <= 1);
    g_assert_true(r->active >= -1 && r->active <= 1);
    g_assert_cmpint(r->status == ENO_STATUS_DISABLED, ==, r->reason != ENO_REASON_NONE);
    if (r->status == ENO_STATUS_ENCRYPTED) {
        g_assert_true(r->tep_valid);
        g_assert_cmpint(r->host_a, >=, 0);
    }
    g_assert_nonnull(r->detail);
    for (size_t i = 0; i < r->n_findings; i++) {
        const eno_finding *f = &r->findings[i];
        g_assert_nonnull(eno_rule_get(f->rule));
        g_assert_cmpuint(f->n_frames, >=, 1);
        g_assert_cmpuint(f->n_frames, <=, ENO_MAX_FINDING_FRAMES);
        for (unsigned k = 0; k < f->n_frames; k++)
            g_assert_true(f->frames[k] >= 1 && f->frames[k] <= frames);
        g_assert_true(f->dir >= -1 && f->dir <= 1);
        g_assert_true(f->offset >= -1 && f->offset < ENO_OPT_MAX);
        g_assert_cmpuint(strlen(f->message), >, 0);
        g_assert_cmpuint(strlen(f->message), <, ENO_MSG_MAX);
    }
}
