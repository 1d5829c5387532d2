/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The compact form of a connection after its first segment: packing and
 * unpacking gives back the same state, which evaluates and takes the rest
 * of the handshake as the original does; other states are not packed, and
 * damaged bytes are refused.
 */
#include <glib.h>
#include <string.h>

#include "helpers.h"
/* White-box: the round trip must give back the state byte for byte. */
#include "conn_internal.h"

#define SAME_BYTES(a, b) (memcmp(&(a), &(b), sizeof(a)) == 0)

static void evaluate(const eno_conn *c, eno_result *r)
{
    memset(r, 0, sizeof *r);
    eno_conn_evaluate(c, r);
}

/* Packs the connection after the table's first segment, unpacks it, and
 * feeds the rest to both; returns the compact form's length. */
static size_t round_trip(const t_seg *segs)
{
    t_hs h;
    t_init(&h);
    t_build(&h, segs);
    eno_conn a, b;
    eno_conn_init(&a);
    g_assert_cmpint(eno_conn_add(&a, &h.seg[0]), ==, ENO_ADD_OK);
    uint8_t buf[ENO_CONN_PACK_MAX];
    size_t n = eno_conn_pack(&a, buf, sizeof buf);
    g_assert_cmpuint(n, >, 0);
    g_assert_cmpuint(n, <=, ENO_CONN_PACK_MAX);
    /* Over what it was, whatever it held. */
    memset(&b, 0xa5, sizeof b);
    g_assert_true(eno_conn_unpack(&b, buf, n));
    g_assert_true(memcmp(&a, &b, sizeof a) == 0);
    static eno_result ra, rb;
    evaluate(&a, &ra);
    evaluate(&b, &rb);
    g_assert_true(SAME_BYTES(ra, rb));
    for (size_t i = 1; i < h.n; i++) {
        g_assert_cmpint(eno_conn_add(&a, &h.seg[i]), ==, eno_conn_add(&b, &h.seg[i]));
        g_assert_cmpint(eno_conn_settled(&a), ==, eno_conn_settled(&b));
        evaluate(&a, &ra);
        evaluate(&b, &rb);
        g_assert_true(SAME_BYTES(ra, rb));
    }
    g_assert_true(memcmp(&a, &b, sizeof a) == 0);
    return n;
}

static void test_plain_syn(void)
{
    const t_seg s[] = {SEG(0, "S", ""), SEG(1, "SA", ""), SEG(0, "A", ""), END};
    /* head, frame, flags, sequence number */
    g_assert_cmpuint(round_trip(s), ==, 10);
}

static void test_syn_with_eno(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(1, "SA", "45 03 21"),
                       SEG(0, "A", "45 02"), PAY(0, "PA", NULL, INIT1, 0),
                       PAY(1, "PA", NULL, INIT2, 0), END};
    /* The flood's kind-69 SYN fits in the tracker's 16 bytes. */
    g_assert_cmpuint(round_trip(s), ==, 15);
}

/* A SYN as Linux sends it with the draft-era option after the others:
 * the option space left holds padding, kept byte for byte. */
static void test_syn_full_option_list(void)
{
    const t_seg s[] = {{.dir = 0, .flags = "S",
                        .opts = "02 04 05 b4 04 02 08 0a 00 00 00 01 00 00 00 00 01 03 03 07 "
                                "fe 05 45 4e 21 00 00 00"},
                       {.dir = 1, .flags = "SA", .opts = "fe 05 45 4e 01"},
                       SEG(0, "A", ""), END};
    round_trip(s);
}

static void test_synack_first(void)
{
    const t_seg s[] = {SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    round_trip(s);
    const t_seg s1[] = {SEG(0, "SA", "45 04 01 22"), SEG(1, "A", ""), END};
    round_trip(s1);
}

/* Endpoint 1 first, fields that are usually zero, marks a first segment
 * leaves (reset, FIN, cut options), two ENO options, a short option. */
static void test_unusual_first_segments(void)
{
    const t_seg dir1[] = {SEG(1, "S", "45 04 22 21"), SEG(0, "SA", "45 03 21"), END};
    round_trip(dir1);
    const t_seg acked[] = {{.dir = 0, .flags = "S", .eno = "45", .ack_delta = 77},
                           SEG(1, "SA", ""), END};
    round_trip(acked);
    const t_seg data[] = {PAY(0, "S", "45 04 22 21", PLAIN, 1400), SEG(1, "SA", "45 03 21"),
                          END};
    g_assert_cmpuint(round_trip(data), >, 15);
    const t_seg fin[] = {SEG(0, "SF", "45 03 22"), SEG(1, "SA", ""), END};
    round_trip(fin);
    const t_seg rst[] = {SEG(0, "SR", ""), END};
    round_trip(rst);
    const t_seg cut[] = {{.dir = 0, .flags = "S", .opts = "45 04 22", .truncated = true},
                         SEG(1, "SA", "45 03 21"), END};
    round_trip(cut);
    const t_seg two[] = {{.dir = 0, .flags = "S", .opts = "45 03 22 45 03 21"},
                         SEG(1, "SA", "45 03 21"), END};
    round_trip(two);
    const t_seg tfo[] = {{.dir = 0, .flags = "S", .opts = "22 02 fd 04 12 34 45 03 21"},
                         SEG(1, "SA", ""), END};
    round_trip(tfo);
    const t_seg bad_len[] = {SEG(0, "S", "45 09 22"), SEG(1, "SA", ""), END};
    round_trip(bad_len);
    const t_seg long_opt[] = {{.dir = 0, .flags = "S",
                               .opts = "45 28 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f "
                                       "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 "
                                       "22 23 24 25"},
                              SEG(1, "SA", ""), END};
    /* head, frame, flags, sequence number, length byte, the whole space */
    g_assert_cmpuint(round_trip(long_opt), ==, 10 + 1 + ENO_OPT_MAX);
}

/* Port reuse after the compact form: the new ISN is still recognised. */
static void test_port_reuse_after_unpack(void)
{
    const t_seg s[] = {SEG(0, "S", ""), {.dir = 0, .flags = "S", .seq_delta = 99999}, END};
    t_hs h;
    t_init(&h);
    t_build(&h, s);
    eno_conn c;
    eno_conn_init(&c);
    eno_conn_add(&c, &h.seg[0]);
    uint8_t buf[ENO_CONN_PACK_MAX];
    size_t n = eno_conn_pack(&c, buf, sizeof buf);
    g_assert_true(eno_conn_unpack(&c, buf, n));
    g_assert_cmpint(eno_conn_add(&c, &h.seg[1]), ==, ENO_ADD_NEW_CONNECTION);
}

/* Only the state after one SYN-form segment has a compact form. */
static void test_not_packed(void)
{
    uint8_t buf[ENO_CONN_PACK_MAX];
    eno_conn c;
    eno_conn_init(&c);
    g_assert_cmpuint(eno_conn_pack(&c, buf, sizeof buf), ==, 0);
    t_hs h;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(0, "S", "45 04 22 21"),
                       SEG(1, "SA", ""), END};
    t_build(&h, s);
    eno_conn_add(&c, &h.seg[0]);
    size_t n = eno_conn_pack(&c, buf, sizeof buf);
    g_assert_cmpuint(n, ==, 15);
    /* No room: nothing written past cap. */
    uint8_t small[15];
    g_assert_cmpuint(eno_conn_pack(&c, small, n - 1), ==, 0);
    g_assert_cmpuint(eno_conn_pack(&c, small, n), ==, n);
    g_assert_cmpuint(eno_conn_pack(&c, NULL, 64), ==, 0);
    /* A retransmission or the peer's answer: no longer one segment. */
    eno_conn d = c;
    eno_conn_add(&d, &h.seg[1]);
    g_assert_cmpuint(eno_conn_pack(&d, buf, sizeof buf), ==, 0);
    d = c;
    eno_conn_add(&d, &h.seg[2]);
    g_assert_cmpuint(eno_conn_pack(&d, buf, sizeof buf), ==, 0);
    /* A connection whose first segment had no SYN. */
    t_hs m;
    t_init(&m);
    const t_seg mid[] = {PAY(0, "PA", NULL, PLAIN, 0), END};
    t_build(&m, mid);
    eno_conn_init(&d);
    g_assert_cmpint(eno_conn_add(&d, &m.seg[0]), ==, ENO_ADD_OK);
    g_assert_cmpuint(eno_conn_pack(&d, buf, sizeof buf), ==, 0);
}

/* Every cut of a valid form, a longer one, and option lengths out of
 * range are refused. */
static void test_unpack_refuses_damage(void)
{
    t_hs h;
    t_init(&h);
    const t_seg s[] = {{.dir = 0, .flags = "S", .opts = "22 02 fd 04 12 34 45 03 21",
                        .ack_delta = 5},
                       END};
    t_build(&h, s);
    eno_conn c, d;
    eno_conn_init(&c);
    eno_conn_add(&c, &h.seg[0]);
    uint8_t buf[ENO_CONN_PACK_MAX + 1];
    size_t n = eno_conn_pack(&c, buf, sizeof buf);
    g_assert_cmpuint(n, >, 10);
    for (size_t k = 0; k < n; k++)
        g_assert_false(eno_conn_unpack(&d, buf, k));
    buf[n] = 0;
    g_assert_false(eno_conn_unpack(&d, buf, n + 1));
    g_assert_false(eno_conn_unpack(&d, NULL, n));
    g_assert_true(eno_conn_unpack(&d, buf, n));

    uint8_t bad[64] = {0x80, 1, 0, 0, 0, ENO_TCP_SYN, 1, 0, 0, 0, ENO_OPT_MAX + 1};
    g_assert_false(eno_conn_unpack(&d, bad, 11 + ENO_OPT_MAX + 1));
    bad[10] = 0;
    g_assert_false(eno_conn_unpack(&d, bad, 11));
    /* A count byte of 0 (the segment had an option, so at least 1). */
    bad[10] = 0x80 | 2;
    bad[11] = 0;
    g_assert_false(eno_conn_unpack(&d, bad, 14));
    bad[11] = 3;
    g_assert_true(eno_conn_unpack(&d, bad, 14));

    /* A plain SYN-only form (head, frame 1, flags, seq): taken; with frame
     * 0, without SYN, or with flags that contradict the head, refused. */
    uint8_t plain[10] = {0x00, 1, 0, 0, 0, ENO_TCP_SYN, 9, 0, 0, 0};
    g_assert_true(eno_conn_unpack(&d, plain, sizeof plain));
    plain[1] = 0;
    g_assert_false(eno_conn_unpack(&d, plain, sizeof plain));
    plain[1] = 1;
    plain[5] = ENO_TCP_ACK;
    g_assert_false(eno_conn_unpack(&d, plain, sizeof plain));
    plain[5] = ENO_TCP_SYN | ENO_TCP_ACK;            /* a SYN-ACK, but the head says SYN */
    g_assert_false(eno_conn_unpack(&d, plain, sizeof plain));
    plain[0] = 0x02;                                 /* the head says SYN-ACK */
    g_assert_true(eno_conn_unpack(&d, plain, sizeof plain));
    plain[5] = ENO_TCP_SYN;
    g_assert_false(eno_conn_unpack(&d, plain, sizeof plain));

    /* A state whose segment had frame 0 is not packed. */
    h.seg[0].frame = 0;
    eno_conn_init(&c);
    eno_conn_add(&c, &h.seg[0]);
    g_assert_cmpuint(eno_conn_pack(&c, buf, sizeof buf), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conn-pack/plain-syn", test_plain_syn);
    g_test_add_func("/conn-pack/syn-with-eno", test_syn_with_eno);
    g_test_add_func("/conn-pack/syn-full-option-list", test_syn_full_option_list);
    g_test_add_func("/conn-pack/synack-first", test_synack_first);
    g_test_add_func("/conn-pack/unusual-first-segments", test_unusual_first_segments);
    g_test_add_func("/conn-pack/port-reuse-after-unpack", test_port_reuse_after_unpack);
    g_test_add_func("/conn-pack/not-packed", test_not_packed);
    g_test_add_func("/conn-pack/unpack-refuses-damage", test_unpack_refuses_damage);
    return g_test_run();
}
