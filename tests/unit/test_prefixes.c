/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Missing segments never produce a false finding: every prefix of a whole
 * handshake gives status incomplete or the final status, and only findings
 * the whole handshake has too.
 */
#include <glib.h>
#include <string.h>

#include "helpers.h"
/* White-box: these tests keep connection states on the stack. */
#include "conn_internal.h"

static const t_seg full_three_way[] = {
    SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"), SEG(0, "A", "45 02"),
    PAY(0, "PA", "", INIT1, 100), PAY(1, "PA", "", INIT2, 100), END};
static const t_seg full_flawed[] = {
    PAY(0, "S", "45 07 21 22 22 70 04", "aa", 1), SEG(0, "S", "45 04 21 22"),
    SEG(1, "SA", "45 05 00 23 22"), SEG(0, "A", "45 02"), PAY(0, "PA", "", PLAIN, 100),
    PAY(1, "PA", "", INIT1, 100), END};
static const t_seg full_stripped[] = {
    SEG(0, "S", "45 04 21 22"), SEG(1, "SA", "45 04 01 22"), SEG(0, "A", ""),
    PAY(0, "PA", "", PLAIN, 100), PAY(1, "PA", "", INIT2, 100), END};
static const t_seg full_simopen[] = {
    SEG(0, "S", "45 04 22 21"), PAY(1, "S", "45 06 01 21 22 23", "aa", 1),
    SEG(0, "SA", "45 04 22 21"), SEG(1, "SA", "45 05 01 21 22"), PAY(0, "PA", "", PLAIN, 10),
    PAY(1, "PA", "", INIT2, 10), END};
static const t_seg full_draft[] = {
    SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 21"), SEG(0, "A", "fd 04 45 4e"),
    PAY(0, "PA", "", INIT1, 110), PAY(1, "PA", "", INIT2, 108), END};
static const t_seg full_syndata[] = {
    PAY(0, "S", "45 04 21 20", "01 02 03", 3),
    {.dir = 1, .flags = "SA", .eno = "45 04 01 21", .ack_delta = 3}, SEG(0, "A", "45 02"),
    PAY(0, "PA", "", PLAIN, 10), END};
static const t_seg full_disabled[] = {
    SEG(0, "S", "45 04 21 22"), SEG(1, "SA", ""), SEG(0, "A", "45 02"),
    PAY(0, "PA", "", INIT1, 10), PAY(1, "PA", "", PLAIN, 10), END};

static void check_prefixes(gconstpointer data)
{
    const t_seg *segs = data;
    t_hs h;
    eno_result full, part;
    t_init(&h);
    t_build(&h, segs);
    t_run(&h, &full);
    g_assert_cmpint(full.status, !=, ENO_STATUS_INCOMPLETE);
    for (size_t n = 0; n <= h.n; n++) {
        eno_negotiate(h.seg, n, &part);
        if (n < h.n && part.status != ENO_STATUS_INCOMPLETE &&
            (part.status != full.status || part.reason != full.reason)) {
            g_test_message("prefix %zu", n);
            t_dump(&part);
            t_dump(&full);
            g_assert_not_reached();
        }
        for (size_t i = 0; i < part.n_findings; i++) {
            eno_rule_id rule = part.findings[i].rule;
            if (t_count(&full, rule) < t_count(&part, rule)) {
                g_test_message("prefix %zu has a finding the whole handshake lacks", n);
                t_dump(&part);
                g_assert_not_reached();
            }
        }
    }
    /* Any single segment missing (a capture loss): results stay in bounds. */
    for (size_t skip = 0; skip < h.n; skip++) {
        eno_conn c;
        eno_conn_init(&c);
        for (size_t i = 0; i < h.n; i++)
            if (i != skip)
                eno_conn_add(&c, &h.seg[i]);
        eno_conn_evaluate(&c, &part);
        t_check_result(&part, (uint32_t)h.n);
    }
}

/* Random handshakes in protocol order (SYN, maybe retransmitted, the
 * peer's SYN in a simultaneous open, SYN-ACKs, the completing ACK or a
 * reset, some data), random options among valid, flawed and draft ones:
 * every prefix keeps the prefix property. */
static const char *const prefix_opts[] = {
    "", "45 02", "45 04 21 22", "45 04 01 22", "45 03 00", "45 05 01 21 22", "45 04 00 22",
    "45 06 21 80 a2 07", "45 05 21 80", "45 01", "fd 06 45 4e 21 22", "fd 05 45 4e a1",
    "fd 04 45 4e", "45 0d 21 a2 01 02 03 04 05 06 07 08 09", "45 04 01 a2", "45 03 20",
    "45 04 01 20", "45 03 01"};
static const char *const prefix_payloads[] = {NULL, INIT1, INIT2, PLAIN, NULL};

#define PICK(a) ((a)[g_test_rand_int_range(0, G_N_ELEMENTS(a))])

static void prefix_add(t_hs *h, int dir, const char *flags, const char *eno, bool data)
{
    t_seg g[2] = {{.dir = dir, .flags = flags, .eno = eno}, END};
    g[0].payload = data ? PICK(prefix_payloads) : NULL;
    if (strcmp(flags, "SA") == 0 && g_test_rand_int_range(0, 4) == 0)
        g[0].ack_delta = g_test_rand_int_range(1, 5); /* acknowledges SYN data */
    t_build(h, g);
}

static void test_prefixes_random(void)
{
    for (int iter = 0; iter < 20000; iter++) {
        t_hs h;
        t_init(&h);
        bool sim = g_test_rand_int_range(0, 3) == 0;
        const char *o0 = PICK(prefix_opts), *o1 = PICK(prefix_opts);
        prefix_add(&h, 0, "S", o0, g_test_rand_bit());
        if (g_test_rand_int_range(0, 4) == 0)
            prefix_add(&h, 0, "S", g_test_rand_bit() ? o0 : PICK(prefix_opts), false);
        if (sim)
            prefix_add(&h, 1, "S", o1, g_test_rand_bit());
        prefix_add(&h, 1, "SA", sim && g_test_rand_bit() ? o1 : PICK(prefix_opts),
                   g_test_rand_int_range(0, 4) == 0);
        if (g_test_rand_int_range(0, 5) == 0)
            prefix_add(&h, 1, "SA", PICK(prefix_opts), false);
        if (sim)
            prefix_add(&h, 0, "SA", g_test_rand_bit() ? o0 : PICK(prefix_opts), false);
        prefix_add(&h, 0, g_test_rand_int_range(0, 6) == 0 ? "R" : "A", PICK(prefix_opts),
                   g_test_rand_bit());
        for (int i = g_test_rand_int_range(0, 4); i > 0; i--)
            prefix_add(&h, g_test_rand_bit(), g_test_rand_bit() ? "PA" : "A",
                       g_test_rand_bit() ? "" : PICK(prefix_opts), true);
        eno_result full, part;
        t_run(&h, &full);
        t_check_result(&full, (uint32_t)h.n);
        for (size_t n = 0; n < h.n; n++) {
            eno_negotiate(h.seg, n, &part);
            bool ok = part.status == ENO_STATUS_INCOMPLETE ||
                      (part.status == full.status && part.reason == full.reason);
            for (size_t i = 0; i < part.n_findings; i++)
                ok = ok && t_count(&full, part.findings[i].rule) >=
                               t_count(&part, part.findings[i].rule);
            if (!ok) {
                for (size_t i = 0; i < h.n; i++) {
                    char hex[3 * 64 + 1] = "";
                    for (size_t j = 0; h.seg[i].eno && j < h.seg[i].eno_avail; j++)
                        g_snprintf(hex + 3 * j, 4, "%02x ", h.seg[i].eno[j]);
                    g_test_message("frame %zu dir %d flags 0x%02x ack %u payload %u eno %s", i + 1,
                                   h.seg[i].dir, h.seg[i].flags, h.seg[i].ack,
                                   h.seg[i].payload_len, hex);
                }
                g_test_message("prefix of %zu segments:", n);
                t_dump(&part);
                t_dump(&full);
            }
            g_assert_true(ok);
        }
    }
}


int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/prefixes/three-way", full_three_way, check_prefixes);
    g_test_add_data_func("/prefixes/flawed", full_flawed, check_prefixes);
    g_test_add_data_func("/prefixes/ack-stripped", full_stripped, check_prefixes);
    g_test_add_data_func("/prefixes/simultaneous", full_simopen, check_prefixes);
    g_test_add_data_func("/prefixes/draft", full_draft, check_prefixes);
    g_test_add_data_func("/prefixes/syn-data", full_syndata, check_prefixes);
    g_test_add_data_func("/prefixes/disabled", full_disabled, check_prefixes);
    g_test_add_func("/prefixes/random", test_prefixes_random);
    return g_test_run();
}
