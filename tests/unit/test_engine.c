/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The streaming engine: retransmissions, port reuse, simultaneous open,
 * SYN data, payload after enablement, incomplete captures, truncated
 * options, settling and where findings point.
 */
#include <glib.h>
#include <string.h>

#include "helpers.h"
/* White-box: these tests keep connection states on the stack. */
#include "conn_internal.h"

/* ---- retransmitted SYNs (RFC 8547 §4.6) ---- */

static void test_retransmit_same(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(0, "S", "45 04 21 22"),
                       SEG(1, "SA", "45 04 01 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);
    g_assert_cmpuint(r.syn_frame[0], ==, 1);
    g_assert_cmpuint(r.synack_frame[1], ==, 3);
}

static void test_retransmit_changed(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(0, "S", "45 05 00 21 22"),
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 1);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_RETRANSMIT_CHANGED, 2);
    g_assert_cmpuint(f->n_frames, ==, 2);
    g_assert_cmpuint(f->frames[1], ==, 1);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_cmpint(f->severity, ==, ENO_SEV_ERROR);
    g_assert_nonnull(strstr(f->message, "45 05 00 21 22"));
    g_assert_nonnull(strstr(f->message, "45 04 21 22"));
}

/* Only the first change is reported; later identical retransmissions are
 * not findings. */
static void test_retransmit_changed_once(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(0, "S", "45 03 21"),
                       SEG(0, "S", "45 03 22"), SEG(0, "S", "45 04 21 22"),
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    g_assert_cmpuint(t_count(&r, ENO_RULE_RETRANSMIT_CHANGED), ==, 1);
    t_want_rule(&r, ENO_RULE_RETRANSMIT_CHANGED, 2);
}

static void test_retransmit_syn_drops_eno(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(0, "S", ""), SEG(1, "SA", ""),
                       SEG(0, "A", ""), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_PEER_NO_ENO);
    t_want_findings(&r, 0);
    g_assert_false(r.host[0].eno);
    g_assert_false(r.tep_valid);
}

/* The peer answered the original SYN with ENO, but the active opener had
 * already dropped ENO: it runs plain TCP. */
static void test_retransmit_syn_drops_eno_peer_answers(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(0, "S", ""), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", ""), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_PEER_NO_ENO);
    t_want_findings(&r, 0);
}

/* A SYN-only that adds ENO on retransmission is a change. */
static void test_retransmit_syn_adds_eno(void)
{
    const t_seg s[] = {SEG(0, "S", ""), SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want_rule(&r, ENO_RULE_RETRANSMIT_CHANGED, 2);
}

static void test_retransmit_synack_drops_eno(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"), SEG(1, "SA", ""),
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_RETRANSMIT_CHANGED, 3);
    g_assert_cmpint(f->dir, ==, 1);
    g_assert_cmpuint(f->frames[1], ==, 2);
    g_assert_nonnull(strstr(f->message, "no ENO option"));
    t_want_findings(&r, 1);
}

/* An option with more syntax issues than the decoder keeps: the findings
 * that were not kept count them (1 + 37 * 2 + 1 issues, ENO_MAX_FINDINGS
 * findings kept). */
static void test_issues_beyond_max_reported(void)
{
    char hex[3 * 40 + 1];
    size_t at = (size_t)g_snprintf(hex, sizeof hex, "45 28");
    for (int i = 0; i < 38; i++)
        at += (size_t)g_snprintf(hex + at, sizeof hex - at, " 1c");
    const t_seg s[] = {SEG(0, "S", hex), END};
    eno_result r;
    t_run_segs(s, &r);
    g_assert_cmpuint(r.n_findings, ==, ENO_MAX_FINDINGS);
    g_assert_cmpuint(r.n_findings + r.findings_dropped, ==, 1 + 37 * 2 + 1);
}

/* ---- port reuse ---- */

static void test_port_reuse(void)
{
    t_hs h;
    eno_conn c;
    eno_result r;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"), SEG(0, "FA", ""), SEG(1, "FA", ""),
                       SEG(0, "A", ""),
                       /* a new connection on the same ports */
                       {.dir = 0, .flags = "S", .eno = "45 03 21", .seq_delta = 100000},
                       SEG(1, "SA", "45 03 01"), SEG(0, "A", ""), END};
    t_build(&h, s);
    eno_conn_init(&c);
    for (size_t i = 0; i < 6; i++)
        g_assert_cmpint(eno_conn_add(&c, &h.seg[i]), !=, ENO_ADD_NEW_CONNECTION);
    g_assert_true(eno_conn_settled(&c));
    eno_conn saved = c;
    g_assert_cmpint(eno_conn_add(&c, &h.seg[6]), ==, ENO_ADD_NEW_CONNECTION);
    g_assert_cmpmem(&saved, sizeof saved, &c, sizeof c); /* not taken */
    eno_conn_evaluate(&c, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);

    eno_conn n;
    eno_conn_init(&n);
    for (size_t i = 6; i < h.n; i++)
        g_assert_cmpint(eno_conn_add(&n, &h.seg[i]), ==, ENO_ADD_OK);
    eno_conn_evaluate(&n, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_NO_COMMON_TEP);
    g_assert_cmpuint(r.syn_frame[0], ==, 7);
}

/* A new ISN ends the old connection even before it completed; the same
 * ISN is a retransmission. */
static void test_port_reuse_unfinished(void)
{
    t_hs h;
    eno_conn c;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(0, "S", "45 04 21 22"),
                       {.dir = 0, .flags = "S", .eno = "45 04 21 22", .seq_delta = 7}, END};
    t_build(&h, s);
    eno_conn_init(&c);
    g_assert_cmpint(eno_conn_add(&c, &h.seg[0]), ==, ENO_ADD_OK);
    g_assert_cmpint(eno_conn_add(&c, &h.seg[1]), ==, ENO_ADD_OK);
    g_assert_cmpint(eno_conn_add(&c, &h.seg[2]), ==, ENO_ADD_NEW_CONNECTION);
    /* The peer opening on the same ports after the old connection ended. */
    t_init(&h);
    const t_seg s2[] = {SEG(0, "S", ""), SEG(1, "SA", ""), SEG(0, "A", ""), SEG(1, "S", ""),
                        END};
    t_build(&h, s2);
    eno_conn_init(&c);
    for (size_t i = 0; i < 3; i++)
        g_assert_cmpint(eno_conn_add(&c, &h.seg[i]), ==, ENO_ADD_OK);
    g_assert_cmpint(eno_conn_add(&c, &h.seg[3]), ==, ENO_ADD_NEW_CONNECTION);
}

static void test_add_rejects_bad_input(void)
{
    eno_conn c;
    eno_segment s;
    memset(&s, 0, sizeof s);
    eno_conn_init(&c);
    s.dir = 2;
    s.flags = ENO_TCP_SYN;
    g_assert_cmpint(eno_conn_add(&c, &s), ==, ENO_ADD_IGNORED);
    s.dir = -1;
    g_assert_cmpint(eno_conn_add(&c, &s), ==, ENO_ADD_IGNORED);
    g_assert_cmpint(eno_conn_add(&c, NULL), ==, ENO_ADD_IGNORED);
    g_assert_cmpint(eno_conn_add(NULL, &s), ==, ENO_ADD_IGNORED);
    g_assert_cmpuint(c.segments, ==, 0);
}

/* ---- simultaneous open ---- */

static void test_simopen_success(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 06 01 21 22 23"),
                       SEG(1, "SA", "45 06 01 21 22 23"), SEG(0, "SA", "45 04 22 21"),
                       PAY(0, "PA", "", INIT1, 100), PAY(1, "PA", "", INIT2, 100), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);
    g_assert_cmpint(r.open, ==, ENO_OPEN_SIMULTANEOUS);
    g_assert_cmpint(r.active, ==, -1);
    g_assert_cmpint(r.host_a, ==, 0);
    g_assert_true(r.host[0].is_active && r.host[1].is_active);
    g_assert_true(r.host[1].b && r.host[1].b_explicit);
    g_assert_false(r.host[0].b_explicit);
    g_assert_cmpuint(r.tep, ==, 0x22);
    g_assert_cmpuint(r.syn_tep, ==, 0x21);
    g_assert_cmpuint(r.syn_frame[0], ==, 1);
    g_assert_cmpuint(r.syn_frame[1], ==, 2);
    g_assert_cmpuint(r.synack_frame[1], ==, 3);
    g_assert_cmpuint(r.synack_frame[0], ==, 4);
    uint8_t want_t[16];
    size_t n = t_hex("45 04 22 21 45 06 01 21 22 23", want_t, sizeof want_t);
    g_assert_cmpmem(r.transcript, r.transcript_len, want_t, n);
}

static void test_simopen_synack_omits_eno(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 06 01 21 22 23"),
                       SEG(0, "SA", ""), SEG(1, "SA", "45 06 01 21 22 23"), END};
    eno_result r;
    t_run_segs(s, &r);
    g_assert_cmpint(r.open, ==, ENO_OPEN_SIMULTANEOUS);
    t_want_findings(&r, 0);
    /* The host that omitted ENO disabled it (the reason is the engine's
     * choice: that host never sent an ACK segment with ENO). */
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO);
}

static void test_simopen_synack_changed(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 06 01 21 22 23"),
                       SEG(0, "SA", "45 04 22 23"), SEG(1, "SA", "45 06 01 21 22 23"), END};
    eno_result r;
    t_run_segs(s, &r);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_SIMOPEN_CHANGED, 3);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_cmpuint(f->frames[1], ==, 1);
    t_want_findings(&r, 1);
}

/* A SYN-ACK repeating its SYN's flawed option reports the flaw once. */
static void test_simopen_flaw_reported_once(void)
{
    const t_seg s[] = {SEG(0, "S", "45 05 22 21 22"), SEG(1, "S", "45 04 01 22"),
                       SEG(0, "SA", "45 05 22 21 22"), SEG(1, "SA", "45 04 01 22"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    g_assert_cmpuint(t_count(&r, ENO_RULE_SYNTAX_DUPLICATE_TEP), ==, 1);
    t_want_rule(&r, ENO_RULE_SYNTAX_DUPLICATE_TEP, 1);
    t_want_findings(&r, 1);
}

/* ...but a second ENO option the SYN-ACK alone carries is its own flaw,
 * and a SYN-ACK with several ENO options counts as carrying none, so each
 * also differs from its SYN-only. */
static void test_simopen_synack_multiple_eno(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 04 01 22"),
                       {.dir = 0, .flags = "SA", .opts = "45 04 22 21 45 02"},
                       {.dir = 1, .flags = "SA", .opts = "45 04 01 22 45 02"}, END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_INVALID_OPTION);
    g_assert_cmpuint(t_count(&r, ENO_RULE_SYNTAX_MULTIPLE_ENO), ==, 2);
    t_want_rule(&r, ENO_RULE_SYNTAX_MULTIPLE_ENO, 3);
    g_assert_cmpuint(t_count(&r, ENO_RULE_SIMOPEN_CHANGED), ==, 2);
    g_assert_nonnull(strstr(t_get(&r, ENO_RULE_SIMOPEN_CHANGED)->message, "1 more ENO option"));
    t_want_findings(&r, 4);
}

/* A SYN-ACK repeating its SYN-only's several ENO options: one finding. */
static void test_simopen_multiple_eno_repeated(void)
{
    const t_seg s[] = {{.dir = 0, .flags = "S", .opts = "45 04 22 21 45 02"},
                       SEG(1, "S", "45 04 01 22"),
                       {.dir = 0, .flags = "SA", .opts = "45 04 22 21 45 02"},
                       SEG(1, "SA", "45 04 01 22"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_INVALID_OPTION);
    t_want_rule(&r, ENO_RULE_SYNTAX_MULTIPLE_ENO, 1);
    t_want_findings(&r, 1);
}

static void test_simopen_b_roles(void)
{
    /* Endpoint 1 sets b=1 is B; with both b=1 the roles conflict. */
    const t_seg s[] = {SEG(0, "S", "45 04 01 22"), SEG(1, "S", "45 04 01 22"),
                       SEG(0, "SA", "45 04 01 22"), SEG(1, "SA", "45 04 01 22"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ROLE_CONFLICT);
    t_want_findings(&r, 0);
    g_assert_cmpint(r.host_a, ==, -1);
}

/* ---- SYN data (RFC 8547 §4.7) ---- */

static void test_syndata_acked_other_tep(void)
{
    /* SYN TEP 0x20 may define SYN data, but B negotiates 0x21: B must not
     * ack the data, and A must reset when it does. */
    const t_seg s[] = {PAY(0, "S", "45 04 21 20", "01 02 03", 3),
                       {.dir = 1, .flags = "SA", .eno = "45 04 01 21", .ack_delta = 3},
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    g_assert_true(r.syn_tep_valid);
    g_assert_cmpuint(r.syn_tep, ==, 0x20);
    t_want_rule(&r, ENO_RULE_SYNDATA_ACKED, 2);
    t_want_rule(&r, ENO_RULE_SYNDATA_NO_RESET, 3);
    g_assert_cmpuint(t_count(&r, ENO_RULE_SYNDATA_NOT_ALLOWED), ==, 0);
    t_want_findings(&r, 2);
}

static void test_syndata_acked_other_tep_reset(void)
{
    const t_seg s[] = {PAY(0, "S", "45 04 21 20", "01 02 03", 3),
                       {.dir = 1, .flags = "SA", .eno = "45 04 01 21", .ack_delta = 3},
                       SEG(0, "R", ""), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want_rule(&r, ENO_RULE_SYNDATA_ACKED, 2);
    g_assert_cmpuint(t_count(&r, ENO_RULE_SYNDATA_NO_RESET), ==, 0);
    g_assert_cmpint(r.status, ==, ENO_STATUS_INCOMPLETE);
}

static void test_syndata_same_tep_unknown_rules(void)
{
    /* SYN TEP 0x20 is negotiated and its SYN data rules are unknown. */
    const t_seg s[] = {PAY(0, "S", "45 04 21 20", "01 02 03", 3),
                       {.dir = 1, .flags = "SA", .eno = "45 04 01 20", .ack_delta = 3},
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);
}

static void test_syndata_disabled(void)
{
    /* No common TEP: B (with ENO) must discard A's SYN data. */
    const t_seg s[] = {PAY(0, "S", "45 03 20", "01 02 03", 3),
                       {.dir = 1, .flags = "SA", .eno = "45 03 01 23", .ack_delta = 3},
                       SEG(0, "A", ""), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_NO_COMMON_TEP);
    t_want_rule(&r, ENO_RULE_SYNDATA_ACKED, 2);
    t_want_rule(&r, ENO_RULE_SYNDATA_NO_RESET, 3);
}

static void test_syndata_partly_acked_is_not_plain_ack(void)
{
    /* ack of ISN+1 only is fine even with SYN data. */
    const t_seg s[] = {PAY(0, "S", "45 04 21 20", "01 02 03", 3), SEG(1, "SA", "45 04 01 21"),
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);
}

/* A SYN-only whose answer is missing could be half of a simultaneous open
 * in which its sender is not host A: no SYN-data verdict yet. */
static void test_syndata_unanswered(void)
{
    const t_seg s[] = {PAY(0, "S", "45 04 21 22", "01 02", 2), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    t_want_findings(&r, 0);
    /* It was: both hosts sent b=0, so neither is A. */
    const t_seg sim[] = {PAY(0, "S", "45 04 21 22", "01 02", 2), SEG(1, "S", "45 03 22"),
                         SEG(0, "SA", ""), SEG(1, "SA", ""), END};
    t_run_segs(sim, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ROLE_CONFLICT);
    t_want_findings(&r, 0);
}

/* The original SYN carried ENO and data; the retransmission dropped ENO.
 * The original's data stays a finding. */
static void test_syndata_then_dropped(void)
{
    const t_seg s[] = {PAY(0, "S", "45 04 21 22", "01 02", 2), PAY(0, "S", "", "01 02", 2),
                       SEG(1, "SA", ""), SEG(0, "A", ""), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_PEER_NO_ENO);
    t_want_rule(&r, ENO_RULE_SYNDATA_NOT_ALLOWED, 1);
    t_want_findings(&r, 1);
}

/* ---- payload after enablement ---- */

static void test_enable_tcpcrypt_ok(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"), PAY(0, "PA", "", INIT1, 200),
                       PAY(1, "PA", "", INIT2, 200), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);
}

static void test_enable_wrong_magic(void)
{
    /* Host A answering with INIT2 is not its opening message. */
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"), PAY(0, "PA", "", INIT2, 200),
                       PAY(1, "PA", "", INIT2, 200), END};
    eno_result r;
    t_run_segs(s, &r);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_ENABLE_PLAINTEXT, 4);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_nonnull(strstr(f->message, "INIT1"));
    t_want_findings(&r, 1);
}

static void test_enable_plaintext_in_ack(void)
{
    /* Payload on the completing ACK itself counts. */
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       PAY(0, "PA", "45 02", PLAIN, 8), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_rule(&r, ENO_RULE_ENABLE_PLAINTEXT, 3);
}

static void test_enable_short_and_uncaptured(void)
{
    /* A two-byte first payload that starts INIT1's magic may be the start
     * of a split message: not judged.  A payload not captured at all
     * cannot be judged either. */
    const t_seg ok[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                        SEG(0, "A", "45 02"), PAY(0, "PA", "", "15 10", 2),
                        {.dir = 1, .flags = "PA", .paylen = 300}, END};
    eno_result r;
    t_run_segs(ok, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);

    /* Two bytes that already differ from the magic are judged. */
    const t_seg bad[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                         SEG(0, "A", "45 02"), PAY(0, "PA", "", "15 11", 2), END};
    t_run_segs(bad, &r);
    t_want_rule(&r, ENO_RULE_ENABLE_PLAINTEXT, 4);
    t_want_findings(&r, 1);
}

static void test_enable_resumption_skips(void)
{
    /* B's negotiated suboption has v=1: a resumption sends no INIT. */
    const t_seg s[] = {SEG(0, "S", "45 0d 21 a2 01 02 03 04 05 06 07 08 09"),
                       SEG(1, "SA", "45 04 01 a2"), SEG(0, "A", "45 02"),
                       PAY(0, "PA", "", PLAIN, 100), PAY(1, "PA", "", PLAIN, 100), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    g_assert_true(r.tep_v);
    g_assert_cmpuint(r.tep_byte_b, ==, 0xa2);
    g_assert_true(r.tep_data_present[0]);
    g_assert_cmpuint(r.tep_data_len[0], ==, 9);
    g_assert_cmpuint(r.tep_data[0][8], ==, 9);
    t_want_findings(&r, 0);
}

static void test_enable_unknown_tep_unjudged(void)
{
    const t_seg s[] = {SEG(0, "S", "45 03 25"), SEG(1, "SA", "45 04 01 25"), SEG(0, "A", "45 02"),
                       PAY(0, "PA", "", PLAIN, 100), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);
}

static void test_tep_after_disable_init2(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", ""), PAY(0, "PA", "", PLAIN, 20), PAY(1, "PA", "", INIT2, 20),
                       END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_ENABLE_TEP_AFTER_DISABLE, 5);
    g_assert_cmpint(f->dir, ==, 1);
    g_assert_nonnull(strstr(f->message, "INIT2"));
    g_assert_cmpuint(t_count(&r, ENO_RULE_ENABLE_PLAINTEXT), ==, 0);
}

/* ---- draft profile ---- */

static void test_draft_resumption(void)
{
    /* tcpcryptd 0.5 resumption: SYN-ACK lists one TEP with v=1 and no
     * data, A's ACK carries no ENO. */
    const t_seg s[] = {SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e a1"),
                       SEG(0, "A", ""), PAY(0, "PA", "", PLAIN, 50), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    g_assert_cmpint(r.profile, ==, ENO_PROFILE_DRAFT);
    g_assert_cmpint(t_get(&r, ENO_RULE_ACK_MISSING)->severity, ==, ENO_SEV_WARNING);
    g_assert_cmpint(t_get(&r, ENO_RULE_ROLE_PASSIVE_B_UNSET)->severity, ==, ENO_SEV_NOTE);
    g_assert_cmpuint(t_count(&r, ENO_RULE_ENABLE_PLAINTEXT), ==, 0);
    g_assert_cmpuint(r.tep, ==, 0x21);
    g_assert_nonnull(t_find(&r, ENO_RULE_LEGACY_EXID_ENCODING));
    t_want_findings(&r, 3);
}

/* tcpcryptd 0.5 with application-aware hosts (shared captures,
 * 03-app-aware-both): the global suboption stands after the TEPs. */
static void test_draft_app_aware(void)
{
    const t_seg s[] = {SEG(0, "S", "fd 07 45 4e 21 22 02"), SEG(1, "SA", "fd 06 45 4e 21 02"),
                       PAY(0, "A", "fd 04 45 4e", "15 10 1a 0e 00 00 00 6e", 110),
                       PAY(1, "A", "", "09 71 05 e0 00 00 00 6c", 108), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    g_assert_cmpuint(r.tep, ==, 0x21);
    g_assert_true(r.host[0].a && r.host[1].a);
    g_assert_false(r.host[1].b);
    g_assert_true(r.host[1].b_explicit);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_ROLE_PASSIVE_B_UNSET, 2);
    g_assert_cmpint(f->severity, ==, ENO_SEV_NOTE);
    g_assert_cmpint(f->offset, ==, 5);
    t_want_rule(&r, ENO_RULE_LEGACY_EXID_ENCODING, 1);
    t_want_findings(&r, 2);
}

/* The profile follows the SYN-form options: a later kind-69 option does
 * not turn a draft handshake into an RFC 8547 one. */
static void test_draft_profile_from_syns(void)
{
    const t_seg s[] = {SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 22"),
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    g_assert_cmpint(r.profile, ==, ENO_PROFILE_DRAFT);
    g_assert_cmpint(t_get(&r, ENO_RULE_ROLE_PASSIVE_B_UNSET)->severity, ==, ENO_SEV_NOTE);
    /* Only a non-SYN option: it decides. */
    const t_seg n[] = {PAY(0, "PA", "fd 04 45 4e", PLAIN, 8), END};
    t_run_segs(n, &r);
    g_assert_cmpint(r.profile, ==, ENO_PROFILE_DRAFT);
    /* Mixed SYN-form encodings: RFC 8547. */
    const t_seg m[] = {SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "fd 04 45 4e"), END};
    t_run_segs(m, &r);
    g_assert_cmpint(r.profile, ==, ENO_PROFILE_RFC8547);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
}


/* Draft profile, fresh key exchange (v=0), ENO stripped from A's
 * completing ACK: B disables; A's INIT1 is reported, B echoing it back as
 * plain data is not. */
static void test_draft_fresh_ack_stripped(void)
{
    const t_seg s[] = {SEG(0, "S", "fd 05 45 4e 21"), SEG(1, "SA", "fd 05 45 4e 21"),
                       PAY(0, "PA", "", INIT1, 100), PAY(1, "PA", "", INIT1, 100), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO);
    g_assert_cmpint(r.profile, ==, ENO_PROFILE_DRAFT);
    g_assert_true(r.tep_valid);
    g_assert_false(r.tep_v);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_ACK_MISSING, 3);
    g_assert_cmpint(f->severity, ==, ENO_SEV_WARNING);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_nonnull(strstr(f->message, "stripped or replaced"));
    f = t_want_rule(&r, ENO_RULE_ENABLE_TEP_AFTER_DISABLE, 3);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_cmpuint(t_count(&r, ENO_RULE_ENABLE_TEP_AFTER_DISABLE), ==, 1);
    g_assert_cmpuint(t_count(&r, ENO_RULE_ENABLE_PLAINTEXT), ==, 0);
    g_assert_nonnull(strstr(r.detail, "fresh key exchange"));
}

/* The same with plain text from both hosts: nothing beyond ack.missing. */
static void test_draft_fresh_ack_stripped_plain(void)
{
    const t_seg s[] = {SEG(0, "S", "fd 05 45 4e 21"), SEG(1, "SA", "fd 05 45 4e 21"),
                       SEG(0, "A", ""), PAY(0, "PA", "", PLAIN, 50), PAY(1, "PA", "", PLAIN, 50),
                       END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO);
    t_want_rule(&r, ENO_RULE_ACK_MISSING, 3);
    g_assert_cmpuint(t_count(&r, ENO_RULE_ENABLE_PLAINTEXT), ==, 0);
    g_assert_cmpuint(t_count(&r, ENO_RULE_ENABLE_TEP_AFTER_DISABLE), ==, 0);
    g_assert_cmpuint(t_count(&r, ENO_RULE_ACK_UNEXPECTED), ==, 0);
    /* legacy.exid_encoding, role.passive_b_unset, ack.missing */
    t_want_findings(&r, 3);
}

/* An experimental option with another ExID in ENO's place counts as no
 * ENO, and the finding names it. */
static void test_draft_ack_exid_replaced(void)
{
    const t_seg s[] = {SEG(0, "S", "fd 05 45 4e 21"), SEG(1, "SA", "fd 05 45 4e 21"),
                       {.dir = 0, .flags = "PA", .opts = "fd 04 45 4f", .payload = INIT1,
                        .paylen = 100},
                       END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_ACK_MISSING, 3);
    g_assert_nonnull(strstr(f->message, "ExID 0x454F"));
    g_assert_nonnull(strstr(f->message, "replaced"));
    t_want_rule(&r, ENO_RULE_ENABLE_TEP_AFTER_DISABLE, 3);
}

/* B's v=1 decides only in the draft profile: kind 69 disables whatever
 * B answered. */
static void test_rfc_resumption_ack_missing(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 a2"), SEG(0, "A", ""),
                       END};
    eno_result r;
    t_run_segs(s, &r);
    g_assert_true(r.tep_v);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO);
    g_assert_cmpint(t_get(&r, ENO_RULE_ACK_MISSING)->severity, ==, ENO_SEV_ERROR);
    t_want_findings(&r, 1);
}

/* ---- several ENO options ---- */

static void test_multiple_eno_syn(void)
{
    const t_seg s[] = {{.dir = 0, .flags = "S", .opts = "45 04 21 22 45 04 21 22"},
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", ""), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_INVALID_OPTION);
    g_assert_nonnull(strstr(r.detail, "several ENO options"));
    g_assert_false(r.host[0].eno);
    g_assert_true(r.host[0].malformed);
    g_assert_true(r.host[1].eno);
    g_assert_false(r.tep_valid);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_SYNTAX_MULTIPLE_ENO, 1);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_nonnull(strstr(f->message, "2 ENO options"));
    t_want_findings(&r, 1);
}

static void test_multiple_eno_nonsyn(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       {.dir = 0, .flags = "A", .opts = "45 02 45 03 01 45 02"},
                       PAY(0, "PA", "", INIT1, 100), PAY(1, "PA", "", INIT2, 100), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_findings(&r, 0);
}

/* A retransmitted SYN that adds a second ENO option changes what its
 * receiver does: the original negotiates, the retransmission is flagged. */
static void test_multiple_eno_retransmission(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"),
                       {.dir = 0, .flags = "S", .opts = "45 04 21 22 45 03 23"},
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_rule(&r, ENO_RULE_RETRANSMIT_CHANGED, 2);
    t_want_rule(&r, ENO_RULE_SYNTAX_MULTIPLE_ENO, 2);
    t_want_findings(&r, 2);
}

/* ---- TCP Fast Open beside ENO ---- */

static void test_tfo_cookie_and_request(void)
{
    const t_seg c[] = {{.dir = 0, .flags = "S", .opts = "22 06 aa bb cc dd 45 04 21 22"},
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(c, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_SYNDATA_TFO, 1);
    g_assert_cmpint(f->severity, ==, ENO_SEV_ERROR);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_nonnull(strstr(f->message, "cookie (kind 34, 4 cookie bytes)"));
    t_want_findings(&r, 1);

    const t_seg q[] = {{.dir = 0, .flags = "S", .opts = "45 04 21 22 22 02"},
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    t_run_segs(q, &r);
    f = t_want_rule(&r, ENO_RULE_SYNDATA_TFO, 1);
    g_assert_nonnull(strstr(f->message, "cookie request (kind 34, no cookie)"));

    const t_seg x[] = {{.dir = 0, .flags = "S", .opts = "45 04 21 22 fe 08 f9 89 01 02 03 04"},
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    t_run_segs(x, &r);
    f = t_want_rule(&r, ENO_RULE_SYNDATA_TFO, 1);
    g_assert_nonnull(strstr(f->message, "ExID 0xF989, 4 cookie bytes"));
}

/* B's SYN-ACK and a simultaneous open's SYN-ACKs are SYN segments too. */
static void test_tfo_synack(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 04 01 22"),
                       {.dir = 0, .flags = "SA", .opts = "45 04 22 21 22 02"},
                       SEG(1, "SA", "45 04 01 22"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_SYNDATA_TFO, 3);
    g_assert_cmpint(f->dir, ==, 0);
    g_assert_nonnull(strstr(f->message, "SYN-ACK"));
    t_want_findings(&r, 1);
}

/* TFO without ENO in the SYN, or with ENO outside SYN segments: nothing;
 * options cut by the snapshot length: not judged. */
static void test_tfo_near_misses(void)
{
    const t_seg a[] = {{.dir = 0, .flags = "S", .opts = "22 02"},
                       {.dir = 1, .flags = "SA", .opts = "22 06 01 02 03 04"}, SEG(0, "A", ""),
                       END};
    eno_result r;
    t_run_segs(a, &r);
    t_want(&r, ENO_STATUS_NO_ENO, ENO_REASON_NONE);
    t_want_findings(&r, 0);
    const t_seg b[] = {{.dir = 0, .flags = "S", .opts = "22 02"}, SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", ""), END};
    t_run_segs(b, &r);
    t_want(&r, ENO_STATUS_DISABLED, ENO_REASON_PEER_NO_ENO);
    g_assert_cmpuint(t_count(&r, ENO_RULE_SYNDATA_TFO), ==, 0);
    const t_seg c[] = {{.dir = 0, .flags = "S", .opts = "45 04 21 22 22 02", .truncated = true},
                       SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"), END};
    t_run_segs(c, &r);
    g_assert_cmpuint(t_count(&r, ENO_RULE_SYNDATA_TFO), ==, 0);
}

/* ---- missing segments ---- */

static void test_only_synack(void)
{
    /* The capture starts with the SYN-ACK: the client is its receiver. */
    const t_seg s[] = {SEG(1, "SA", "45 04 00 22"), SEG(0, "A", "45 02"),
                       PAY(0, "PA", "", PLAIN, 10), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    g_assert_cmpint(r.open, ==, ENO_OPEN_UNKNOWN);
    t_want_findings(&r, 0);
}

static void test_mid_connection(void)
{
    const t_seg s[] = {PAY(0, "PA", "45 02", PLAIN, 10), PAY(1, "PA", "", PLAIN, 10), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    t_want_findings(&r, 0);
}

static void test_no_eno(void)
{
    const t_seg s[] = {SEG(0, "S", ""), SEG(1, "SA", ""), SEG(0, "A", ""),
                       PAY(0, "PA", "", PLAIN, 10), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_NO_ENO, ENO_REASON_NONE);
    t_want_findings(&r, 0);
    g_assert_cmpuint(r.transcript_len, ==, 0);
}

/* ---- truncated options ---- */

static void test_truncated_syn(void)
{
    /* The cut SYN option would look overrun: not judged. */
    const t_seg s[] = {{.dir = 0, .flags = "S", .opts = "02 04 05 b4 45 0a 21", .truncated = true},
                       SEG(1, "SA", "45 04 01 21"), SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    const eno_finding *f = t_want_rule(&r, ENO_RULE_CAPTURE_OPTIONS_TRUNCATED, 1);
    g_assert_cmpint(f->severity, ==, ENO_SEV_NOTE);
    t_want_findings(&r, 1);
}

static void test_truncated_ack(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       {.dir = 0, .flags = "A", .opts = "01 01 08 0a 00 00", .truncated = true},
                       END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    t_want_rule(&r, ENO_RULE_CAPTURE_OPTIONS_TRUNCATED, 3);
    t_want_findings(&r, 1);
}

/* A later segment whose cut options hold a cut ENO option: not judged. */
static void test_truncated_later_segment(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"),
                       {.dir = 0, .flags = "A", .opts = "01 01 45 0a aa", .truncated = true},
                       END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_rule(&r, ENO_RULE_CAPTURE_OPTIONS_TRUNCATED, 4);
    t_want_findings(&r, 1);
}

/* A retransmitted SYN whose options were cut is not a changed option, nor
 * one that dropped ENO. */
static void test_truncated_retransmission(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"),
                       {.dir = 0, .flags = "S", .opts = "02 04 05 b4 45 04 21", .truncated = true},
                       {.dir = 0, .flags = "S", .opts = "02 04 05", .truncated = true},
                       SEG(1, "SA", "45 04 01 22"),
                       {.dir = 1, .flags = "SA", .opts = "02 04", .truncated = true},
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
    t_want_rule(&r, ENO_RULE_CAPTURE_OPTIONS_TRUNCATED, 2);
    t_want_findings(&r, 1);
}

/* The first SYN was cut and its retransmission is whole: the first SYN
 * stays the one the connection is judged by, so the outcome stays
 * incomplete, and the two are not compared. */
static void test_truncated_then_whole(void)
{
    const t_seg s[] = {{.dir = 0, .flags = "S", .opts = "02 04 05 b4 45", .truncated = true},
                       SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    t_want_rule(&r, ENO_RULE_CAPTURE_OPTIONS_TRUNCATED, 1);
    t_want_findings(&r, 1);
}

static void test_truncated_simopen_synack(void)
{
    const t_seg s[] = {SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 04 01 22"),
                       {.dir = 0, .flags = "SA", .opts = "02 04 05", .truncated = true},
                       SEG(1, "SA", "45 04 01 22"), END};
    eno_result r;
    t_run_segs(s, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    t_want_rule(&r, ENO_RULE_CAPTURE_OPTIONS_TRUNCATED, 3);
    t_want_findings(&r, 1);
}

/* ---- settling ---- */

static void test_settled(void)
{
    t_hs h;
    eno_conn c;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "A", "45 02"), PAY(0, "PA", "", INIT1, 100),
                       PAY(1, "PA", "", INIT2, 100), PAY(0, "PA", "", PLAIN, 100),
                       SEG(1, "SA", "45 04 01 22"), END};
    t_build(&h, s);
    eno_conn_init(&c);
    g_assert_false(eno_conn_settled(&c));
    for (size_t i = 0; i < 5; i++) {
        g_assert_false(eno_conn_settled(&c));
        g_assert_cmpint(eno_conn_add(&c, &h.seg[i]), ==, ENO_ADD_OK);
    }
    g_assert_true(eno_conn_settled(&c));
    eno_result before, after;
    eno_conn_evaluate(&c, &before);
    g_assert_cmpint(eno_conn_add(&c, &h.seg[5]), ==, ENO_ADD_IGNORED);
    g_assert_cmpint(eno_conn_add(&c, &h.seg[6]), ==, ENO_ADD_IGNORED);
    g_assert_cmpint(eno_conn_add(&c, &h.seg[0]), ==, ENO_ADD_IGNORED);
    eno_conn_evaluate(&c, &after);
    g_assert_cmpint(before.status, ==, after.status);
    g_assert_cmpuint(before.n_findings, ==, after.n_findings);
    t_want(&after, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE);
}

static void test_settled_fin_and_no_eno(void)
{
    t_hs h;
    eno_conn c;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", ""), SEG(1, "SA", ""), SEG(0, "A", ""), END};
    t_build(&h, s);
    eno_conn_init(&c);
    eno_conn_add(&c, &h.seg[0]);
    eno_conn_add(&c, &h.seg[1]);
    g_assert_false(eno_conn_settled(&c));
    eno_conn_add(&c, &h.seg[2]);
    g_assert_true(eno_conn_settled(&c)); /* no ENO anywhere: nothing to wait for */

    t_init(&h);
    const t_seg f[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       SEG(0, "FA", "45 02"), SEG(1, "FA", ""), END};
    t_build(&h, f);
    eno_conn_init(&c);
    eno_conn_add(&c, &h.seg[0]);
    eno_conn_add(&c, &h.seg[1]);
    eno_conn_add(&c, &h.seg[2]);
    g_assert_false(eno_conn_settled(&c));
    eno_conn_add(&c, &h.seg[3]);
    g_assert_true(eno_conn_settled(&c));
}

/* One FIN is a half close: the peer may still send its first payload,
 * which is judged. */
static void test_settled_half_close(void)
{
    t_hs h;
    eno_conn c;
    eno_result r;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       PAY(0, "FPA", "45 02", INIT1, 100), PAY(1, "PA", "", PLAIN, 100),
                       SEG(1, "FA", ""), SEG(0, "A", ""), END};
    t_build(&h, s);
    eno_conn_init(&c);
    for (size_t i = 0; i < 3; i++)
        g_assert_cmpint(eno_conn_add(&c, &h.seg[i]), ==, ENO_ADD_OK);
    g_assert_false(eno_conn_settled(&c));
    g_assert_cmpint(eno_conn_add(&c, &h.seg[3]), ==, ENO_ADD_OK);
    eno_conn_evaluate(&c, &r);
    t_want_rule(&r, ENO_RULE_ENABLE_PLAINTEXT, 4);
    g_assert_true(eno_conn_settled(&c)); /* both first payloads seen */
    g_assert_cmpint(eno_conn_add(&c, &h.seg[4]), ==, ENO_ADD_IGNORED);

    /* A reset ends the connection at once. */
    t_init(&h);
    const t_seg rs[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "R", ""), END};
    t_build(&h, rs);
    eno_conn_init(&c);
    eno_conn_add(&c, &h.seg[0]);
    g_assert_false(eno_conn_settled(&c));
    eno_conn_add(&c, &h.seg[1]);
    g_assert_true(eno_conn_settled(&c));
    eno_conn_evaluate(&c, &r);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
    g_assert_nonnull(strstr(r.detail, "reset"));
}

static void test_settled_after_many(void)
{
    /* Payload only from one side: settles after enough segments. */
    t_hs h;
    eno_conn c;
    t_init(&h);
    const t_seg s[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"),
                       PAY(0, "PA", "45 02", INIT1, 100), END};
    t_build(&h, s);
    eno_conn_init(&c);
    for (size_t i = 0; i < h.n; i++)
        eno_conn_add(&c, &h.seg[i]);
    g_assert_false(eno_conn_settled(&c));
    eno_segment more = h.seg[2];
    unsigned added = 0;
    while (!eno_conn_settled(&c) && added < 1000) {
        more.frame++;
        more.seq += 100;
        g_assert_cmpint(eno_conn_add(&c, &more), ==, ENO_ADD_OK);
        added++;
    }
    g_assert_true(eno_conn_settled(&c));
    g_assert_cmpuint(added, <, 100);
}

/* ---- where findings point ---- */

static void test_finding_offsets(void)
{
    eno_result r;
    /* Global suboption after the TEP, as real stacks send it. */
    const t_seg g[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 22 00"), END};
    t_run_segs(g, &r);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_ROLE_PASSIVE_B_UNSET, 2)->offset, ==, 3);
    const t_seg i[] = {SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 03 22"), END};
    t_run_segs(i, &r);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_ROLE_PASSIVE_B_UNSET, 2)->offset, ==, -1);
    const t_seg t[] = {SEG(0, "S", "45 07 21 22 21 10 73"),
                       SEG(1, "SA", "45 08 01 22 81 a4 aa bb"), END};
    t_run_segs(t, &r);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_SYNTAX_DUPLICATE_TEP, 1)->offset, ==, 4);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_SYNTAX_RESERVED_BITS, 1)->offset, ==, 5);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_SYNTAX_RESERVED_TEP, 1)->offset, ==, 6);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_TEP_UNOFFERED, 2)->offset, ==, 5);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_TEP_DATA_INVALID, 2)->offset, ==, 6);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_TEP_DATA_INVALID, 2)->dir, ==, 1);
    const t_seg o[] = {SEG(0, "S", "45 06 21 81 a2 07"), END};
    t_run_segs(o, &r);
    g_assert_cmpint(t_want_rule(&r, ENO_RULE_SYNTAX_DATA_OVERRUN, 1)->offset, ==, 3);
    t_want(&r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE);
}


int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/engine/retransmit/same-option", test_retransmit_same);
    g_test_add_func("/engine/retransmit/changed", test_retransmit_changed);
    g_test_add_func("/engine/retransmit/changed-once", test_retransmit_changed_once);
    g_test_add_func("/engine/retransmit/syn-drops-eno", test_retransmit_syn_drops_eno);
    g_test_add_func("/engine/retransmit/syn-drops-eno-peer-answers",
                    test_retransmit_syn_drops_eno_peer_answers);
    g_test_add_func("/engine/retransmit/syn-adds-eno", test_retransmit_syn_adds_eno);
    g_test_add_func("/engine/retransmit/synack-drops-eno", test_retransmit_synack_drops_eno);
    g_test_add_func("/engine/port-reuse/new-isn", test_port_reuse);
    g_test_add_func("/engine/port-reuse/unfinished", test_port_reuse_unfinished);
    g_test_add_func("/engine/add/bad-input", test_add_rejects_bad_input);
    g_test_add_func("/engine/syntax/issues-beyond-max-reported", test_issues_beyond_max_reported);
    g_test_add_func("/engine/simopen/success", test_simopen_success);
    g_test_add_func("/engine/simopen/synack-omits-eno", test_simopen_synack_omits_eno);
    g_test_add_func("/engine/simopen/synack-changed", test_simopen_synack_changed);
    g_test_add_func("/engine/simopen/flaw-reported-once", test_simopen_flaw_reported_once);
    g_test_add_func("/engine/simopen/synack-multiple-eno", test_simopen_synack_multiple_eno);
    g_test_add_func("/engine/simopen/multiple-eno-repeated", test_simopen_multiple_eno_repeated);
    g_test_add_func("/engine/simopen/b-roles", test_simopen_b_roles);
    g_test_add_func("/engine/syndata/acked-other-tep", test_syndata_acked_other_tep);
    g_test_add_func("/engine/syndata/acked-other-tep-reset", test_syndata_acked_other_tep_reset);
    g_test_add_func("/engine/syndata/same-tep-unknown-rules", test_syndata_same_tep_unknown_rules);
    g_test_add_func("/engine/syndata/disabled", test_syndata_disabled);
    g_test_add_func("/engine/syndata/not-acked", test_syndata_partly_acked_is_not_plain_ack);
    g_test_add_func("/engine/syndata/unanswered", test_syndata_unanswered);
    g_test_add_func("/engine/syndata/then-dropped", test_syndata_then_dropped);
    g_test_add_func("/engine/enable/tcpcrypt-init", test_enable_tcpcrypt_ok);
    g_test_add_func("/engine/enable/wrong-magic", test_enable_wrong_magic);
    g_test_add_func("/engine/enable/plaintext-in-ack", test_enable_plaintext_in_ack);
    g_test_add_func("/engine/enable/short-and-uncaptured", test_enable_short_and_uncaptured);
    g_test_add_func("/engine/enable/resumption-skips", test_enable_resumption_skips);
    g_test_add_func("/engine/enable/unknown-tep", test_enable_unknown_tep_unjudged);
    g_test_add_func("/engine/enable/tep-after-disable-init2", test_tep_after_disable_init2);
    g_test_add_func("/engine/draft/resumption", test_draft_resumption);
    g_test_add_func("/engine/draft/fresh-ack-stripped", test_draft_fresh_ack_stripped);
    g_test_add_func("/engine/draft/fresh-ack-stripped-plain", test_draft_fresh_ack_stripped_plain);
    g_test_add_func("/engine/draft/ack-exid-replaced", test_draft_ack_exid_replaced);
    g_test_add_func("/engine/rfc/resumption-ack-missing", test_rfc_resumption_ack_missing);
    g_test_add_func("/engine/multiple-eno/syn", test_multiple_eno_syn);
    g_test_add_func("/engine/multiple-eno/nonsyn", test_multiple_eno_nonsyn);
    g_test_add_func("/engine/multiple-eno/retransmission", test_multiple_eno_retransmission);
    g_test_add_func("/engine/tfo/cookie-and-request", test_tfo_cookie_and_request);
    g_test_add_func("/engine/tfo/synack", test_tfo_synack);
    g_test_add_func("/engine/tfo/near-misses", test_tfo_near_misses);
    g_test_add_func("/engine/draft/app-aware", test_draft_app_aware);
    g_test_add_func("/engine/draft/profile-from-syns", test_draft_profile_from_syns);
    g_test_add_func("/engine/incomplete/only-synack", test_only_synack);
    g_test_add_func("/engine/incomplete/mid-connection", test_mid_connection);
    g_test_add_func("/engine/no-eno", test_no_eno);
    g_test_add_func("/engine/truncated/syn", test_truncated_syn);
    g_test_add_func("/engine/truncated/ack", test_truncated_ack);
    g_test_add_func("/engine/truncated/later-segment", test_truncated_later_segment);
    g_test_add_func("/engine/truncated/retransmission", test_truncated_retransmission);
    g_test_add_func("/engine/truncated/then-whole", test_truncated_then_whole);
    g_test_add_func("/engine/truncated/simopen-synack", test_truncated_simopen_synack);
    g_test_add_func("/engine/settled/handshake-and-payloads", test_settled);
    g_test_add_func("/engine/settled/fin-and-no-eno", test_settled_fin_and_no_eno);
    g_test_add_func("/engine/settled/half-close", test_settled_half_close);
    g_test_add_func("/engine/settled/after-many", test_settled_after_many);
    g_test_add_func("/engine/finding-offsets", test_finding_offsets);
    return g_test_run();
}
