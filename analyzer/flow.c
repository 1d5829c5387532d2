/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Canonical 5-tuples and a well-mixed hash for them.  The hash is keyed
 * with a per-process random seed, so a capture crafted to collide cannot
 * turn the table into a list.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "eno/flow.h"

#include "decimal.h"
#include "flow.h"
#include "judged.h"

G_STATIC_ASSERT(sizeof(flow_key) == 48);

/* memcmp of two addresses, inline: every segment orders its two (as big
 * numbers, which is memcmp's byte order). */
static int addr_cmp(const uint8_t *a, const uint8_t *b)
{
    uint64_t x[2], y[2];
    memcpy(x, a, sizeof x);
    memcpy(y, b, sizeof y);
    for (int i = 0; i < 2; i++) {
        uint64_t u = GUINT64_FROM_BE(x[i]), v = GUINT64_FROM_BE(y[i]);
        if (u != v)
            return u < v ? -1 : 1;
    }
    return 0;
}

int flow_key_from_packet(const tcp_packet *p, flow_key *key)
{
    G_STATIC_ASSERT(sizeof p->src == 16 && sizeof p->dst == 16);
    memset(key, 0, sizeof *key);
    key->family = p->family;
    int c = addr_cmp(p->src, p->dst);
    int sender = (c < 0 || (c == 0 && p->tcp.sport <= p->tcp.dport)) ? 0 : 1;
    memcpy(key->addr[sender], p->src, sizeof p->src);
    memcpy(key->addr[!sender], p->dst, sizeof p->dst);
    key->port[sender] = p->tcp.sport;
    key->port[!sender] = p->tcp.dport;
    key->tunnel = p->tunnel;
    key->tunnel_has_id = p->tunnel_has_id;
    key->tunnel_id = p->tunnel_id;
    return sender;
}

void flow_key_tunnel(const flow_key *key, char *buf, size_t cap)
{
    static const char *const names[] = {
        [TUNNEL_NONE] = "", [TUNNEL_GRE] = "GRE", [TUNNEL_ERSPAN] = "ERSPAN",
        [TUNNEL_VXLAN] = "VXLAN", [TUNNEL_GENEVE] = "Geneve", [TUNNEL_IPIP] = "IP-in-IP",
        [TUNNEL_IP6IP] = "IPv6-in-IP", [TUNNEL_MPLS] = "MPLS", [TUNNEL_PPPOE] = "PPPoE",
    };
    static const char *const ids[] = {
        [TUNNEL_GRE] = "key", [TUNNEL_ERSPAN] = "session", [TUNNEL_VXLAN] = "VNI",
        [TUNNEL_GENEVE] = "VNI", [TUNNEL_PPPOE] = "session",
    };
    uint8_t kind = key->tunnel;
    if (kind == TUNNEL_NONE) {
        buf[0] = '\0';
        return;
    }
    const char *name = kind < sizeof names / sizeof *names ? names[kind] : "tunnel";
    const char *idn = kind < sizeof ids / sizeof *ids && ids[kind] ? ids[kind] : "id";
    if (key->tunnel_has_id)
        snprintf(buf, cap, "%s %s %u", name, idn, key->tunnel_id);
    else
        snprintf(buf, cap, "%s", name);
}

static guint64 seed_value;

static void seed_init(void)
{
    seed_value = (guint64)g_random_int() << 32 | g_random_int();
}

/* pthread_once rather than g_once: ThreadSanitizer sees it (with -j several
 * tracking threads hash at once). */
guint64 flow_key_seed(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, seed_init);
    return seed_value;
}

guint flow_key_hash(gconstpointer key)
{
    uint64_t h = flow_key_hash64(key, flow_key_seed());
    return (guint)(h ^ (h >> 32));
}

gboolean flow_key_equal(gconstpointer a, gconstpointer b)
{
    return flow_key_same(a, b);
}

static char *put_hex(char *p, unsigned v)
{
    static const char digits[] = "0123456789abcdef";
    int shift = 12;
    while (shift > 0 && !(v >> shift & 15))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        *p++ = digits[v >> shift & 15];
    return p;
}

static char *put_ipv4(char *p, const uint8_t *a)
{
    for (int i = 0; i < 4; i++) {
        if (i)
            *p++ = '.';
        p = put_decimal(p, a[i]);
    }
    return p;
}

/* The text inet_ntop gives (the longest run of two or more zero groups,
 * the first of equal ones, as "::"; lowercase hex; IPv4-mapped and
 * IPv4-compatible addresses end in dotted decimal), without its cost:
 * glibc formats every group with sprintf. */
static char *put_ipv6(char *p, const uint8_t *a)
{
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (w[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !w[j])
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    if (best_len < 2)
        best = -1;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            *p++ = ':';
            i += best_len - 1;
            if (i == 7)
                *p++ = ':';
            continue;
        }
        if (i)
            *p++ = ':';
        if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
            return put_ipv4(p, a + 12);
        p = put_hex(p, w[i]);
    }
    return p;
}

void conn_info_names(const conn_info *ci, conn_names *out)
{
    flow_key_endpoint(&ci->key, ci->client_side, out->client, sizeof out->client);
    flow_key_endpoint(&ci->key, !ci->client_side, out->server, sizeof out->server);
    flow_key_tunnel(&ci->key, out->tunnel, sizeof out->tunnel);
}

void flow_key_endpoint(const flow_key *key, int side, char *buf, size_t cap)
{
    /* Every connection is printed: formatted here, without the cost of
     * inet_ntop and snprintf. */
    char tmp[INET6_ADDRSTRLEN + 8];
    char *p = tmp;
    const uint8_t *a = key->addr[side];
    if (key->family == 6) {
        *p++ = '[';
        p = put_ipv6(p, a);
        *p++ = ']';
    } else {
        p = put_ipv4(p, a);
    }
    *p++ = ':';
    p = put_decimal(p, key->port[side]);
    *p = '\0';
    g_strlcpy(buf, tmp, cap);
}
