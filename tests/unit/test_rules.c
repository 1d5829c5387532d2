/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every rule of the catalog, table-driven: for each rule at least one
 * handshake that triggers it and one that nearly does but must not.
 * A separate test fails when a catalog rule lacks either case.
 */
#include <glib.h>
#include <string.h>

#include "helpers.h"

#define OPTS(d, fl, o) {.dir = (d), .flags = (fl), .opts = (o)}

/* The successful three-way handshake of the first worked example
 * (A = endpoint 0). */
#define OK_SYN SEG(0, "S", "45 04 21 22")
#define OK_SYNACK SEG(1, "SA", "45 04 01 22")
#define OK_ACK SEG(0, "A", "45 02")

typedef struct {
    const char *rule;      /* catalog id */
    const char *variant;   /* NULL, or a suffix for several cases of one kind */
    bool trigger;          /* trigger case, else near miss */
    t_seg segs[10];
    eno_status status;
    eno_reason reason;
    eno_severity sev;      /* trigger: the finding's severity */
    uint32_t frame;        /* trigger: the finding's first frame */
} rcase;

#define TRIGGER(id, var, st, why, sv, fr, ...) \
    {id, var, true, {__VA_ARGS__, END}, ENO_STATUS_##st, ENO_REASON_##why, ENO_SEV_##sv, fr}
#define NEAR(id, var, st, why, ...) \
    {id, var, false, {__VA_ARGS__, END}, ENO_STATUS_##st, ENO_REASON_##why, ENO_SEV_NONE, 0}

static const rcase cases[] = {
    /* ---- option syntax ---- */
    TRIGGER("syntax.option_too_short", NULL, DISABLED, INVALID_OPTION, ERROR, 1,
            SEG(0, "S", "45 01"), SEG(1, "SA", ""), SEG(0, "A", "")),
    TRIGGER("syntax.option_too_short", "exid", DISABLED, INVALID_OPTION, ERROR, 1,
            SEG(0, "S", "fd 03 45 4e"), SEG(1, "SA", ""), SEG(0, "A", "")),
    NEAR("syntax.option_too_short", NULL, DISABLED, PEER_NO_ENO,
         SEG(0, "S", "45 02"), SEG(1, "SA", ""), SEG(0, "A", "")),
    NEAR("syntax.option_too_short", "exid", DISABLED, PEER_NO_ENO,
         SEG(0, "S", "fd 04 45 4e"), SEG(1, "SA", ""), SEG(0, "A", "")),

    TRIGGER("syntax.option_overrun", NULL, DISABLED, INVALID_OPTION, ERROR, 1,
            SEG(0, "S", "45 06 21 22"), SEG(1, "SA", ""), SEG(0, "A", "")),
    TRIGGER("syntax.option_overrun", "synack", DISABLED, INVALID_OPTION, ERROR, 2,
            OK_SYN, SEG(1, "SA", "45 05 01 22"), SEG(0, "A", "")),
    NEAR("syntax.option_overrun", NULL, ENCRYPTED, NONE,
         OPTS(0, "S", "01 01 45 04 21 22"), OK_SYNACK, OK_ACK),

    /* Several ENO options in a SYN segment count as none (invalid-option);
     * in a non-SYN segment they count as one. */
    TRIGGER("syntax.multiple_eno", NULL, DISABLED, INVALID_OPTION, ERROR, 1,
            OPTS(0, "S", "45 04 21 22 45 03 23"), OK_SYNACK, SEG(0, "A", "")),
    TRIGGER("syntax.multiple_eno", "synack", DISABLED, INVALID_OPTION, ERROR, 2,
            OK_SYN, OPTS(1, "SA", "45 04 01 22 45 04 01 22"), SEG(0, "A", "")),
    TRIGGER("syntax.multiple_eno", "draft", DISABLED, INVALID_OPTION, ERROR, 1,
            OPTS(0, "S", "fd 05 45 4e 21 fd 05 45 4e 22"), SEG(1, "SA", "fd 05 45 4e 21"),
            SEG(0, "A", "")),
    NEAR("syntax.multiple_eno", NULL, ENCRYPTED, NONE,
         OK_SYN, OK_SYNACK, OPTS(0, "A", "45 02 45 02")),
    NEAR("syntax.multiple_eno", "draft-nonsyn", ENCRYPTED, NONE,
         SEG(0, "S", "fd 05 45 4e 21"), SEG(1, "SA", "fd 05 45 4e 21"),
         OPTS(0, "A", "fd 04 45 4e fd 05 45 4e 01")),
    NEAR("syntax.multiple_eno", "other-exid", ENCRYPTED, NONE,
         OPTS(0, "S", "45 04 21 22 fd 06 12 34 01 02"), OK_SYNACK, OK_ACK),

    TRIGGER("syntax.length_byte_dangling", NULL, DISABLED, INVALID_OPTION, ERROR, 1,
            SEG(0, "S", "45 05 21 22 80"), SEG(1, "SA", ""), SEG(0, "A", "")),
    TRIGGER("syntax.length_byte_dangling", "no-v", DISABLED, INVALID_OPTION, ERROR, 1,
            SEG(0, "S", "45 06 80 22 00 21"), SEG(1, "SA", ""), SEG(0, "A", "")),
    NEAR("syntax.length_byte_dangling", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 06 21 80 a2 07"), OK_SYNACK, OK_ACK),

    TRIGGER("syntax.data_overrun", NULL, DISABLED, INVALID_OPTION, ERROR, 1,
            SEG(0, "S", "45 06 21 81 a2 07"), SEG(1, "SA", ""), SEG(0, "A", "")),
    NEAR("syntax.data_overrun", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 07 21 81 a2 07 08"), OK_SYNACK, OK_ACK),

    TRIGGER("syntax.multiple_global", NULL, ENCRYPTED, NONE, WARNING, 2,
            OK_SYN, SEG(1, "SA", "45 05 01 22 01"), OK_ACK),
    NEAR("syntax.multiple_global", NULL, ENCRYPTED, NONE,
         OK_SYN, SEG(1, "SA", "45 05 01 22 a1"), OK_ACK),

    TRIGGER("syntax.reserved_bits", NULL, ENCRYPTED, NONE, WARNING, 1,
            SEG(0, "S", "45 05 10 21 22"), OK_SYNACK, OK_ACK),
    NEAR("syntax.reserved_bits", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 05 02 21 22"), OK_SYNACK, OK_ACK),

    TRIGGER("syntax.no_tep", NULL, DISABLED, PEER_NO_ENO, NOTE, 1,
            SEG(0, "S", "45 03 00"), SEG(1, "SA", ""), SEG(0, "A", "")),
    NEAR("syntax.no_tep", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 04 00 22"), OK_SYNACK, OK_ACK),

    TRIGGER("syntax.duplicate_tep", NULL, ENCRYPTED, NONE, NOTE, 1,
            SEG(0, "S", "45 05 22 21 22"), OK_SYNACK, OK_ACK),
    TRIGGER("syntax.duplicate_tep", "v-bit", ENCRYPTED, NONE, NOTE, 1,
            SEG(0, "S", "45 05 21 22 a1"), OK_SYNACK, OK_ACK),
    NEAR("syntax.duplicate_tep", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 05 21 22 23"), OK_SYNACK, OK_ACK),

    TRIGGER("syntax.reserved_tep", NULL, ENCRYPTED, NONE, WARNING, 1,
            SEG(0, "S", "45 05 70 21 22"), OK_SYNACK, OK_ACK),
    NEAR("syntax.reserved_tep", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 05 6f 21 22"), OK_SYNACK, OK_ACK),

    /* ---- roles and TEP choice ---- */
    TRIGGER("role.passive_b_unset", NULL, DISABLED, ROLE_CONFLICT, ERROR, 2,
            OK_SYN, SEG(1, "SA", "45 04 00 22"), SEG(0, "A", "")),
    TRIGGER("role.passive_b_unset", "implicit", DISABLED, ROLE_CONFLICT, ERROR, 2,
            OK_SYN, SEG(1, "SA", "45 03 22"), SEG(0, "A", "")),
    TRIGGER("role.passive_b_unset", "draft", ENCRYPTED, NONE, NOTE, 2,
            SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 22"),
            SEG(0, "A", "fd 04 45 4e")),
    NEAR("role.passive_b_unset", NULL, ENCRYPTED, NONE, OK_SYN, OK_SYNACK, OK_ACK),
    NEAR("role.passive_b_unset", "simultaneous", ENCRYPTED, NONE,
         SEG(0, "S", "45 03 22"), SEG(1, "S", "45 04 01 22"), SEG(0, "SA", "45 03 22"),
         SEG(1, "SA", "45 04 01 22")),

    TRIGGER("tep.unoffered", NULL, DISABLED, NO_COMMON_TEP, WARNING, 2,
            OK_SYN, SEG(1, "SA", "45 04 01 23"), SEG(0, "A", "")),
    TRIGGER("tep.unoffered", "among-offered", ENCRYPTED, NONE, WARNING, 2,
            OK_SYN, SEG(1, "SA", "45 05 01 23 22"), OK_ACK),
    NEAR("tep.unoffered", NULL, ENCRYPTED, NONE,
         OK_SYN, SEG(1, "SA", "45 05 01 21 22"), OK_ACK),

    TRIGGER("tep.passive_multiple", NULL, ENCRYPTED, NONE, NOTE, 2,
            OK_SYN, SEG(1, "SA", "45 05 01 21 22"), OK_ACK),
    NEAR("tep.passive_multiple", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 06 01 21 22 23"),
         SEG(0, "SA", "45 04 22 21"), SEG(1, "SA", "45 06 01 21 22 23")),

    TRIGGER("tep.data_invalid", NULL, ENCRYPTED, NONE, WARNING, 1,
            SEG(0, "S", "45 06 21 a2 01 02"), OK_SYNACK, OK_ACK),
    NEAR("tep.data_invalid", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 0d 21 a2 01 02 03 04 05 06 07 08 09"), OK_SYNACK, OK_ACK),

    /* ---- retransmissions, simultaneous open ---- */
    TRIGGER("retransmit.changed", NULL, ENCRYPTED, NONE, ERROR, 2,
            OK_SYN, SEG(0, "S", "45 04 21 23"), OK_SYNACK, OK_ACK),
    TRIGGER("retransmit.changed", "synack-drops-eno", DISABLED, ACK_MISSING_ENO, ERROR, 3,
            OK_SYN, OK_SYNACK, SEG(1, "SA", ""), SEG(0, "A", "")),
    NEAR("retransmit.changed", NULL, DISABLED, PEER_NO_ENO,
         OK_SYN, SEG(0, "S", ""), SEG(1, "SA", ""), SEG(0, "A", "")),

    TRIGGER("simopen.changed", NULL, ENCRYPTED, NONE, ERROR, 4,
            SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 06 01 21 22 23"),
            SEG(0, "SA", "45 04 22 21"), SEG(1, "SA", "45 05 01 21 22")),
    NEAR("simopen.changed", NULL, DISABLED, ACK_MISSING_ENO,
         SEG(0, "S", "45 04 22 21"), SEG(1, "S", "45 06 01 21 22 23"),
         SEG(0, "SA", "45 04 22 21"), SEG(1, "SA", "")),

    /* ---- completing ACK ---- */
    TRIGGER("ack.missing", NULL, DISABLED, ACK_MISSING_ENO, ERROR, 3,
            OK_SYN, OK_SYNACK, SEG(0, "A", "")),
    TRIGGER("ack.missing", "replaced", DISABLED, ACK_MISSING_ENO, ERROR, 3,
            OK_SYN, OK_SYNACK, OPTS(0, "A", "fe 04 12 34")),
    /* Draft profile: after a fresh key exchange (v=0 on B's negotiated
     * TEP) B disables; after a resumption (v=1) the hosts keep encryption. */
    TRIGGER("ack.missing", "draft", DISABLED, ACK_MISSING_ENO, WARNING, 3,
            SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 22"), SEG(0, "A", "")),
    TRIGGER("ack.missing", "draft-replaced", DISABLED, ACK_MISSING_ENO, WARNING, 3,
            SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 22"),
            OPTS(0, "A", "fd 04 45 4f")),
    TRIGGER("ack.missing", "draft-resumption", ENCRYPTED, NONE, WARNING, 3,
            SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e a2"), SEG(0, "A", "")),
    NEAR("ack.missing", NULL, DISABLED, PEER_NO_ENO,
         OK_SYN, SEG(1, "SA", ""), SEG(0, "A", "")),
    NEAR("ack.missing", "draft", ENCRYPTED, NONE,
         SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 22"),
         SEG(0, "A", "fd 04 45 4e")),
    NEAR("ack.missing", "other-exid-beside-eno", ENCRYPTED, NONE,
         OK_SYN, OK_SYNACK, OPTS(0, "A", "fe 04 12 34 45 02")),

    TRIGGER("ack.unexpected", NULL, DISABLED, PEER_NO_ENO, WARNING, 3,
            OK_SYN, SEG(1, "SA", ""), OK_ACK),
    NEAR("ack.unexpected", NULL, ENCRYPTED, NONE, OK_SYN, OK_SYNACK, OK_ACK),

    /* ---- after enablement ---- */
    TRIGGER("enable.plaintext", NULL, ENCRYPTED, NONE, ERROR, 4,
            OK_SYN, OK_SYNACK, OK_ACK, PAY(0, "PA", "", PLAIN, 100)),
    TRIGGER("enable.plaintext", "host-b", ENCRYPTED, NONE, ERROR, 5,
            OK_SYN, OK_SYNACK, OK_ACK, PAY(0, "PA", "", INIT1, 100),
            PAY(1, "PA", "", PLAIN, 100)),
    NEAR("enable.plaintext", NULL, ENCRYPTED, NONE,
         OK_SYN, OK_SYNACK, OK_ACK, PAY(0, "PA", "", INIT1, 100), PAY(1, "PA", "", INIT2, 100)),

    TRIGGER("enable.tep_after_disable", NULL, DISABLED, PEER_NO_ENO, ERROR, 4,
            OK_SYN, SEG(1, "SA", ""), SEG(0, "A", ""), PAY(0, "PA", "", INIT1, 100)),
    TRIGGER("enable.tep_after_disable", "draft-ack-stripped", DISABLED, ACK_MISSING_ENO, ERROR, 4,
            SEG(0, "S", "fd 05 45 4e 21"), SEG(1, "SA", "fd 05 45 4e 21"), SEG(0, "A", ""),
            PAY(0, "PA", "", INIT1, 100)),
    NEAR("enable.tep_after_disable", NULL, DISABLED, PEER_NO_ENO,
         OK_SYN, SEG(1, "SA", ""), SEG(0, "A", ""), PAY(0, "PA", "", PLAIN, 100)),
    /* B, having disabled ENO, echoes A's INIT1 bytes as plain data. */
    NEAR("enable.tep_after_disable", "b-echoes-init1", DISABLED, ACK_MISSING_ENO,
         SEG(0, "S", "fd 05 45 4e 21"), SEG(1, "SA", "fd 05 45 4e 21"), SEG(0, "A", ""),
         PAY(1, "PA", "", INIT1, 100)),

    /* ---- data in SYN segments ---- */
    TRIGGER("syndata.not_allowed", NULL, ENCRYPTED, NONE, ERROR, 1,
            PAY(0, "S", "45 04 21 22", "01 02 03 04", 4), OK_SYNACK, OK_ACK),
    NEAR("syndata.not_allowed", NULL, ENCRYPTED, NONE,
         PAY(0, "S", "45 04 21 20", "01 02 03 04", 4), SEG(1, "SA", "45 04 01 20"), OK_ACK),

    TRIGGER("syndata.acked", NULL, ENCRYPTED, NONE, ERROR, 2,
            PAY(0, "S", "45 04 21 22", "01 02 03 04", 4),
            {.dir = 1, .flags = "SA", .eno = "45 04 01 22", .ack_delta = 4}, OK_ACK),
    NEAR("syndata.acked", NULL, ENCRYPTED, NONE,
         PAY(0, "S", "45 04 21 22", "01 02 03 04", 4), OK_SYNACK, OK_ACK),

    TRIGGER("syndata.no_reset", NULL, DISABLED, PEER_NO_ENO, ERROR, 3,
            PAY(0, "S", "45 04 21 22", "01 02 03 04", 4),
            {.dir = 1, .flags = "SA", .eno = "", .ack_delta = 4}, SEG(0, "A", "")),
    NEAR("syndata.no_reset", NULL, DISABLED, PEER_NO_ENO,
         PAY(0, "S", "45 04 21 22", "01 02 03 04", 4),
         {.dir = 1, .flags = "SA", .eno = "", .ack_delta = 4}, SEG(0, "R", "")),

    TRIGGER("synackdata.not_allowed", NULL, ENCRYPTED, NONE, ERROR, 2,
            OK_SYN, PAY(1, "SA", "45 04 01 22", "aa bb", 2), OK_ACK),
    NEAR("synackdata.not_allowed", NULL, ENCRYPTED, NONE,
         SEG(0, "S", "45 04 21 20"), PAY(1, "SA", "45 04 01 20", "aa bb", 2), OK_ACK),

    TRIGGER("syndata.simopen", NULL, ENCRYPTED, NONE, ERROR, 2,
            SEG(0, "S", "45 04 22 21"), PAY(1, "S", "45 06 01 21 22 23", "aa bb", 2),
            SEG(0, "SA", "45 04 22 21"), SEG(1, "SA", "45 06 01 21 22 23")),
    NEAR("syndata.simopen", NULL, DISABLED, ROLE_CONFLICT,
         SEG(0, "S", "45 04 22 21"), PAY(1, "S", "45 05 21 22 23", "aa bb", 2),
         SEG(0, "SA", ""), SEG(1, "SA", "")),

    TRIGGER("syndata.tfo", NULL, ENCRYPTED, NONE, ERROR, 1,
            OPTS(0, "S", "22 0a 01 02 03 04 05 06 07 08 45 04 21 22"), OK_SYNACK, OK_ACK),
    TRIGGER("syndata.tfo", "request", ENCRYPTED, NONE, ERROR, 1,
            OPTS(0, "S", "22 02 45 04 21 22"), OK_SYNACK, OK_ACK),
    TRIGGER("syndata.tfo", "experimental", ENCRYPTED, NONE, ERROR, 1,
            OPTS(0, "S", "fe 04 f9 89 45 04 21 22"), OK_SYNACK, OK_ACK),
    TRIGGER("syndata.tfo", "synack", ENCRYPTED, NONE, ERROR, 2,
            OK_SYN, OPTS(1, "SA", "45 04 01 22 22 0a 01 02 03 04 05 06 07 08"), OK_ACK),
    TRIGGER("syndata.tfo", "draft", ENCRYPTED, NONE, ERROR, 1,
            OPTS(0, "S", "fd 04 f9 89 fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 22"),
            SEG(0, "A", "fd 04 45 4e")),
    NEAR("syndata.tfo", NULL, NO_ENO, NONE,
         OPTS(0, "S", "22 0a 01 02 03 04 05 06 07 08"), OPTS(1, "SA", "22 02"), SEG(0, "A", "")),
    NEAR("syndata.tfo", "nonsyn", ENCRYPTED, NONE,
         OK_SYN, OK_SYNACK, OPTS(0, "A", "22 02 45 02")),
    NEAR("syndata.tfo", "malformed-tfo-length", ENCRYPTED, NONE,
         OPTS(0, "S", "45 04 21 22 22 01"), OK_SYNACK, OK_ACK),

    /* ---- encoding, capture ---- */
    TRIGGER("legacy.exid_encoding", NULL, ENCRYPTED, NONE, NOTE, 1,
            SEG(0, "S", "fd 06 45 4e 21 22"), SEG(1, "SA", "fd 05 45 4e 22"),
            SEG(0, "A", "fd 04 45 4e")),
    TRIGGER("legacy.exid_encoding", "kind-254", ENCRYPTED, NONE, NOTE, 2,
            OK_SYN, SEG(1, "SA", "fe 06 45 4e 01 22"), OK_ACK),
    NEAR("legacy.exid_encoding", NULL, NO_ENO, NONE,
         OPTS(0, "S", "fd 06 f9 89 01 02"), OPTS(1, "SA", "fd 04 f9 89"), SEG(0, "A", "")),

    TRIGGER("capture.options_truncated", NULL, INCOMPLETE, NONE, NOTE, 2,
            OK_SYN, {.dir = 1, .flags = "SA", .opts = "45 04 01", .truncated = true}, OK_ACK),
    NEAR("capture.options_truncated", NULL, ENCRYPTED, NONE,
         OK_SYN, OK_SYNACK, OK_ACK, {.dir = 0, .flags = "PA", .payload = INIT1, .paylen = 1400}),
};

#define N_CASES (sizeof cases / sizeof cases[0])

static eno_rule_id rule_of(const rcase *c)
{
    const eno_rule_info *ri = eno_rule_find(c->rule);
    if (!ri)
        g_error("rule table names unknown rule %s", c->rule);
    return ri->rule;
}

static void run_case(gconstpointer data)
{
    const rcase *c = data;
    eno_rule_id rule = rule_of(c);
    t_hs h;
    eno_result r;
    t_init(&h);
    t_build(&h, c->segs);
    t_run(&h, &r);
    const eno_finding *f = t_find(&r, rule);
    bool ok = r.status == c->status && r.reason == c->reason &&
              (c->trigger ? f && f->severity == c->sev && f->frames[0] == c->frame : !f);
    if (!ok)
        t_dump(&r);
    g_assert_cmpstr(eno_status_name(r.status), ==, eno_status_name(c->status));
    g_assert_cmpint(r.reason, ==, c->reason);
    if (c->trigger) {
        g_assert_nonnull(f);
        g_assert_cmpstr(eno_severity_name(f->severity), ==, eno_severity_name(c->sev));
        g_assert_cmpuint(f->n_frames, >=, 1);
        g_assert_cmpuint(f->frames[0], ==, c->frame);
        g_assert_cmpuint(strlen(f->message), >, 0);
    } else {
        g_assert_null(f);
    }
    /* Every finding of the result is well formed. */
    for (size_t i = 0; i < r.n_findings; i++) {
        const eno_finding *g = &r.findings[i];
        g_assert_nonnull(eno_rule_get(g->rule));
        g_assert_cmpint(g->severity, ==, eno_rule_severity(g->rule, r.profile));
        g_assert_cmpuint(g->n_frames, >=, 1);
        g_assert_cmpuint(g->frames[0], >=, 1);
        g_assert_cmpuint(g->frames[0], <=, h.n);
        g_assert_true(g->dir >= -1 && g->dir <= 1);
    }
}

/* Every catalog rule has a trigger and a near-miss case. */
static void test_coverage(void)
{
    GString *missing = g_string_new(NULL);
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *ri = eno_rule_get((eno_rule_id)i);
        bool trig = false, near = false;
        for (size_t k = 0; k < N_CASES; k++) {
            if (strcmp(cases[k].rule, ri->id) != 0)
                continue;
            if (cases[k].trigger)
                trig = true;
            else
                near = true;
        }
        if (!trig)
            g_string_append_printf(missing, " %s(trigger)", ri->id);
        if (!near)
            g_string_append_printf(missing, " %s(near-miss)", ri->id);
    }
    if (missing->len)
        g_test_message("rules without cases:%s", missing->str);
    g_assert_cmpuint(missing->len, ==, 0);
    g_string_free(missing, TRUE);
    for (size_t k = 0; k < N_CASES; k++)
        g_assert_nonnull(eno_rule_find(cases[k].rule));
}

/* Feeding only the first k segments of a case never produces a finding
 * the whole handshake lacks, and the status is incomplete or final. */
static void test_prefixes(void)
{
    for (size_t k = 0; k < N_CASES; k++) {
        t_hs h;
        eno_result full, part;
        t_init(&h);
        t_build(&h, cases[k].segs);
        t_run(&h, &full);
        for (size_t n = 0; n < h.n; n++) {
            eno_negotiate(h.seg, n, &part);
            bool st_ok = part.status == ENO_STATUS_INCOMPLETE ||
                         (part.status == full.status && part.reason == full.reason);
            if (!st_ok)
                g_test_message("case %s/%s, prefix %zu: status %s", cases[k].rule,
                               cases[k].trigger ? "trigger" : "near-miss", n,
                               eno_status_name(part.status));
            g_assert_true(st_ok);
            for (size_t i = 0; i < part.n_findings; i++) {
                if (t_count(&full, part.findings[i].rule) >= t_count(&part, part.findings[i].rule))
                    continue;
                g_test_message("case %s/%s, prefix %zu: extra finding %s", cases[k].rule,
                               cases[k].trigger ? "trigger" : "near-miss", n,
                               eno_rule_get(part.findings[i].rule)->id);
                t_dump(&part);
                g_assert_not_reached();
            }
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t k = 0; k < N_CASES; k++) {
        const rcase *c = &cases[k];
        char *path = c->variant ? g_strdup_printf("/rules/%s/%s/%s", c->rule,
                                                  c->trigger ? "trigger" : "near-miss", c->variant)
                                : g_strdup_printf("/rules/%s/%s", c->rule,
                                                  c->trigger ? "trigger" : "near-miss");
        g_test_add_data_func(path, c, run_case);
        g_free(path);
    }
    g_test_add_func("/rules-catalog/every-rule-has-cases", test_coverage);
    g_test_add_func("/rules-catalog/prefixes", test_prefixes);
    return g_test_run();
}
