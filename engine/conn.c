/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-connection state: what the engine keeps of each endpoint's segments
 * so that eno_conn_evaluate() can replay the handshake.  Fixed size.
 */
#include <string.h>

#include "conn_internal.h"
#include "eno/engine.h"

/* Non-SYN segments after the handshake after which nothing is judged. */
#define SETTLE_AFTER 32

size_t eno_conn_size(void)
{
    return sizeof(eno_conn);
}

void eno_conn_init(eno_conn *c)
{
    memset(c, 0, sizeof *c);
}

static void record(eno_seg_record *r, const eno_segment *s)
{
    memset(r, 0, sizeof *r);
    r->frame = s->frame;
    r->flags = s->flags;
    r->seq = s->seq;
    r->ack = s->ack;
    r->payload_len = s->payload_len;
    r->truncated = s->options_truncated;
    r->tfo_kind = s->tfo_kind;
    r->tfo_len = s->tfo_len;
    r->other_exid = s->other_exid;
    if (s->eno && s->eno_avail > 0) {
        /* Keep the option space from the option on (the decoder may look
         * at the ExID of a too-short experimental option); compare only
         * the option's own bytes. */
        size_t avail = s->eno_avail > ENO_OPT_MAX ? ENO_OPT_MAX : s->eno_avail;
        size_t n = avail < 4 ? avail : 4;
        if (avail >= 2 && s->eno[1] >= 2 && s->eno[1] <= avail)
            n = s->eno[1];
        memcpy(r->opt, s->eno, avail);
        r->opt_len = (uint8_t)n;
        r->opt_avail = (uint8_t)avail;
        r->eno_count = (uint8_t)(s->eno_count > 255 ? 255 : s->eno_count);
        if (r->eno_count == 0)
            r->eno_count = 1;
    }
}

/* The same ENO option, and as many of them: a second option in a SYN
 * segment changes what the receiver does with the first. */
bool enoi_record_same_option(const eno_seg_record *x, const eno_seg_record *y)
{
    return x->opt_len == y->opt_len && x->eno_count == y->eno_count &&
           memcmp(x->opt, y->opt, x->opt_len) == 0;
}

/* Handles a retransmitted SYN (same endpoint, same kind, same ISN). */
static void retransmission(eno_endpoint_state *ep, const eno_seg_record *orig,
                           const eno_seg_record *now, bool syn_only)
{
    /* Options cut by the snapshot length cannot be compared. */
    if (orig->truncated || now->truncated || enoi_record_same_option(orig, now))
        return;
    if (syn_only && now->opt_len == 0) {
        if (!ep->syn_dropped) {
            ep->syn_dropped = true;
            ep->syn_dropped_frame = now->frame;
        }
        return;
    }
    if (syn_only && !ep->syn_changed) {
        ep->syn_changed = true;
        ep->syn_change = *now;
    } else if (!syn_only && !ep->synack_changed) {
        ep->synack_changed = true;
        ep->synack_change = *now;
    }
}

static bool past_handshake(const eno_conn *c)
{
    return c->ep[0].nonsyn_seen || c->ep[1].nonsyn_seen || c->ep[0].fin_or_rst ||
           c->ep[1].fin_or_rst;
}

static void nonsyn_segment(eno_conn *c, eno_endpoint_state *ep, const eno_segment *s)
{
    if (!ep->nonsyn_seen) {
        ep->nonsyn_seen = true;
        record(&ep->nonsyn, s);
    }
    /* Options cut by the snapshot length are not judged. */
    if (s->eno && !s->options_truncated) {
        eno_option o;
        if (!ep->bad_nonsyn_frame && eno_option_decode(s->eno, s->eno_avail, false, &o) &&
            o.malformed) {
            ep->bad_nonsyn_frame = s->frame;
            ep->bad_nonsyn_avail = (uint8_t)(s->eno_avail > 255 ? 255 : s->eno_avail);
            ep->bad_nonsyn_len = (uint8_t)(s->eno_avail > sizeof ep->bad_nonsyn_opt
                                               ? sizeof ep->bad_nonsyn_opt
                                               : s->eno_avail);
            memcpy(ep->bad_nonsyn_opt, s->eno, ep->bad_nonsyn_len);
        }
    }
    if (s->payload_len > 0 && !ep->payload_seen) {
        ep->payload_seen = true;
        ep->payload_frame = s->frame;
        ep->payload_len = s->payload_len;
        size_t n = s->payload ? s->payload_caplen : 0;
        if (n > ENO_PAYLOAD_HEAD)
            n = ENO_PAYLOAD_HEAD;
        if (n > s->payload_len)
            n = s->payload_len;
        if (n)
            memcpy(ep->payload_head, s->payload, n);
        ep->payload_head_len = (uint8_t)n;
    }
    if (enoi_handshake_seen(c))
        c->after_handshake++;
}

eno_add_result eno_conn_add(eno_conn *c, const eno_segment *s)
{
    if (!c || !s || (s->dir != 0 && s->dir != 1))
        return ENO_ADD_IGNORED;
    eno_endpoint_state *ep = &c->ep[s->dir];
    bool syn = (s->flags & ENO_TCP_SYN) != 0;
    bool ack = (s->flags & ENO_TCP_ACK) != 0;
    eno_seg_record now;

    if (syn && !ack) {
        if (ep->syn_seen && s->seq != ep->syn.seq)
            return ENO_ADD_NEW_CONNECTION;
        if (!ep->syn_seen && (past_handshake(c) || ep->synack_seen))
            return ENO_ADD_NEW_CONNECTION;
        if (eno_conn_settled(c))
            return ENO_ADD_IGNORED;
        record(&now, s);
        if (ep->syn_seen) {
            retransmission(ep, &ep->syn, &now, true);
        } else {
            ep->syn_seen = true;
            ep->syn = now;
        }
    } else if (syn && ack) {
        if (eno_conn_settled(c))
            return ENO_ADD_IGNORED;
        record(&now, s);
        if (ep->synack_seen) {
            if (s->seq == ep->synack.seq)
                retransmission(ep, &ep->synack, &now, false);
            else
                return ENO_ADD_IGNORED;
        } else {
            ep->synack_seen = true;
            ep->synack = now;
        }
    } else {
        if (eno_conn_settled(c))
            return ENO_ADD_IGNORED;
        nonsyn_segment(c, ep, s);
    }
    if (s->flags & (ENO_TCP_FIN | ENO_TCP_RST))
        ep->fin_or_rst = true;
    if ((s->flags & ENO_TCP_RST) && !ep->rst_frame)
        ep->rst_frame = s->frame;
    if (s->options_truncated && !ep->truncated_frame)
        ep->truncated_frame = s->frame;
    c->segments++;
    return ENO_ADD_OK;
}

bool enoi_handshake_seen(const eno_conn *c)
{
    const eno_endpoint_state *e0 = &c->ep[0], *e1 = &c->ep[1];
    if (e0->syn_seen && e1->syn_seen)
        return e0->synack_seen && e1->synack_seen;
    return (e0->syn_seen && e1->synack_seen) || (e1->syn_seen && e0->synack_seen);
}

bool eno_conn_settled(const eno_conn *c)
{
    const eno_endpoint_state *e0 = &c->ep[0], *e1 = &c->ep[1];
    /* A reset ends the connection; a FIN only one direction: the peer may
     * still send its first payload, which is judged. */
    if (e0->rst_frame || e1->rst_frame || (e0->fin_or_rst && e1->fin_or_rst))
        return true;
    if (!enoi_handshake_seen(c))
        return false;
    if (c->after_handshake >= SETTLE_AFTER)
        return true;
    /* Neither SYN-form option carried ENO: nothing after the SYNs matters. */
    if (enoi_conn_no_eno_at_all(c) && (e0->nonsyn_seen || e1->nonsyn_seen))
        return true;
    return e0->nonsyn_seen && e1->nonsyn_seen && e0->payload_seen && e1->payload_seen;
}

void eno_negotiate(const eno_segment *segs, size_t n, eno_result *out)
{
    eno_conn c;
    eno_conn_init(&c);
    for (size_t i = 0; i < n; i++)
        eno_conn_add(&c, &segs[i]);
    eno_conn_evaluate(&c, out);
}
