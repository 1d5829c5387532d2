/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How segments become connections: the engine's flow policy (eno/flow.h). */
#include <glib.h>
#include <string.h>

#include "helpers.h"

/* Key sides: the client is key side 1 in these tests, so that endpoints
 * and key sides differ. */
#define CLIENT 1
#define SERVER 0

static eno_segment seg_of(const char *flags, uint32_t seq)
{
    eno_segment s;
    memset(&s, 0, sizeof s);
    for (const char *f = flags; *f; f++)
        s.flags |= *f == 'S' ? ENO_TCP_SYN : *f == 'A' ? ENO_TCP_ACK : *f == 'F' ? ENO_TCP_FIN
                   : *f == 'R' ? ENO_TCP_RST : 0;
    s.seq = seq;
    return s;
}

/* Only a SYN starts a connection on a flow the front end does not know. */
static void test_only_syn_starts(void)
{
    eno_segment syn = seg_of("S", 1), synack = seg_of("SA", 1), ack = seg_of("A", 1),
                rst = seg_of("R", 1), fin = seg_of("FA", 1);
    g_assert_cmpint(eno_flow_classify(NULL, CLIENT, false, &syn), ==, ENO_FLOW_START);
    g_assert_cmpint(eno_flow_classify(NULL, SERVER, false, &synack), ==, ENO_FLOW_START);
    g_assert_cmpint(eno_flow_classify(NULL, CLIENT, false, &ack), ==, ENO_FLOW_SKIP);
    g_assert_cmpint(eno_flow_classify(NULL, CLIENT, false, &rst), ==, ENO_FLOW_SKIP);
    g_assert_cmpint(eno_flow_classify(NULL, CLIENT, false, &fin), ==, ENO_FLOW_SKIP);
}

/* The sender of a SYN-only is the client; so is the receiver of a SYN-ACK
 * seen first (the SYN-only was not captured). */
static void test_client_side(void)
{
    eno_flow_state f;
    eno_segment syn = seg_of("S", 1), synack = seg_of("SA", 1);
    eno_flow_begin(&f, CLIENT, &syn);
    g_assert_cmpint(f.client, ==, CLIENT);
    g_assert_cmpint(eno_flow_dir(&f, CLIENT, false), ==, 0);
    g_assert_cmpint(eno_flow_dir(&f, SERVER, false), ==, 1);
    eno_flow_begin(&f, SERVER, &synack);
    g_assert_cmpint(f.client, ==, CLIENT);
    g_assert_cmpint(eno_flow_dir(&f, SERVER, false), ==, 1);
    g_assert_false(f.settled);
    /* A connection to itself has one endpoint. */
    g_assert_cmpint(eno_flow_dir(&f, SERVER, true), ==, 0);
    g_assert_cmpint(eno_flow_dir(&f, CLIENT, true), ==, 0);
}

/* A whole connection through the policy: feeds, records each direction's
 * first SYN-only ISN, and settles; then only a new SYN-only restarts. */
static void test_lifecycle(void)
{
    t_hs h;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(0, "S", "45 04 21 22"),
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), SEG(0, "FA", ""),
                       SEG(1, "FA", ""), SEG(0, "A", ""), END};
    t_build(&h, s);
    const int side[2] = {CLIENT, SERVER};
    eno_flow_state f;
    eno_conn *c = g_malloc(eno_conn_size());
    g_assert_cmpint(eno_flow_classify(NULL, CLIENT, false, &h.seg[0]), ==, ENO_FLOW_START);
    eno_flow_begin(&f, CLIENT, &h.seg[0]);
    eno_conn_init(c);
    size_t settled_at = 0;
    for (size_t i = 0; i < h.n && !f.settled; i++) {
        eno_segment seg = h.seg[i];
        int sender = side[seg.dir];
        seg.dir = -1;
        g_assert_cmpint(eno_flow_classify(&f, sender, false, &seg), ==, ENO_FLOW_FEED);
        g_assert_cmpint(eno_flow_feed(&f, c, sender, false, &seg), ==, ENO_FEED_TAKEN);
        g_assert_cmpint(seg.dir, ==, h.seg[i].dir);
        settled_at = i;
    }
    g_assert_true(f.settled);
    g_assert_true(eno_conn_settled(c));
    g_free(c);
    g_assert_cmpuint(settled_at, ==, h.n - 2); /* the second FIN: both sides done */
    g_assert_true(f.syn_isn_known[0]);
    g_assert_cmpuint(f.syn_isn[0], ==, h.seg[0].seq);
    g_assert_false(f.syn_isn_known[1]); /* the server sent no SYN-only */

    /* Settled: late segments and a retransmitted SYN-only are skipped. */
    eno_segment late = h.seg[6], again = h.seg[0], synack = h.seg[2];
    g_assert_cmpint(eno_flow_classify(&f, CLIENT, false, &late), ==, ENO_FLOW_SKIP);
    g_assert_cmpint(eno_flow_classify(&f, CLIENT, false, &again), ==, ENO_FLOW_SKIP);
    g_assert_cmpint(eno_flow_classify(&f, SERVER, false, &synack), ==, ENO_FLOW_SKIP);
    /* A SYN-only with a new ISN starts a new connection (port reuse),
     * whichever side sends it. */
    eno_segment reuse = again;
    reuse.seq += 100000;
    g_assert_cmpint(eno_flow_classify(&f, CLIENT, false, &reuse), ==, ENO_FLOW_START);
    g_assert_cmpint(eno_flow_classify(&f, SERVER, false, &reuse), ==, ENO_FLOW_START);
    eno_flow_begin(&f, SERVER, &reuse);
    g_assert_cmpint(f.client, ==, SERVER);
    g_assert_false(f.settled);
    g_assert_false(f.syn_isn_known[0]);
}

/* A SYN-only with a new ISN before the connection settled: the engine
 * does not take it, and the front end starts anew with it. */
static void test_restart_unsettled(void)
{
    t_hs h;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"),
                       {.dir = 0, .flags = "S", .eno = "45 03 21", .seq_delta = 5000}, END};
    t_build(&h, s);
    eno_flow_state f;
    size_t size = eno_conn_size();
    eno_conn *c = g_malloc(size), *saved = g_malloc(size);
    eno_segment first = h.seg[0], second = h.seg[1];
    eno_flow_begin(&f, CLIENT, &first);
    eno_conn_init(c);
    g_assert_cmpint(eno_flow_feed(&f, c, CLIENT, false, &first), ==, ENO_FEED_TAKEN);
    /* The same ISN again is a retransmission, taken. */
    eno_segment retx = h.seg[0];
    g_assert_cmpint(eno_flow_feed(&f, c, CLIENT, false, &retx), ==, ENO_FEED_TAKEN);
    g_assert_cmpint(eno_flow_classify(&f, CLIENT, false, &second), ==, ENO_FLOW_FEED);
    memcpy(saved, c, size);
    g_assert_cmpint(eno_flow_feed(&f, c, CLIENT, false, &second), ==, ENO_FEED_RESTART);
    g_assert_cmpmem(saved, size, c, size); /* not taken */
    g_assert_cmpuint(f.syn_isn[0], ==, h.seg[0].seq);
    eno_flow_begin(&f, CLIENT, &second);
    eno_conn_init(c);
    g_assert_cmpint(eno_flow_feed(&f, c, CLIENT, false, &second), ==, ENO_FEED_TAKEN);
    g_assert_cmpuint(f.syn_isn[0], ==, h.seg[1].seq);
    g_free(c);
    g_free(saved);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/flow/policy/only-syn-starts", test_only_syn_starts);
    g_test_add_func("/flow/policy/client-side", test_client_side);
    g_test_add_func("/flow/policy/lifecycle", test_lifecycle);
    g_test_add_func("/flow/policy/restart-unsettled", test_restart_unsettled);
    return g_test_run();
}
