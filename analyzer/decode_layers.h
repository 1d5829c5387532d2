/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between decode.c (the common link layers, IP and TCP) and decap.c (the
 * other link types and the tunnels): the bounded view of a frame's bytes
 * and the layer decoders each calls in the other.
 */
#ifndef ENOSCOPE_DECODE_LAYERS_H
#define ENOSCOPE_DECODE_LAYERS_H

#include "decode.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd

/* Tunnels inside tunnels, link types inside link types: at most this many. */
#define MAX_ENCAPSULATIONS 8

typedef struct {
    const uint8_t *p;
    size_t cap;    /* captured bytes from p */
    size_t wire;   /* on-wire bytes from p */
} span;

static inline uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[1] << 8 | p[0]);
}

static inline uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* n <= s.cap */
static inline span advance(span s, size_t n)
{
    s.p += n;
    s.cap -= n;
    s.wire = s.wire >= n ? s.wire - n : 0;
    return s;
}

/* The header of n bytes at s is missing: cut by the snapshot length, or
 * absent from the packet itself. */
static inline decode_status short_header(span s, size_t n)
{
    return s.wire >= n ? DECODE_TRUNCATED : DECODE_MALFORMED;
}

/* decode.c */
decode_status decode_link(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
                          tcp_packet *out);
decode_status decode_ethertype(uint16_t type, span s, tcp_packet *out);
decode_status decode_ipv4(span s, tcp_packet *out);
decode_status decode_ipv6(span s, tcp_packet *out);
decode_status decode_by_version(span s, tcp_packet *out);
/* The TCP header at s, of a segment of seg_len bytes (addresses set). */
decode_status decode_tcp(span s, size_t seg_len, tcp_packet *out);

/* decap.c */
bool decap_link_supported(int dlt);
decode_status decap_link(int dlt, span s, tcp_packet *out);
/* An ethertype decode.c does not know (MPLS, PPPoE, ...). */
decode_status decap_ethertype(uint16_t type, span s, tcp_packet *out);
/* The payload of an IP packet (s.wire its length) whose protocol is not
 * TCP: IP-in-IP, GRE, UDP tunnels, AH; the addresses of out are the outer
 * packet's until an inner IP header replaces them. */
decode_status decap_ip_payload(uint8_t proto, span s, tcp_packet *out);

#endif
