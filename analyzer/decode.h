/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Link layers, IPv4/IPv6 and the TCP header, down to what the engine needs. */
#ifndef ENOSCOPE_DECODE_H
#define ENOSCOPE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eno/codec.h"

typedef enum {
    DECODE_TCP = 0,    /* a TCP segment: the tcp_packet is filled (else unspecified) */
    DECODE_NOT_TCP,    /* not IP, or IP that does not carry TCP */
    DECODE_FRAGMENT,   /* an IP fragment that does not start the datagram */
    DECODE_TRUNCATED,  /* the snapshot length cut the IP or TCP header */
    DECODE_MALFORMED,  /* headers inconsistent with the packet's length */
} decode_status;

/* The tunnel a segment was carried in (the innermost one). */
typedef enum {
    TUNNEL_NONE = 0,
    TUNNEL_GRE,
    TUNNEL_ERSPAN,
    TUNNEL_VXLAN,
    TUNNEL_GENEVE,
    TUNNEL_IPIP,             /* IPv4 in IP */
    TUNNEL_IP6IP,            /* IPv6 in IP */
    TUNNEL_MPLS,
    TUNNEL_PPPOE,
} tunnel_kind;

typedef struct {
    uint8_t family;          /* 4 or 6 */
    uint8_t src[16], dst[16];
    bool first_fragment;     /* the datagram was fragmented; this is its start */
    uint8_t tunnel;          /* tunnel_kind of the innermost tunnel, TUNNEL_NONE */
    uint8_t depth;           /* encapsulations passed (bounded) */
    bool tunnel_has_id;
    uint32_t tunnel_id;      /* GRE key, VNI, ERSPAN or PPPoE session */
    uint16_t ip_id;          /* IPv4 identification (0 for IPv6) */
    eno_tcp_header tcp;      /* ports; the header's bytes for eno_tcp_parse_options */
    eno_segment seg;         /* the fixed header's fields (eno_tcp_parse_header) */
} tcp_packet;

/* True for the link types decode_packet understands (DLT_* values). */
bool decode_link_supported(int dlt);

/* How many leading bytes of a captured frame decode_packet needs to give
 * the same result as on the whole frame.  For IPv4, or IPv6 followed
 * directly by TCP, behind at most two VLAN tags or a Linux cooked header,
 * that is up to the end of the TCP options and the payload bytes the
 * engine keeps; for anything else, caplen.  A cheap, conservative look at
 * the headers: nothing is validated. */
size_t decode_prefix_len(int dlt, const uint8_t *data, size_t caplen);

/* Decodes one captured frame: caplen bytes of data, wirelen on the wire. */
decode_status decode_packet(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
                            tcp_packet *out);

#endif
