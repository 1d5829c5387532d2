/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tunnels around the generated IP packets: GRE (plain, with a key, with a
 * key and a sequence number, with a checksum, carrying Ethernet), ERSPAN
 * types II and III, VXLAN, Geneve, IP in IP (IPv4 or IPv6 inside),
 * MPLS and PPPoE.  The outer packets go between 198.51.100.1 (host A's
 * side) and 198.51.100.2 over Ethernet; inner Ethernet frames use the
 * same MAC addresses as untunnelled ones.  Checksums are correct.
 */
#include <string.h>

#include "gen.h"
#include "parse.h"

static const struct {
    const char *name;
    enum gen_tunnel kind;
    bool id;                  /* takes an identifier */
    uint32_t max;
} kinds[] = {
    {"none", GEN_TUN_NONE, false, 0},
    {"gre", GEN_TUN_GRE, false, 0},
    {"gre-key", GEN_TUN_GRE_KEY, true, UINT32_MAX},
    {"gre-seq", GEN_TUN_GRE_SEQ, true, UINT32_MAX},
    {"gre-csum", GEN_TUN_GRE_CSUM, false, 0},
    {"gre-teb", GEN_TUN_GRE_TEB, true, UINT32_MAX},
    {"erspan2", GEN_TUN_ERSPAN2, true, 1023},
    {"erspan3", GEN_TUN_ERSPAN3, true, 1023},
    {"vxlan", GEN_TUN_VXLAN, true, 0xffffff},
    {"geneve", GEN_TUN_GENEVE, true, 0xffffff},
    {"ipip", GEN_TUN_IPIP, false, 0},
    {"mpls", GEN_TUN_MPLS, true, 0xfffff},
    {"pppoe", GEN_TUN_PPPOE, true, 0xffff},
};

bool gen_parse_tunnel(const char *path, gen_line *l, char **tok, int nt)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (nt < 2 || strcmp(tok[1], kinds[i].name) != 0)
            continue;
        if (nt != (kinds[i].id ? 3 : 2))
            return gen_fail(path, l->line, "tunnel %s takes %s", kinds[i].name,
                            kinds[i].id ? "one identifier" : "no identifier");
        l->kind = GEN_TUNNEL;
        l->tunnel = kinds[i].kind;
        if (kinds[i].id && !gen_parse_u32(tok[2], kinds[i].max, &l->tunnel_id))
            return gen_fail(path, l->line, "tunnel %s: identifier is 0..%u", kinds[i].name,
                            kinds[i].max);
        return true;
    }
    return gen_fail(path, l->line, "tunnel is none, gre, gre-key K, gre-seq K, gre-csum, "
                                   "gre-teb K, erspan2 S, erspan3 S, vxlan VNI, geneve VNI, "
                                   "ipip, mpls LABEL or pppoe SESSION");
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

static uint16_t checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static size_t ethernet(int sender, uint16_t type, uint8_t *out)
{
    static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
    memcpy(out, mac, 6);
    out[5] = (uint8_t)(0x0a + !sender);
    memcpy(out + 6, mac, 6);
    out[11] = (uint8_t)(0x0a + sender);
    put16(out + 12, type);
    return 14;
}

/* An outer IPv4 header for a payload of len bytes. */
static size_t outer_ipv4(int sender, uint8_t proto, size_t len, uint8_t *out)
{
    memset(out, 0, 20);
    out[0] = 0x45;
    put16(out + 2, (uint32_t)(20 + len));
    put16(out + 6, 0x4000);
    out[8] = 64;
    out[9] = proto;
    static const uint8_t base[4] = {198, 51, 100, 1};
    memcpy(out + 12, base, 4);
    memcpy(out + 16, base, 4);
    out[15] = (uint8_t)(1 + sender);
    out[19] = (uint8_t)(2 - sender);
    put16(out + 10, checksum(out, 20));
    return 20;
}

size_t gen_tunnel_frame(enum gen_tunnel t, uint32_t id, uint32_t seq, int sender, int family,
                        const uint8_t *ip, size_t ip_len, uint8_t *out)
{
    const uint16_t ethertype = family == 6 ? 0x86dd : 0x0800;
    uint8_t hdr[64];          /* the tunnel's own header, after the outer IP */
    size_t h = 0, n;
    uint8_t proto = 47;
    bool inner_ethernet = false;

    switch (t) {
    case GEN_TUN_MPLS:
        n = ethernet(sender, 0x8847, out);
        put32(out + n, id << 12 | 1u << 8 | 64);   /* bottom of stack, TTL 64 */
        memcpy(out + n + 4, ip, ip_len);
        return n + 4 + ip_len;
    case GEN_TUN_PPPOE:
        n = ethernet(sender, 0x8864, out);
        out[n] = 0x11;
        out[n + 1] = 0;
        put16(out + n + 2, id);
        put16(out + n + 4, (uint32_t)(2 + ip_len));
        put16(out + n + 6, family == 6 ? 0x0057 : 0x0021);
        memcpy(out + n + 8, ip, ip_len);
        return n + 8 + ip_len;
    case GEN_TUN_IPIP:
        proto = family == 6 ? 41 : 4;
        break;
    case GEN_TUN_GRE:
        put16(hdr, 0);
        put16(hdr + 2, ethertype);
        h = 4;
        break;
    case GEN_TUN_GRE_CSUM:
        put16(hdr, 0x8000);
        put16(hdr + 2, ethertype);
        put32(hdr + 4, 0);    /* checksum and reserved, filled below */
        h = 8;
        break;
    case GEN_TUN_GRE_KEY:
    case GEN_TUN_GRE_TEB:
        put16(hdr, 0x2000);
        put16(hdr + 2, t == GEN_TUN_GRE_TEB ? 0x6558 : ethertype);
        put32(hdr + 4, id);
        h = 8;
        inner_ethernet = t == GEN_TUN_GRE_TEB;
        break;
    case GEN_TUN_GRE_SEQ:
        put16(hdr, 0x3000);
        put16(hdr + 2, ethertype);
        put32(hdr + 4, id);
        put32(hdr + 8, seq);
        h = 12;
        break;
    case GEN_TUN_ERSPAN2:
        put16(hdr, 0x1000);   /* sequence number present: type II */
        put16(hdr + 2, 0x88be);
        put32(hdr + 4, seq);
        put16(hdr + 8, 0x1000);            /* version 1, VLAN 0 */
        put16(hdr + 10, id & 0x3ff);       /* COS, encapsulation, T 0; session */
        put32(hdr + 12, 0);                /* index */
        h = 16;
        inner_ethernet = true;
        break;
    case GEN_TUN_ERSPAN3:
        put16(hdr, 0x1000);
        put16(hdr + 2, 0x22eb);
        put32(hdr + 4, seq);
        put16(hdr + 8, 0x2000);            /* version 2, VLAN 0 */
        put16(hdr + 10, id & 0x3ff);
        put32(hdr + 12, seq * 1000);       /* timestamp */
        put32(hdr + 16, 0);                /* SGT 0, P 0, frame type 0 (Ethernet), ... */
        h = 20;
        inner_ethernet = true;
        break;
    case GEN_TUN_VXLAN:
    case GEN_TUN_GENEVE:
        proto = 17;
        put16(hdr, 49152 + (id & 0x3fff));     /* source port */
        put16(hdr + 2, t == GEN_TUN_VXLAN ? 4789 : 6081);
        put16(hdr + 6, 0);                     /* no UDP checksum (IPv4) */
        if (t == GEN_TUN_VXLAN)
            put32(hdr + 8, 0x08000000);        /* I: VNI valid */
        else
            put32(hdr + 8, 0x00006558);        /* version 0, no options, Ethernet */
        put32(hdr + 12, id << 8);
        h = 16;
        inner_ethernet = true;
        break;
    case GEN_TUN_NONE:
        break;
    }
    size_t inner = ip_len + (inner_ethernet ? 14 : 0);
    if (proto == 17)
        put16(hdr + 4, (uint32_t)(h + inner));
    n = ethernet(sender, 0x0800, out);
    n += outer_ipv4(sender, proto, h + inner, out + n);
    uint8_t *tun = out + n;
    memcpy(tun, hdr, h);
    n += h;
    if (inner_ethernet)
        n += ethernet(sender, ethertype, out + n);
    memcpy(out + n, ip, ip_len);
    n += ip_len;
    if (t == GEN_TUN_GRE_CSUM)
        put16(tun + 4, checksum(tun, h + inner));
    return n;
}
