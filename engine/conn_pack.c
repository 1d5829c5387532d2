/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The compact form of a connection that has taken one SYN or SYN-ACK.
 * Such a connection's state is that segment's record and a few marks that
 * follow from it; a front end tracking a SYN flood keeps most of its
 * connections in this state, so it stores these bytes instead of a whole
 * eno_conn.
 *
 * Layout: a head byte (PK_* bits), the frame, the flags, the sequence
 * number, then only the fields that are not zero, in the order of the
 * PK_* bits.  Numbers are little-endian.  The option block is its length
 * byte (the option space left, PK_COUNT set when the segment did not carry
 * exactly one ENO option, then a count byte follows) and the bytes; the
 * option's own length is what record() derives from them.  A SYN without
 * ENO takes 10 bytes, one with kind 69 and two TEPs 15.
 */
#include <string.h>

#include "conn_internal.h"
#include "eno/engine.h"

#define PK_DIR 0x01           /* the segment came from endpoint 1 */
#define PK_SYNACK 0x02        /* a SYN-ACK, else a SYN-only */
#define PK_TRUNC 0x04         /* its options were cut */
#define PK_ACK 0x08           /* ack number follows */
#define PK_PAYLOAD 0x10       /* payload length follows */
#define PK_TFO 0x20           /* TFO kind and length follow */
#define PK_EXID 0x40          /* other_exid follows */
#define PK_OPT 0x80           /* the option block */
#define PK_COUNT 0x80         /* in the option block's length byte */

/* The bytes of the option record() compares, from the option space. */
static uint8_t option_len(const uint8_t *opt, uint8_t avail)
{
    uint8_t n = avail < 4 ? avail : 4;
    if (avail >= 2 && opt[1] >= 2 && opt[1] <= avail)
        n = opt[1];
    return n;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The endpoint marks that a first segment with these flags leaves. */
static void first_marks(eno_endpoint_state *ep, const eno_seg_record *r)
{
    ep->fin_or_rst = (r->flags & (ENO_TCP_FIN | ENO_TCP_RST)) != 0;
    ep->rst_frame = (r->flags & ENO_TCP_RST) ? r->frame : 0;
    ep->truncated_frame = r->truncated ? r->frame : 0;
}

size_t eno_conn_pack(const eno_conn *c, uint8_t *buf, size_t cap)
{
    if (!c || c->segments != 1 || c->after_handshake != 0)
        return 0;
    /* One segment taken: exactly one endpoint saw exactly one SYN form. */
    int dir = c->ep[1].syn_seen || c->ep[1].synack_seen;
    const eno_endpoint_state *ep = &c->ep[dir];
    if (ep->syn_seen == ep->synack_seen || ep->nonsyn_seen || c->ep[!dir].syn_seen ||
        c->ep[!dir].synack_seen || c->ep[!dir].nonsyn_seen)
        return 0;
    const eno_seg_record *r = ep->synack_seen ? &ep->synack : &ep->syn;
    /* Frame 0 is no frame (front ends number from 1): such a state stays
     * whole, and unpack refuses it, as damaged bytes. */
    if (r->frame == 0 || r->opt_avail > ENO_OPT_MAX ||
        r->opt_len != option_len(r->opt, r->opt_avail) ||
        (r->opt_avail && r->eno_count == 0) || (!r->opt_avail && (r->eno_count || r->opt_len)))
        return 0;
    uint8_t head = (uint8_t)((dir ? PK_DIR : 0) | (ep->synack_seen ? PK_SYNACK : 0) |
                             (r->truncated ? PK_TRUNC : 0) | (r->ack ? PK_ACK : 0) |
                             (r->payload_len ? PK_PAYLOAD : 0) |
                             (r->tfo_kind || r->tfo_len ? PK_TFO : 0) |
                             (r->other_exid ? PK_EXID : 0) | (r->opt_avail ? PK_OPT : 0));
    size_t need = 1 + 4 + 1 + 4 + (head & PK_ACK ? 4 : 0) + (head & PK_PAYLOAD ? 4 : 0) +
                  (head & PK_TFO ? 2 : 0) + (head & PK_EXID ? 2 : 0) +
                  (head & PK_OPT ? 1u + (r->eno_count != 1) + r->opt_avail : 0);
    if (!buf || need > cap)
        return 0;
    uint8_t *p = buf;
    *p++ = head;
    p = put32(p, r->frame);
    *p++ = r->flags;
    p = put32(p, r->seq);
    if (head & PK_ACK)
        p = put32(p, r->ack);
    if (head & PK_PAYLOAD)
        p = put32(p, r->payload_len);
    if (head & PK_TFO) {
        *p++ = r->tfo_kind;
        *p++ = r->tfo_len;
    }
    if (head & PK_EXID) {
        *p++ = (uint8_t)r->other_exid;
        *p++ = (uint8_t)(r->other_exid >> 8);
    }
    if (head & PK_OPT) {
        *p++ = (uint8_t)(r->opt_avail | (r->eno_count != 1 ? PK_COUNT : 0));
        if (r->eno_count != 1)
            *p++ = r->eno_count;
        memcpy(p, r->opt, r->opt_avail);
        p += r->opt_avail;
    }
    return (size_t)(p - buf);
}

bool eno_conn_unpack(eno_conn *c, const uint8_t *buf, size_t len)
{
    /* Checked to the last byte: the bytes may come from storage the front
     * end could not keep intact. */
    const uint8_t *p = buf, *end = buf + len;
    if (!c || !buf || len < 10)
        return false;
    uint8_t head = *p++;
    eno_conn_init(c);
    eno_endpoint_state *ep = &c->ep[head & PK_DIR ? 1 : 0];
    eno_seg_record *r = head & PK_SYNACK ? &ep->synack : &ep->syn;
    r->frame = get32(p);
    p += 4;
    r->flags = *p++;
    r->seq = get32(p);
    p += 4;
    r->truncated = (head & PK_TRUNC) != 0;
    /* What pack writes: a numbered frame, and a SYN-only or a SYN-ACK as
     * the head says. */
    if (r->frame == 0 || !(r->flags & ENO_TCP_SYN) ||
        ((r->flags & ENO_TCP_ACK) != 0) != ((head & PK_SYNACK) != 0))
        return false;
    if (head & PK_ACK) {
        if (end - p < 4)
            return false;
        r->ack = get32(p);
        p += 4;
    }
    if (head & PK_PAYLOAD) {
        if (end - p < 4)
            return false;
        r->payload_len = get32(p);
        p += 4;
    }
    if (head & PK_TFO) {
        if (end - p < 2)
            return false;
        r->tfo_kind = p[0];
        r->tfo_len = p[1];
        p += 2;
    }
    if (head & PK_EXID) {
        if (end - p < 2)
            return false;
        r->other_exid = (uint16_t)(p[0] | p[1] << 8);
        p += 2;
    }
    if (head & PK_OPT) {
        if (end - p < 1)
            return false;
        uint8_t avail = *p & (uint8_t)~PK_COUNT, count = 1;
        if (*p++ & PK_COUNT) {
            if (end - p < 1)
                return false;
            count = *p++;
        }
        if (avail == 0 || avail > ENO_OPT_MAX || count == 0 || end - p < avail)
            return false;
        memcpy(r->opt, p, avail);
        r->opt_avail = avail;
        r->eno_count = count;
        r->opt_len = option_len(r->opt, avail);
        p += avail;
    }
    if (p != end)
        return false;
    if (head & PK_SYNACK)
        ep->synack_seen = true;
    else
        ep->syn_seen = true;
    first_marks(ep, r);
    c->segments = 1;
    return true;
}
