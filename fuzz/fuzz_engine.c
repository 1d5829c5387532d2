/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the option codec and the negotiation engine.
 *
 * The input is a sequence of segments, each encoded as
 *   [ctl] [seq] [ack] [paylen] [optlen] optlen bytes of TCP options, then
 *   min(paylen, 16) payload bytes
 * where ctl bit 7 is the direction and bits 0-5 the TCP flags.  The
 * options go through eno_segment_set_options as a front end would pass
 * them; every ENO option found is also decoded in both forms.  After each
 * segment, a connection that has a compact form (eno_conn_pack) must come
 * back from it evaluating the same; the input itself, taken as a compact
 * form, must be refused or give a state that evaluates soundly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eno/eno.h"

static void check_option(const uint8_t *p, size_t avail, bool syn)
{
    eno_option o;
    if (!eno_option_decode(p, avail, syn, &o))
        return;
    if (o.n_subopts > ENO_MAX_SUBOPTS || o.n_issues > ENO_MAX_ISSUES)
        abort();
    for (size_t i = 0; i < o.n_subopts; i++) {
        const eno_subopt *s = &o.subopts[i];
        if ((size_t)s->offset + s->size > o.len || s->size == 0)
            abort();
        if (s->data_len && (size_t)s->data_offset + s->data_len > o.len)
            abort();
    }
    for (size_t i = 0; i < o.n_issues; i++)
        if (eno_rule_get(o.issues[i].rule) == NULL)
            abort();
}

static void check_result(const eno_result *r)
{
    if (r->n_findings > ENO_MAX_FINDINGS || r->transcript_len > ENO_TRANSCRIPT_MAX)
        abort();
    for (size_t i = 0; i < r->n_findings; i++) {
        const eno_finding *f = &r->findings[i];
        if (!eno_rule_get(f->rule) || f->n_frames == 0 || f->n_frames > ENO_MAX_FINDING_FRAMES ||
            memchr(f->message, '\0', sizeof f->message) == NULL || f->message[0] == '\0')
            abort();
    }
    if (r->status == ENO_STATUS_ENCRYPTED && !r->tep_valid)
        abort();
    if (r->reason != ENO_REASON_NONE && r->status != ENO_STATUS_DISABLED)
        abort();
}

static bool same_findings(const eno_result *a, const eno_result *b)
{
    if (a->n_findings != b->n_findings)
        return false;
    for (size_t i = 0; i < a->n_findings; i++) {
        const eno_finding *x = &a->findings[i], *y = &b->findings[i];
        if (x->rule != y->rule || x->severity != y->severity || x->dir != y->dir ||
            x->offset != y->offset || x->n_frames != y->n_frames ||
            memcmp(x->frames, y->frames, x->n_frames * sizeof x->frames[0]) != 0 ||
            strcmp(x->message, y->message) != 0)
            return false;
    }
    return true;
}

/* Results are large: kept here, not on the stack. */
static eno_result packed_a, packed_b;

static void check_pack(const eno_conn *c, eno_conn *copy)
{
    uint8_t buf[ENO_CONN_PACK_MAX];
    size_t n = eno_conn_pack(c, buf, sizeof buf);
    if (!n)
        return;
    if (n > sizeof buf || !eno_conn_unpack(copy, buf, n))
        abort();
    eno_conn_evaluate(c, &packed_a);
    eno_conn_evaluate(copy, &packed_b);
    /* The outcome part of the result is cleared before it is filled. */
    if (memcmp(&packed_a, &packed_b, offsetof(eno_result, findings)) != 0 ||
        !same_findings(&packed_a, &packed_b))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The state is opaque: allocated once, reused by every input. */
    static eno_conn *c, *copy;
    if (!c && !(c = malloc(eno_conn_size())))
        abort();
    if (!copy && !(copy = malloc(eno_conn_size())))
        abort();
    eno_result r;
    uint32_t frame = 0;
    if (size <= ENO_CONN_PACK_MAX && eno_conn_unpack(copy, data, size)) {
        eno_conn_evaluate(copy, &r);
        check_result(&r);
    }
    eno_conn_init(c);
    while (size >= 5) {
        uint8_t ctl = data[0];
        size_t optlen = data[4];
        uint32_t paylen = data[3];
        data += 5;
        size -= 5;
        if (optlen > size)
            optlen = size;
        size_t head = paylen < ENO_PAYLOAD_HEAD ? paylen : ENO_PAYLOAD_HEAD;
        if (head > size - optlen)
            head = size - optlen;

        eno_segment seg;
        memset(&seg, 0, sizeof seg);
        seg.frame = ++frame;
        seg.dir = ctl >> 7;
        seg.flags = ctl & 0x3f;
        seg.seq = (uint32_t)data[-4] << 8;
        seg.ack = (uint32_t)data[-3] << 8;
        seg.payload_len = paylen;
        seg.payload = data + optlen;
        seg.payload_caplen = head;
        eno_segment_set_options(&seg, data, optlen, (ctl & 0x40) != 0);
        if (seg.eno) {
            check_option(seg.eno, seg.eno_avail, true);
            check_option(seg.eno, seg.eno_avail, false);
        }
        if (eno_conn_add(c, &seg) == ENO_ADD_NEW_CONNECTION) {
            eno_conn_evaluate(c, &r);
            check_result(&r);
            eno_conn_init(c);
            eno_conn_add(c, &seg);
        }
        check_pack(c, copy);
        data += optlen + head;
        size -= optlen + head;
    }
    eno_conn_evaluate(c, &r);
    check_result(&r);
    (void)eno_conn_settled(c);
    return 0;
}
