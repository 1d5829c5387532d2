/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From the bytes of a TCP header to an eno_segment (codec.h). */
#include <string.h>

#include "eno/codec.h"

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

eno_tcp_status eno_tcp_parse_header(const uint8_t *tcp, size_t caplen, size_t seg_len,
                                    eno_tcp_header *h, eno_segment *seg)
{
    if (caplen < ENO_TCP_MIN_HEADER)
        return ENO_TCP_SHORT;
    size_t hlen = (size_t)(tcp[12] >> 4) * 4;
    if (hlen < ENO_TCP_MIN_HEADER || seg_len < hlen)
        return ENO_TCP_BAD_LENGTH;
    h->bytes = tcp;
    /* Bytes past the segment's end (link-layer padding) are not its own. */
    h->caplen = caplen < seg_len ? caplen : seg_len;
    h->hlen = hlen;
    h->sport = be16(tcp);
    h->dport = be16(tcp + 2);
    memset(seg, 0, sizeof *seg);
    seg->seq = be32(tcp + 4);
    seg->ack = be32(tcp + 8);
    seg->flags = tcp[13] & (ENO_TCP_FIN | ENO_TCP_SYN | ENO_TCP_RST | ENO_TCP_PSH | ENO_TCP_ACK);
    seg->payload_len = (uint32_t)(seg_len - hlen);
    return ENO_TCP_OK;
}

void eno_tcp_parse_options(const eno_tcp_header *h, eno_segment *seg)
{
    size_t cap = h->caplen, hlen = h->hlen;
    size_t opt_end = cap < hlen ? cap : hlen;
    eno_segment_set_options(seg, h->bytes + ENO_TCP_MIN_HEADER, opt_end - ENO_TCP_MIN_HEADER,
                            cap < hlen);
    seg->payload = NULL;
    seg->payload_caplen = 0;
    if (cap > hlen && seg->payload_len) {
        size_t n = cap - hlen;
        if (n > ENO_PAYLOAD_HEAD)
            n = ENO_PAYLOAD_HEAD;
        seg->payload = h->bytes + hlen;
        seg->payload_caplen = n;
    }
}
