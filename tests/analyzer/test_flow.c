/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The connection key: its text form (as inet_ntop writes addresses) and
 * its hash. */
#include <arpa/inet.h>
#include <string.h>

#include <glib.h>

#include "flow.h"

static void expect_endpoint(const flow_key *k, int side)
{
    char addr[INET6_ADDRSTRLEN], want[80], got[80];
    inet_ntop(k->family == 6 ? AF_INET6 : AF_INET, k->addr[side], addr, sizeof addr);
    if (k->family == 6)
        g_snprintf(want, sizeof want, "[%s]:%u", addr, k->port[side]);
    else
        g_snprintf(want, sizeof want, "%s:%u", addr, k->port[side]);
    flow_key_endpoint(k, side, got, sizeof got);
    g_assert_cmpstr(got, ==, want);
}

static flow_key key6(const char *a, guint16 port)
{
    flow_key k;
    memset(&k, 0, sizeof k);
    k.family = 6;
    g_assert_cmpint(inet_pton(AF_INET6, a, k.addr[0]), ==, 1);
    k.port[0] = port;
    return k;
}

static void test_ipv4_text(void)
{
    static const guint8 addrs[][4] = {{0, 0, 0, 0}, {10, 1, 0, 1}, {192, 0, 2, 255},
                                      {255, 255, 255, 255}, {1, 20, 100, 9}};
    static const guint16 ports[] = {0, 9, 80, 443, 65535};
    for (size_t i = 0; i < G_N_ELEMENTS(addrs); i++) {
        flow_key k;
        memset(&k, 0, sizeof k);
        k.family = 4;
        memcpy(k.addr[1], addrs[i], 4);
        k.port[1] = ports[i];
        expect_endpoint(&k, 1);
    }
}

static void test_ipv6_text(void)
{
    /* Zero runs: none, one group (not compressed), leading, trailing,
     * the longest of two, the first of equal ones; IPv4-mapped and
     * IPv4-compatible forms. */
    static const char *const addrs[] = {
        "2001:db8:1:2:3:4:5:6", "2001:db8:0:1:1:1:1:1", "::1", "::", "2001:db8::",
        "2001:0:0:1:0:0:0:1", "2001:db8:0:0:1:0:0:1", "::ffff:192.0.2.1", "::192.0.2.1",
        "::ffff:0:1", "fe80::1:0:0:0", "1:0:0:2:0:0:3:4", "0:0:1::",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(addrs); i++) {
        flow_key k = key6(addrs[i], (guint16)(i * 1000));
        expect_endpoint(&k, 0);
    }
    /* Many random addresses, biased towards zero and 0xffff groups. */
    GRand *r = g_rand_new_with_seed(8547);
    for (int n = 0; n < 200000; n++) {
        flow_key k;
        memset(&k, 0, sizeof k);
        k.family = 6;
        for (int i = 0; i < 16; i++) {
            guint32 c = g_rand_int_range(r, 0, 4);
            k.addr[0][i] = c == 0 ? (guint8)g_rand_int(r) : c == 1 ? 0xff : 0;
        }
        k.port[0] = (guint16)g_rand_int(r);
        expect_endpoint(&k, 0);
    }
    g_rand_free(r);
}

static void test_hash(void)
{
    tcp_packet p;
    memset(&p, 0, sizeof p);
    p.family = 4;
    memcpy(p.src, (guint8[]){10, 1, 0, 1}, 4);
    memcpy(p.dst, (guint8[]){10, 2, 0, 1}, 4);
    p.tcp.sport = 20000;
    p.tcp.dport = 443;
    flow_key a, b, c;
    int sa = flow_key_from_packet(&p, &a);
    /* The reply has the same key, from the other side. */
    tcp_packet q = p;
    memcpy(q.src, p.dst, 16);
    memcpy(q.dst, p.src, 16);
    q.tcp.sport = p.tcp.dport;
    q.tcp.dport = p.tcp.sport;
    int sb = flow_key_from_packet(&q, &b);
    g_assert_cmpint(sa, !=, sb);
    g_assert_true(flow_key_equal(&a, &b));
    g_assert_cmpuint(flow_key_hash(&a), ==, flow_key_hash(&b));
    /* Any other port or address gives another key, and (here) hash. */
    p.tcp.sport = 20001;
    flow_key_from_packet(&p, &c);
    g_assert_false(flow_key_equal(&a, &c));
    g_assert_cmpuint(flow_key_hash(&a), !=, flow_key_hash(&c));
    /* Every byte of both IPv4 addresses moves the hash. */
    for (int i = 0; i < 4; i++) {
        for (int side = 0; side < 2; side++) {
            flow_key d = a;
            d.addr[side][i] ^= 0x40;
            g_assert_cmpuint(flow_key_hash(&a), !=, flow_key_hash(&d));
        }
    }
    /* The same bytes as IPv6 are another key. */
    flow_key e = a;
    e.family = 6;
    g_assert_false(flow_key_equal(&a, &e));
}

/* The lower (address, port) is side 0, addresses compared as memcmp
 * does (byte by byte, unsigned): addresses that differ in any one byte,
 * high bits included, and equal addresses ordered by port. */
static void test_key_order(void)
{
    GRand *rnd = g_rand_new_with_seed(3);
    for (int n = 0; n < 20000; n++) {
        tcp_packet p;
        memset(&p, 0, sizeof p);
        p.family = 6;
        for (int i = 0; i < 16; i++)
            p.src[i] = p.dst[i] = (guint8)g_rand_int(rnd);
        if (n % 4)
            p.dst[g_rand_int_range(rnd, 0, 16)] ^= (guint8)(1u << g_rand_int_range(rnd, 0, 8));
        p.tcp.sport = (guint16)g_rand_int(rnd);
        p.tcp.dport = (guint16)g_rand_int(rnd);
        int c = memcmp(p.src, p.dst, 16);
        int want = (c < 0 || (c == 0 && p.tcp.sport <= p.tcp.dport)) ? 0 : 1;
        flow_key k;
        g_assert_cmpint(flow_key_from_packet(&p, &k), ==, want);
        g_assert_true(memcmp(k.addr[want], p.src, 16) == 0);
        g_assert_true(memcmp(k.addr[!want], p.dst, 16) == 0);
        g_assert_cmpuint(k.port[want], ==, p.tcp.sport);
    }
    g_rand_free(rnd);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/flow/ipv4-text", test_ipv4_text);
    g_test_add_func("/flow/ipv6-text", test_ipv6_text);
    g_test_add_func("/flow/hash", test_hash);
    g_test_add_func("/flow/key-order", test_key_order);
    return g_test_run();
}
