/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a TCP header straight from the tvb the TCP dissector is given,
 * so that the analysis needs nothing from TCP's protocol tree (asking for
 * tree fields makes Wireshark build a tree for every packet).
 */
#include <string.h>

#include <wsutil/pint.h>

#include "eno_conn.h"

#define TCP_MIN_HEADER 20

static gboolean parse_header(tvbuff_t *tvb, guint32 frame, eno_tcp_seg *out)
{
    if (tvb_captured_length(tvb) < TCP_MIN_HEADER)
        return FALSE;
    const guint8 *h = tvb_get_ptr(tvb, 0, TCP_MIN_HEADER);
    guint hlen = (guint)(h[12] >> 4) * 4;
    guint reported = tvb_reported_length(tvb);
    if (hlen < TCP_MIN_HEADER || reported < hlen)
        return FALSE;

    memset(out, 0, sizeof *out);
    out->sport = pntohu16(h);
    out->dport = pntohu16(h + 2);
    out->hlen = hlen;
    eno_segment *s = &out->seg;
    s->frame = frame;
    s->seq = pntohu32(h + 4);
    s->ack = pntohu32(h + 8);
    s->flags = h[13] & (ENO_TCP_FIN | ENO_TCP_SYN | ENO_TCP_RST | ENO_TCP_PSH | ENO_TCP_ACK);
    s->payload_len = reported - hlen;
    return TRUE;
}

gboolean eno_tcp_read_header(tvbuff_t *tvb, packet_info *pinfo, eno_tcp_seg *out)
{
    /* As TCP: no segment length for a fragment or an ICMP-quoted header. */
    if (pinfo->fragmented || pinfo->flags.in_error_pkt)
        return FALSE;
    return parse_header(tvb, pinfo->num, out);
}

void eno_tcp_read_options(tvbuff_t *tvb, eno_tcp_seg *out)
{
    eno_segment *s = &out->seg;
    guint cap = tvb_captured_length(tvb);
    guint optlen = out->hlen - TCP_MIN_HEADER;
    guint optcap = cap - TCP_MIN_HEADER < optlen ? cap - TCP_MIN_HEADER : optlen;
    const guint8 *opts = optcap ? tvb_get_ptr(tvb, TCP_MIN_HEADER, optcap) : NULL;
    eno_segment_set_options(s, opts, optcap, optcap < optlen);
    out->eno_offset = s->eno ? TCP_MIN_HEADER + (gint)(s->eno - opts) : -1;

    if (s->payload_len && cap > out->hlen) {
        guint n = cap - out->hlen;
        if (n > s->payload_len)
            n = s->payload_len;
        if (n > ENO_PAYLOAD_HEAD)
            n = ENO_PAYLOAD_HEAD;
        s->payload = tvb_get_ptr(tvb, (gint)out->hlen, n);
        s->payload_caplen = n;
    }
}

gint eno_tcp_eno_offset(tvbuff_t *tvb)
{
    eno_tcp_seg s;
    if (!parse_header(tvb, 0, &s))
        return -1;
    eno_tcp_read_options(tvb, &s);
    return s.eno_offset;
}
