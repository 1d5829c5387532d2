/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoding captured frames: Ethernet (with 802.1Q/802.1ad tags), Linux
 * cooked SLL and SLL2, raw IP, BSD loopback; IPv4 with options, IPv6 with
 * extension headers; the TCP header.  Other link types and tunnels are in
 * decap.c.  Every read is bounds-checked against
 * the captured length; what the snapshot length cut is told apart from
 * headers that contradict the packet's own length.
 */
#include <string.h>

#include <pcap/dlt.h>

#include "decode.h"
#include "decode_layers.h"
#include "eno/engine.h"

#define MAX_VLAN_TAGS 8

bool decode_link_supported(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_NULL:
    case DLT_LOOP:
        return true;
    default:
        return decap_link_supported(dlt);
    }
}

decode_status decode_tcp(span s, size_t seg_len, tcp_packet *out)
{
    switch (eno_tcp_parse_header(s.p, s.cap, seg_len, &out->tcp, &out->seg)) {
    case ENO_TCP_OK: return DECODE_TCP;
    case ENO_TCP_SHORT: return short_header(s, ENO_TCP_MIN_HEADER);
    case ENO_TCP_BAD_LENGTH: break;
    }
    return DECODE_MALFORMED;
}

/* decode_ipv4, inline in decode_packet's path for Ethernet frames. */
static inline decode_status ipv4(span s, tcp_packet *out)
{
    if (s.cap < 20)
        return short_header(s, 20);
    if (s.p[0] >> 4 != 4)
        return DECODE_MALFORMED;
    size_t ihl = (size_t)(s.p[0] & 0x0f) * 4;
    size_t total = be16(s.p + 2);
    if (total == 0)             /* segmentation offload: the length is not filled in */
        total = s.wire;
    if (ihl < 20 || total < ihl || total > s.wire)
        return DECODE_MALFORMED;
    if (s.cap < ihl)
        return DECODE_TRUNCATED;
    uint16_t frag = be16(s.p + 6);
    bool more = (frag & 0x2000) != 0;
    if ((frag & 0x1fff) != 0)
        return DECODE_FRAGMENT;
    out->family = 4;
    memset(out->src, 0, sizeof out->src);
    memset(out->dst, 0, sizeof out->dst);
    memcpy(out->src, s.p + 12, 4);
    memcpy(out->dst, s.p + 16, 4);
    out->first_fragment = more;
    out->ip_id = be16(s.p + 4);
    span t = advance(s, ihl);
    t.wire = total - ihl;
    if (s.p[9] != 6)
        return more ? DECODE_NOT_TCP : decap_ip_payload(s.p[9], t, out);
    decode_status st = decode_tcp(t, total - ihl, out);
    /* A first fragment too short for the TCP header is only a fragment. */
    if (more && st == DECODE_MALFORMED)
        return DECODE_FRAGMENT;
    return st;
}

decode_status decode_ipv4(span s, tcp_packet *out)
{
    return ipv4(s, out);
}

static bool ipv6_ext(uint8_t nh)
{
    return nh == 0 || nh == 43 || nh == 60 || nh == 51 || nh == 135 || nh == 139 || nh == 140;
}

decode_status decode_ipv6(span s, tcp_packet *out)
{
    if (s.cap < 40)
        return short_header(s, 40);
    if (s.p[0] >> 4 != 6)
        return DECODE_MALFORMED;
    size_t plen = be16(s.p + 4);
    if (plen == 0)              /* jumbogram or offload: use the frame's length */
        plen = s.wire - 40;
    if (40 + plen > s.wire)
        return DECODE_MALFORMED;
    uint8_t nh = s.p[6];
    out->family = 6;
    memcpy(out->src, s.p + 8, 16);
    memcpy(out->dst, s.p + 24, 16);
    out->first_fragment = false;
    out->ip_id = 0;
    span e = advance(s, 40);
    e.wire = plen;
    size_t left = plen;
    for (;;) {
        if (nh == 6)
            break;
        if (nh == 44) {         /* fragment header */
            if (left < 8)
                return DECODE_MALFORMED;
            if (e.cap < 8)
                return DECODE_TRUNCATED;
            uint16_t off = be16(e.p + 2);
            if ((off & 0xfff8) != 0)
                return DECODE_FRAGMENT;
            out->first_fragment = (off & 1) != 0;
            nh = e.p[0];
            e = advance(e, 8);
            left -= 8;
            continue;
        }
        if (!ipv6_ext(nh)) {
            e.wire = left;
            return out->first_fragment ? DECODE_NOT_TCP : decap_ip_payload(nh, e, out);
        }
        if (left < 2)
            return DECODE_MALFORMED;
        if (e.cap < 2)
            return DECODE_TRUNCATED;
        size_t len = nh == 51 ? ((size_t)e.p[1] + 2) * 4 : ((size_t)e.p[1] + 1) * 8;
        if (len > left)
            return DECODE_MALFORMED;
        if (e.cap < len)
            return DECODE_TRUNCATED;
        nh = e.p[0];
        e = advance(e, len);
        left -= len;
    }
    e.wire = left;
    decode_status st = decode_tcp(e, left, out);
    if (out->first_fragment && st == DECODE_MALFORMED)
        return DECODE_FRAGMENT;
    return st;
}

decode_status decode_ethertype(uint16_t type, span s, tcp_packet *out)
{
    for (int tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; tags++) {
        if (tags == MAX_VLAN_TAGS)
            return DECODE_NOT_TCP;
        if (s.cap < 4)
            return short_header(s, 4);
        type = be16(s.p + 2);
        s = advance(s, 4);
    }
    if (type == ETHERTYPE_IPV4)
        return decode_ipv4(s, out);
    if (type == ETHERTYPE_IPV6)
        return decode_ipv6(s, out);
    return decap_ethertype(type, s, out);
}

decode_status decode_by_version(span s, tcp_packet *out)
{
    if (s.cap < 1)
        return short_header(s, 1);
    switch (s.p[0] >> 4) {
    case 4: return decode_ipv4(s, out);
    case 6: return decode_ipv6(s, out);
    default: return DECODE_NOT_TCP;
    }
}

/* BSD loopback: a 4-byte address family, in the capturing host's byte
 * order (DLT_NULL) or in network order (DLT_LOOP). */
static decode_status loopback(span s, bool network_order, tcp_packet *out)
{
    if (s.cap < 4)
        return short_header(s, 4);
    uint32_t le = (uint32_t)s.p[0] | (uint32_t)s.p[1] << 8 | (uint32_t)s.p[2] << 16 |
                  (uint32_t)s.p[3] << 24;
    uint32_t family = network_order ? be32(s.p) : (le > 0xffff ? be32(s.p) : le);
    span ip = advance(s, 4);
    switch (family) {
    case 2:
        return decode_ipv4(ip, out);
    case 24: case 28: case 30:  /* AF_INET6 of NetBSD/OpenBSD, FreeBSD, Darwin */
        return decode_ipv6(ip, out);
    default:
        return DECODE_NOT_TCP;
    }
}

/* The bytes decode_packet reads of a segment whose TCP header starts at
 * tcp: the fixed header (even when its data offset says less), the
 * options, and the payload bytes the engine keeps; caplen when the header
 * is not all there. */
static size_t tcp_end(const uint8_t *data, size_t caplen, size_t tcp)
{
    if (tcp + 20 > caplen)
        return caplen;
    size_t hl = (size_t)(data[tcp + 12] >> 4) * 4;
    size_t need = tcp + (hl > 20 ? hl : 20) + ENO_PAYLOAD_HEAD;
    return need < caplen ? need : caplen;
}

size_t decode_prefix_len(int dlt, const uint8_t *data, size_t caplen)
{
    size_t off;
    uint16_t type;
    switch (dlt) {
    case DLT_EN10MB:
        off = 14;
        if (caplen < off)
            return caplen;
        type = be16(data + 12);
        for (int tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8); tags++) {
            if (caplen < off + 4)
                return caplen;
            type = be16(data + off + 2);
            off += 4;
        }
        break;
    case DLT_LINUX_SLL:
        off = 16;
        if (caplen < off)
            return caplen;
        type = be16(data + 14);
        break;
    case DLT_LINUX_SLL2:
        off = 20;
        if (caplen < off)
            return caplen;
        type = be16(data);
        break;
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
        off = 0;
        if (caplen < 1)
            return caplen;
        type = data[0] >> 4 == 4 ? ETHERTYPE_IPV4 : data[0] >> 4 == 6 ? ETHERTYPE_IPV6 : 0;
        break;
    default:
        return caplen;
    }
    if (type == ETHERTYPE_IPV4 && caplen >= off + 20 && data[off] >> 4 == 4 &&
        data[off + 9] == 6) {
        size_t ihl = (size_t)(data[off] & 0x0f) * 4;
        return tcp_end(data, caplen, off + (ihl > 20 ? ihl : 20));
    }
    if (type == ETHERTYPE_IPV6 && caplen >= off + 40 && data[off + 6] == 6)
        return tcp_end(data, caplen, off + 40);
    return caplen;
}

decode_status decode_packet(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
                            tcp_packet *out)
{
    /* Not cleared: every field is set on the way to DECODE_TCP, and the
     * packet is not used otherwise (this runs for every frame); only the
     * tunnel fields are set when a tunnel is passed. */
    out->tunnel = TUNNEL_NONE;
    out->depth = 0;
    out->tunnel_has_id = false;
    out->tunnel_id = 0;
    /* Untagged Ethernet, most frames of most captures, straight to IP:
     * what decode_link and decode_ethertype would do, without their
     * calls. */
    if (dlt == DLT_EN10MB && caplen >= 14) {
        span s = {data + 14, caplen - 14, (wirelen < caplen ? caplen : wirelen) - 14};
        uint16_t type = be16(data + 12);
        if (type == ETHERTYPE_IPV4)
            return ipv4(s, out);
        if (type == ETHERTYPE_IPV6)
            return decode_ipv6(s, out);
    }
    return decode_link(dlt, data, caplen, wirelen, out);
}

decode_status decode_link(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
                          tcp_packet *out)
{
    span s = {data, caplen, wirelen < caplen ? caplen : wirelen};
    switch (dlt) {
    case DLT_EN10MB:
        if (s.cap < 14)
            return short_header(s, 14);
        return decode_ethertype(be16(s.p + 12), advance(s, 14), out);
    case DLT_LINUX_SLL:
        if (s.cap < 16)
            return short_header(s, 16);
        return decode_ethertype(be16(s.p + 14), advance(s, 16), out);
    case DLT_LINUX_SLL2:
        if (s.cap < 20)
            return short_header(s, 20);
        return decode_ethertype(be16(s.p), advance(s, 20), out);
    case DLT_RAW:
        return decode_by_version(s, out);
    case DLT_IPV4:
        return decode_ipv4(s, out);
    case DLT_IPV6:
        return decode_ipv6(s, out);
    case DLT_NULL:
        return loopback(s, false, out);
    case DLT_LOOP:
        return loopback(s, true, out);
    default:
        return decap_link(dlt, s, out);
    }
}
