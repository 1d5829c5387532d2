/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Link types beyond the common ones (PPP, Cisco HDLC, IP over InfiniBand,
 * PPI, radiotap and 802.11 data frames, NFLOG, PKTAP, ARCNET) and tunnels
 * (GRE with its checksum, key and sequence fields and ERSPAN types I to
 * III, VXLAN, Geneve, IPv4 and IPv6 in IP, AH, MPLS, PPPoE), down to the
 * inner IP packet.  The innermost tunnel is recorded in the packet (its
 * kind, and its identifier where it has one that both directions share:
 * GRE key, VNI, ERSPAN or PPPoE session), so that the tracker keys the
 * inner connection by it.  Every read is bounds-checked as in decode.c.
 */
#include <pcap/dlt.h>

#include "decode_layers.h"

#define ETHERTYPE_TEB 0x6558       /* transparent Ethernet bridging */
#define ETHERTYPE_ERSPAN_2 0x88be  /* type I without a sequence number */
#define ETHERTYPE_ERSPAN_3 0x22eb
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_MPLS_MC 0x8848
#define ETHERTYPE_PPPOE 0x8864
#define ETHERTYPE_PPP 0x880b
#define UDP_VXLAN 4789
#define UDP_GENEVE 6081

#ifndef DLT_PKTAP
#define DLT_PKTAP 258
#endif

/* Entering one more encapsulation; false past the bound. */
static bool enter(tcp_packet *out, uint8_t kind, bool has_id, uint32_t id)
{
    if (++out->depth > MAX_ENCAPSULATIONS)
        return false;
    if (kind != TUNNEL_NONE) {
        out->tunnel = kind;
        out->tunnel_has_id = has_id;
        out->tunnel_id = id;
    }
    return true;
}

/* PPP's protocol field (one byte when compressed: an odd first byte). */
static decode_status ppp_protocol(span s, tcp_packet *out)
{
    if (s.cap < 1)
        return short_header(s, 1);
    uint16_t proto;
    if (s.p[0] & 1) {
        proto = s.p[0];
        s = advance(s, 1);
    } else {
        if (s.cap < 2)
            return short_header(s, 2);
        proto = be16(s.p);
        s = advance(s, 2);
    }
    switch (proto) {
    case 0x0021: return decode_ipv4(s, out);
    case 0x0057: return decode_ipv6(s, out);
    case 0x0281: case 0x0283: return decap_ethertype(ETHERTYPE_MPLS, s, out);
    default: return DECODE_NOT_TCP;
    }
}

/* PPP, with or without the HDLC-like address and control bytes. */
static decode_status ppp(span s, tcp_packet *out)
{
    if (s.cap >= 2 && s.p[0] == 0xff && s.p[1] == 0x03)
        s = advance(s, 2);
    return ppp_protocol(s, out);
}

/* Cisco HDLC: address, control, an ethertype. */
static decode_status chdlc(span s, tcp_packet *out)
{
    if (s.cap < 4)
        return short_header(s, 4);
    return decode_ethertype(be16(s.p + 2), advance(s, 4), out);
}

static decode_status pppoe_session(span s, tcp_packet *out)
{
    if (s.cap < 6)
        return short_header(s, 6);
    if (s.p[0] != 0x11 || s.p[1] != 0)
        return DECODE_NOT_TCP;
    if (!enter(out, TUNNEL_PPPOE, true, be16(s.p + 2)))
        return DECODE_NOT_TCP;
    size_t len = be16(s.p + 4);
    span p = advance(s, 6);
    if (len > p.wire)
        return DECODE_MALFORMED;
    p.wire = len;
    return ppp_protocol(p, out);
}

static decode_status mpls(span s, tcp_packet *out)
{
    if (!enter(out, TUNNEL_MPLS, false, 0))
        return DECODE_NOT_TCP;
    for (int labels = 0;; labels++) {
        if (labels == 16)
            return DECODE_NOT_TCP;
        if (s.cap < 4)
            return short_header(s, 4);
        bool bottom = (s.p[2] & 1) != 0;
        s = advance(s, 4);
        if (bottom)
            break;
    }
    if (s.cap < 1)
        return short_header(s, 1);
    switch (s.p[0] >> 4) {
    case 4: return decode_ipv4(s, out);
    case 6: return decode_ipv6(s, out);
    case 0:
        /* An Ethernet pseudowire's control word, then the frame. */
        if (s.cap < 4 + 14)
            return short_header(s, 4 + 14);
        return decode_ethertype(be16(s.p + 4 + 12), advance(s, 4 + 14), out);
    default:
        return DECODE_NOT_TCP;
    }
}

decode_status decap_ethertype(uint16_t type, span s, tcp_packet *out)
{
    switch (type) {
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MC:
        return mpls(s, out);
    case ETHERTYPE_PPPOE:
        return pppoe_session(s, out);
    default:
        return DECODE_NOT_TCP;
    }
}

static decode_status ethernet(span s, tcp_packet *out)
{
    if (s.cap < 14)
        return short_header(s, 14);
    return decode_ethertype(be16(s.p + 12), advance(s, 14), out);
}

/* ERSPAN type II (after a GRE header with a sequence number) and III: a
 * header with a 10-bit session id, then the mirrored Ethernet frame. */
static decode_status erspan(span s, bool type3, tcp_packet *out)
{
    size_t n = type3 ? 12 : 8;
    if (s.cap < n)
        return short_header(s, n);
    uint32_t session = (uint32_t)(s.p[2] & 0x03) << 8 | s.p[3];
    if (type3) {
        if (s.p[11] & 0x01)    /* O: a platform-specific subheader follows */
            n += 8;
        if (s.cap < n)
            return short_header(s, n);
        if (((s.p[10] >> 2) & 0x1f) != 0)   /* frame type: 0 Ethernet, else IP */
            return enter(out, TUNNEL_ERSPAN, true, session)
                       ? decode_by_version(advance(s, n), out) : DECODE_NOT_TCP;
    }
    if (!enter(out, TUNNEL_ERSPAN, true, session))
        return DECODE_NOT_TCP;
    return ethernet(advance(s, n), out);
}

/* GRE, version 0 (RFC 2784 and 2890) and 1 (PPTP's, carrying PPP). */
static decode_status gre(span s, tcp_packet *out)
{
    if (s.cap < 4)
        return short_header(s, 4);
    uint16_t flags = be16(s.p), proto = be16(s.p + 2);
    int version = flags & 7;
    bool csum = flags & 0x8000, routing = flags & 0x4000, key = flags & 0x2000,
         seq = flags & 0x1000, ack = flags & 0x0080;
    if (version > 1 || routing)
        return DECODE_NOT_TCP;
    size_t n = 4 + (csum ? 4 : 0);
    uint32_t id = 0;
    if (key) {
        if (s.cap < n + 4)
            return short_header(s, n + 4);
        /* PPTP: payload length and call id; the call id names the tunnel. */
        id = version == 1 ? be16(s.p + n + 2) : be32(s.p + n);
        n += 4;
    }
    n += (seq ? 4 : 0) + (version == 1 && ack ? 4 : 0);
    if (s.cap < n)
        return short_header(s, n);
    span in = advance(s, n);
    if (proto == ETHERTYPE_ERSPAN_2 || proto == ETHERTYPE_ERSPAN_3) {
        if (proto == ETHERTYPE_ERSPAN_3)
            return erspan(in, true, out);
        if (seq)
            return erspan(in, false, out);
        /* Type I: no ERSPAN header, the frame follows. */
        if (!enter(out, TUNNEL_ERSPAN, false, 0))
            return DECODE_NOT_TCP;
        return ethernet(in, out);
    }
    if (!enter(out, TUNNEL_GRE, key, id))
        return DECODE_NOT_TCP;
    switch (proto) {
    case ETHERTYPE_TEB: return ethernet(in, out);
    case ETHERTYPE_PPP: return ppp(in, out);
    default: return decode_ethertype(proto, in, out);
    }
}

static decode_status udp(span s, tcp_packet *out)
{
    if (s.cap < 8)
        return short_header(s, 8);
    uint16_t dport = be16(s.p + 2);
    size_t len = be16(s.p + 4);
    if (len < 8 || len > s.wire)
        return DECODE_MALFORMED;
    span in = advance(s, 8);
    in.wire = len - 8;
    if (dport == UDP_VXLAN) {
        if (in.cap < 8)
            return short_header(in, 8);
        if (!(in.p[0] & 0x08))          /* I: the VNI is valid */
            return DECODE_NOT_TCP;
        uint32_t vni = (uint32_t)in.p[4] << 16 | (uint32_t)in.p[5] << 8 | in.p[6];
        if (!enter(out, TUNNEL_VXLAN, true, vni))
            return DECODE_NOT_TCP;
        return ethernet(advance(in, 8), out);
    }
    if (dport == UDP_GENEVE) {
        if (in.cap < 8)
            return short_header(in, 8);
        if (in.p[0] >> 6 != 0)          /* version 0 only */
            return DECODE_NOT_TCP;
        size_t n = 8 + (size_t)(in.p[0] & 0x3f) * 4;
        if (in.cap < n)
            return short_header(in, n);
        uint16_t proto = be16(in.p + 2);
        uint32_t vni = (uint32_t)in.p[4] << 16 | (uint32_t)in.p[5] << 8 | in.p[6];
        if (!enter(out, TUNNEL_GENEVE, true, vni))
            return DECODE_NOT_TCP;
        if (proto == ETHERTYPE_TEB)
            return ethernet(advance(in, n), out);
        return decode_ethertype(proto, advance(in, n), out);
    }
    return DECODE_NOT_TCP;
}

decode_status decap_ip_payload(uint8_t proto, span s, tcp_packet *out)
{
    switch (proto) {
    case 6:
        return decode_tcp(s, s.wire, out);
    case 4:
        if (!enter(out, TUNNEL_IPIP, false, 0))
            return DECODE_NOT_TCP;
        return decode_ipv4(s, out);
    case 41:
        if (!enter(out, TUNNEL_IP6IP, false, 0))
            return DECODE_NOT_TCP;
        return decode_ipv6(s, out);
    case 47:
        return gre(s, out);
    case 17:
        return udp(s, out);
    case 137:                           /* MPLS in IP */
        return mpls(s, out);
    case 51: {                          /* AH (IPv4; IPv6 follows it as an extension) */
        if (s.cap < 2)
            return short_header(s, 2);
        size_t len = ((size_t)s.p[1] + 2) * 4;
        if (len > s.wire)
            return DECODE_MALFORMED;
        if (s.cap < len)
            return DECODE_TRUNCATED;
        if (!enter(out, TUNNEL_NONE, false, 0))
            return DECODE_NOT_TCP;
        return decap_ip_payload(s.p[0], advance(s, len), out);
    }
    default:
        return DECODE_NOT_TCP;
    }
}

/* 802.11 data frames with an LLC/SNAP header (unprotected only). */
static decode_status ieee80211(span s, tcp_packet *out)
{
    if (s.cap < 24)
        return short_header(s, 24);
    uint8_t fc = s.p[0], fl = s.p[1];
    if (((fc >> 2) & 3) != 2 || (fc & 0x40) || (fl & 0x40))  /* data, not null, not protected */
        return DECODE_NOT_TCP;
    size_t n = 24;
    if ((fl & 3) == 3)
        n += 6;                         /* four addresses */
    if (fc & 0x80) {
        n += 2;                         /* QoS control */
        if (fl & 0x80)
            n += 4;                     /* HT control */
    }
    if (s.cap < n + 8)
        return short_header(s, n + 8);
    const uint8_t *llc = s.p + n;
    if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03)
        return DECODE_NOT_TCP;
    return decode_ethertype(be16(llc + 6), advance(s, n + 8), out);
}

static decode_status radiotap(span s, tcp_packet *out)
{
    if (s.cap < 4)
        return short_header(s, 4);
    size_t len = le16(s.p + 2);
    if (len < 8 || s.cap < len)
        return short_header(s, len < 8 ? 8 : len);
    return ieee80211(advance(s, len), out);
}

/* Link types that wrap a frame of another link type (PPI, PKTAP). */
static decode_status inner_link(int dlt, span s, tcp_packet *out)
{
    if (dlt == DLT_PPI || dlt == DLT_PKTAP || !enter(out, TUNNEL_NONE, false, 0))
        return DECODE_NOT_TCP;
    if (dlt == DLT_IEEE802_11)
        return ieee80211(s, out);
    return decode_link(dlt, s.p, s.cap, s.wire, out);
}

static decode_status ppi(span s, tcp_packet *out)
{
    if (s.cap < 8)
        return short_header(s, 8);
    size_t len = le16(s.p + 2);
    if (len < 8 || s.cap < len)
        return short_header(s, len < 8 ? 8 : len);
    return inner_link((int)le32(s.p + 4), advance(s, len), out);
}

static decode_status pktap(span s, tcp_packet *out)
{
    if (s.cap < 8)
        return short_header(s, 8);
    size_t len = le32(s.p);
    if (len < 8 || s.cap < len)
        return short_header(s, len < 8 ? 8 : len);
    return inner_link((int)le32(s.p + 4), advance(s, len), out);
}

/* Linux NFLOG: a 4-byte header (address family first), then TLVs whose
 * length and type are in the recording host's byte order; the payload
 * TLV (type 9) holds the IP packet. */
static decode_status nflog(span s, tcp_packet *out)
{
    if (s.cap < 4)
        return short_header(s, 4);
    uint8_t family = s.p[0];
    span t = advance(s, 4);
    while (t.cap >= 4) {
        uint16_t len = le16(t.p), type = le16(t.p + 2);
        if (len < 4 || len > t.cap) {
            len = be16(t.p);
            type = be16(t.p + 2);
        }
        if (len < 4)
            return DECODE_MALFORMED;
        if (len > t.cap)
            return short_header(t, len);
        if (type == 9) {
            span ip = advance(t, 4);
            ip.cap = len - 4u;
            ip.wire = len - 4u;
            if (family == 2)
                return decode_ipv4(ip, out);
            if (family == 10)
                return decode_ipv6(ip, out);
            return decode_by_version(ip, out);
        }
        size_t padded = ((size_t)len + 3) & ~(size_t)3;
        if (padded > t.cap)
            break;
        t = advance(t, padded);
    }
    return DECODE_NOT_TCP;
}

/* ARCNET (RFC 1201 and 1051 framing; Linux's variant has a 2-byte offset
 * after the addresses). */
static decode_status arcnet(span s, bool linux_offset, tcp_packet *out)
{
    size_t n = 2 + (linux_offset ? 2 : 0);
    if (s.cap < n + 1)
        return short_header(s, n + 1);
    uint8_t proto = s.p[n++];
    bool rfc1051 = proto == 0xf0 || proto == 0xf1;
    if (!rfc1051) {
        /* Split flag, then a sequence number; an exception packet's 0xff
         * flag is followed by padding, the protocol and the flag again. */
        if (s.cap < n + 1)
            return short_header(s, n + 1);
        if (s.p[n] == 0xff)
            n += 4;
        n += 1 + 2;
        if (s.cap < n)
            return short_header(s, n);
    }
    span ip = advance(s, n);
    switch (proto) {
    case 0xd4: case 0xf0: return decode_ipv4(ip, out);
    case 0xc4: return decode_ipv6(ip, out);
    default: return DECODE_NOT_TCP;
    }
}

bool decap_link_supported(int dlt)
{
    switch (dlt) {
    case DLT_PPP: case DLT_PPP_SERIAL: case DLT_PPP_ETHER: case DLT_C_HDLC:
    case DLT_IPOIB: case DLT_PPI: case DLT_NFLOG: case DLT_PKTAP:
    case DLT_ARCNET: case DLT_ARCNET_LINUX: case DLT_IEEE802_11:
    case DLT_IEEE802_11_RADIO:
        return true;
    default:
        return false;
    }
}

decode_status decap_link(int dlt, span s, tcp_packet *out)
{
    switch (dlt) {
    case DLT_PPP:
    case DLT_PPP_SERIAL:
        /* PPP in HDLC-like framing (or none), or Cisco HDLC framing, which
         * PPP_SERIAL captures may hold (and wiretap reports both as PPP). */
        if (s.cap >= 1 && (s.p[0] == 0x0f || s.p[0] == 0x8f))
            return chdlc(s, out);
        return ppp(s, out);
    case DLT_PPP_ETHER:
        return pppoe_session(s, out);
    case DLT_C_HDLC:
        return chdlc(s, out);
    case DLT_IPOIB:
        if (s.cap < 4)
            return short_header(s, 4);
        return decode_ethertype(be16(s.p), advance(s, 4), out);
    case DLT_PPI:
        return ppi(s, out);
    case DLT_PKTAP:
        return pktap(s, out);
    case DLT_NFLOG:
        return nflog(s, out);
    case DLT_ARCNET:
        return arcnet(s, false, out);
    case DLT_ARCNET_LINUX:
        return arcnet(s, true, out);
    case DLT_IEEE802_11:
        return ieee80211(s, out);
    case DLT_IEEE802_11_RADIO:
        return radiotap(s, out);
    default:
        return DECODE_NOT_TCP;
    }
}
