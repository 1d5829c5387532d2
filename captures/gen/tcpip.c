/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPv4/IPv6 and TCP header building with correct lengths and checksums. */
#include <string.h>

#include "gen.h"

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

/* One's complement sum of 16-bit big-endian words, odd byte padded. */
static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void fill_payload(const gen_tcp_params *p, uint8_t *out)
{
    if (p->payload) {
        memcpy(out, p->payload, p->payload_len);
        return;
    }
    for (uint32_t i = 0; i < p->payload_len; i++)
        out[i] = (uint8_t)('a' + i % 26);
}

size_t gen_build_ip_tcp(const gen_tcp_params *p, uint8_t *out)
{
    const bool v6 = p->src->family == 6;
    const size_t ip_len = v6 ? 40 : 20;
    const size_t tcp_hdr = 20 + p->opts_len;
    const size_t tcp_len = tcp_hdr + p->payload_len;
    uint8_t *ip = out, *tcp = out + ip_len;
    uint32_t sum;

    memset(out, 0, ip_len + tcp_hdr);
    /* TCP */
    put16(tcp, p->src->port);
    put16(tcp + 2, p->dst->port);
    put32(tcp + 4, p->seq);
    put32(tcp + 8, p->ack);
    tcp[12] = (uint8_t)((tcp_hdr / 4) << 4);
    tcp[13] = p->flags;
    put16(tcp + 14, p->window);
    put16(tcp + 18, p->urg);
    memcpy(tcp + 20, p->opts, p->opts_len);
    fill_payload(p, tcp + tcp_hdr);

    /* IP */
    if (v6) {
        ip[0] = 0x60;
        put16(ip + 4, p->has_iplen ? p->iplen : (uint16_t)tcp_len);
        ip[6] = 6;
        ip[7] = 64;
        memcpy(ip + 8, p->src->addr, 16);
        memcpy(ip + 24, p->dst->addr, 16);
        sum = sum_bytes(0, ip + 8, 32);
        sum += (uint32_t)tcp_len + 6;
    } else {
        ip[0] = 0x45;
        put16(ip + 2, p->has_iplen ? p->iplen : (uint16_t)(20 + tcp_len));
        put16(ip + 4, p->ip_id);
        put16(ip + 6, 0x4000); /* DF */
        ip[8] = 64;
        ip[9] = 6;
        memcpy(ip + 12, p->src->addr, 4);
        memcpy(ip + 16, p->dst->addr, 4);
        put16(ip + 10, p->has_ipsum ? p->ipsum : fold(sum_bytes(0, ip, 20)));
        sum = sum_bytes(0, ip + 12, 8);
        sum += (uint32_t)tcp_len + 6;
    }
    sum = sum_bytes(sum, tcp, tcp_len);
    put16(tcp + 16, p->has_tcpsum ? p->tcpsum : fold(sum));
    return ip_len + tcp_len;
}
