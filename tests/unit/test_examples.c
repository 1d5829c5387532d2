/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worked examples of RFC 8547 §6 and the negotiation transcript. */
#include <glib.h>
#include <string.h>

#include "helpers.h"

static void expect(const eno_result *r, eno_status st, eno_reason why, int tep)
{
    if (r->status != st || r->reason != why || (tep >= 0) != r->tep_valid ||
        (tep >= 0 && r->tep != tep))
        t_dump(r);
    g_assert_cmpstr(eno_status_name(r->status), ==, eno_status_name(st));
    g_assert_cmpint(r->reason, ==, why);
    g_assert_cmpint(r->tep_valid, ==, tep >= 0);
    if (tep >= 0)
        g_assert_cmpuint(r->tep, ==, (unsigned)tep);
}

static void test_three_way_success(void)
{
    t_hs h;
    eno_result r;
    t_init(&h);
    t_add(&h, 0, "S", "45 04 21 22", NULL, 0);
    t_add(&h, 1, "SA", "45 04 01 22", NULL, 0);
    t_add(&h, 0, "A", "45 02", NULL, 0);
    t_run(&h, &r);
    expect(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE, 0x22);
    g_assert_cmpuint(r.n_findings, ==, 0);
    g_assert_cmpint(r.open, ==, ENO_OPEN_THREE_WAY);
    g_assert_cmpint(r.host_a, ==, 0);
    g_assert_cmpint(r.active, ==, 0);
    g_assert_true(r.host[1].b && r.host[1].b_explicit);
    g_assert_false(r.host[0].b);
    g_assert_cmpuint(r.syn_frame[0], ==, 1);
    g_assert_cmpuint(r.synack_frame[1], ==, 2);
    g_assert_cmpuint(r.ack_frame[0], ==, 3);
    g_assert_cmpuint(r.tep_byte_b, ==, 0x22);
    g_assert_true(r.syn_tep_valid);
    g_assert_cmpuint(r.syn_tep, ==, 0x22);
}

static void test_three_way_b_without_eno(void)
{
    t_hs h;
    eno_result r;
    t_init(&h);
    t_add(&h, 0, "S", "45 04 21 22", NULL, 0);
    t_add(&h, 1, "SA", "", NULL, 0);
    t_add(&h, 0, "A", "", NULL, 0);
    t_run(&h, &r);
    expect(&r, ENO_STATUS_DISABLED, ENO_REASON_PEER_NO_ENO, -1);
    g_assert_cmpuint(r.n_findings, ==, 0);
}

static void test_ack_stripped(void)
{
    t_hs h;
    eno_result r;
    t_init(&h);
    t_add(&h, 0, "S", "45 04 22 21", NULL, 0);
    t_add(&h, 1, "SA", "45 04 01 21", NULL, 0);
    t_add(&h, 0, "A", "", NULL, 0);
    t_run(&h, &r);
    expect(&r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO, 0x21);
    g_assert_cmpuint(r.n_findings, ==, 1);
    g_assert_cmpuint(r.findings[0].rule, ==, ENO_RULE_ACK_MISSING);
    g_assert_cmpuint(r.findings[0].frames[0], ==, 3);
    g_assert_nonnull(strstr(r.findings[0].message, "stripped"));
}

static void test_simultaneous_success(void)
{
    t_hs h;
    eno_result r;
    t_init(&h);
    t_add(&h, 0, "S", "45 04 22 21", NULL, 0);
    t_add(&h, 1, "S", "45 06 01 21 22 23", NULL, 0);
    t_add(&h, 0, "SA", "45 04 22 21", NULL, 0);
    t_add(&h, 1, "SA", "45 06 01 21 22 23", NULL, 0);
    t_run(&h, &r);
    expect(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE, 0x22);
    g_assert_cmpint(r.open, ==, ENO_OPEN_SIMULTANEOUS);
    g_assert_cmpint(r.host_a, ==, 0);
    if (r.n_findings)
        t_dump(&r);
    g_assert_cmpuint(r.n_findings, ==, 0);
}

static void test_simultaneous_role_conflict(void)
{
    t_hs h;
    eno_result r;
    t_init(&h);
    t_add(&h, 0, "S", "45 04 22 21", NULL, 0);
    t_add(&h, 1, "S", "45 05 21 22 23", NULL, 0);
    t_add(&h, 0, "SA", "", NULL, 0);
    t_add(&h, 1, "SA", "", NULL, 0);
    t_run(&h, &r);
    expect(&r, ENO_STATUS_DISABLED, ENO_REASON_ROLE_CONFLICT, -1);
    if (r.n_findings)
        t_dump(&r);
    g_assert_cmpuint(r.n_findings, ==, 0);
}

static void test_transcript(void)
{
    t_hs h;
    eno_result r;
    uint8_t want[16];
    t_init(&h);
    t_add(&h, 0, "S", "45 04 21 22", NULL, 0);
    t_add(&h, 1, "SA", "45 04 01 22", NULL, 0);
    t_add(&h, 0, "A", "45 02", NULL, 0);
    t_run(&h, &r);
    size_t n = t_hex("45 04 21 22 45 04 01 22", want, sizeof want);
    g_assert_cmpmem(r.transcript, r.transcript_len, want, n);
}

/* Roles follow the b bit, not who connected: B first in the transcript is
 * never right, A's option always comes first. */
static void test_transcript_roles_from_b_bit(void)
{
    t_hs h;
    eno_result r;
    uint8_t want[24];
    t_init(&h);
    t_add(&h, 0, "S", "45 04 01 22", NULL, 0);
    t_add(&h, 1, "S", "45 05 00 21 22", NULL, 0);
    t_add(&h, 0, "SA", "45 04 01 22", NULL, 0);
    t_add(&h, 1, "SA", "45 05 00 21 22", NULL, 0);
    t_run(&h, &r);
    expect(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE, 0x22);
    g_assert_cmpint(r.host_a, ==, 1);
    size_t n = t_hex("45 05 00 21 22 45 04 01 22", want, sizeof want);
    g_assert_cmpmem(r.transcript, r.transcript_len, want, n);
}

/* tcpcryptd 0.5 as recorded in captures/tcpcryptd-0.5 (01-full-handshake). */
static void test_draft_full_handshake(void)
{
    t_hs h;
    eno_result r;
    t_init(&h);
    t_add(&h, 0, "S", "fd 06 45 4e 21 22", NULL, 0);
    t_add(&h, 1, "SA", "fd 05 45 4e 21", NULL, 0);
    t_add(&h, 0, "A", "fd 04 45 4e", "15 10 1a 0e 00 00 00 6e", 110);
    t_add(&h, 1, "A", "", "09 71 05 e0 00 00 00 6c", 108);
    t_run(&h, &r);
    expect(&r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE, 0x21);
    g_assert_cmpint(r.profile, ==, ENO_PROFILE_DRAFT);
    g_assert_cmpuint(t_count(&r, ENO_RULE_LEGACY_EXID_ENCODING), ==, 1);
    g_assert_cmpuint(t_count(&r, ENO_RULE_ROLE_PASSIVE_B_UNSET), ==, 1);
    for (size_t i = 0; i < r.n_findings; i++)
        g_assert_cmpint(r.findings[i].severity, ==, ENO_SEV_NOTE);
    g_assert_cmpuint(r.n_findings, ==, 2);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/examples/three-way-success", test_three_way_success);
    g_test_add_func("/examples/three-way-b-without-eno", test_three_way_b_without_eno);
    g_test_add_func("/examples/ack-stripped", test_ack_stripped);
    g_test_add_func("/examples/simultaneous-success", test_simultaneous_success);
    g_test_add_func("/examples/simultaneous-role-conflict", test_simultaneous_role_conflict);
    g_test_add_func("/transcript/three-way", test_transcript);
    g_test_add_func("/transcript/roles-from-b-bit", test_transcript_roles_from_b_bit);
    g_test_add_func("/draft/tcpcryptd-full-handshake", test_draft_full_handshake);
    return g_test_run();
}
