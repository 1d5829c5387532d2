/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the option codec and the negotiation engine.
 *
 * The input is a sequence of segments, each encoded as
 *   [ctl] [seq] [ack] [paylen] [optlen] optlen bytes of TCP options, then
 *   min(paylen, 16) payload bytes
 * where ctl bit 7 is the direction and bits 0-5 the TCP flags.  The
 * options go through eno_segment_set_options as a front end would pass
 * them; every ENO option found is also decoded in both forms.
 */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The state is opaque: allocated once, reused by every input. */
    static eno_conn *c;
    if (!c && !(c = malloc(eno_conn_size())))
        abort();
    eno_result r;
    uint32_t frame = 0;
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
        data += optlen + head;
        size -= optlen + head;
    }
    eno_conn_evaluate(c, &r);
    check_result(&r);
    (void)eno_conn_settled(c);
    return 0;
}
