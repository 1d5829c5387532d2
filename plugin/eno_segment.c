/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a TCP header straight from the tvb the TCP dissector is given,
 * so that the analysis needs nothing from TCP's protocol tree (asking for
 * tree fields makes Wireshark build a tree for every packet).  The bytes
 * become a segment as in the analyzer, through the engine's codec.
 */
#include "eno_conn.h"

static gboolean parse_header(tvbuff_t *tvb, guint32 frame, eno_tcp_seg *out)
{
    guint cap = tvb_captured_length(tvb);
    if (cap < ENO_TCP_MIN_HEADER)
        return FALSE;
    const guint8 *p = tvb_get_ptr(tvb, 0, cap);
    if (eno_tcp_parse_header(p, cap, tvb_reported_length(tvb), &out->h, &out->seg) != ENO_TCP_OK)
        return FALSE;
    out->seg.frame = frame;
    out->eno_offset = -1;
    return TRUE;
}

gboolean eno_tcp_read_header(tvbuff_t *tvb, packet_info *pinfo, eno_tcp_seg *out)
{
    /* As TCP: no segment length for a fragment or an ICMP-quoted header. */
    if (pinfo->fragmented || pinfo->flags.in_error_pkt)
        return FALSE;
    return parse_header(tvb, pinfo->num, out);
}

void eno_tcp_read_options(eno_tcp_seg *s)
{
    eno_tcp_parse_options(&s->h, &s->seg);
    s->eno_offset = s->seg.eno ? (gint)(s->seg.eno - s->h.bytes) : -1;
}

gint eno_tcp_eno_offset(tvbuff_t *tvb)
{
    eno_tcp_seg s;
    if (!parse_header(tvb, 0, &s))
        return -1;
    eno_tcp_read_options(&s);
    return s.eno_offset;
}
