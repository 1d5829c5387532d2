/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rule checks on single segments: option syntax, several ENO options in a
 * SYN segment, ENO beside TCP Fast Open, draft encoding, truncated
 * captures, retransmitted SYNs and the SYN-ACKs of a simultaneous open.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "conn_internal.h"
#include "findings.h"

static void syntax_findings(eno_eval *ev, int dir, const eno_seg_record *rec, bool syn_form,
                            const char *what)
{
    eno_option own;
    const eno_option *o = &own;
    char msg[ENO_MSG_MAX];
    if (!rec->opt_len || rec->truncated)
        return;
    /* The record that negotiates has been decoded already (in the SYN
     * form): a lone SYN, most of a flood, is decoded once. */
    if (syn_form && rec == ev->rec[dir] && ev->neg[dir].present)
        o = &ev->neg[dir].opt;
    else if (!eno_option_decode(rec->opt, rec->opt_avail, syn_form, &own))
        return;
    for (size_t i = 0; i < o->n_issues; i++) {
        eno_syntax_message(msg, sizeof msg, o, &o->issues[i]);
        enoi_add_finding(ev->r, o->issues[i].rule, dir, rec->frame, 0, o->issues[i].offset,
                         "%s: %s", what, msg);
    }
    /* Issues the decoder had no room for are counted with the findings
     * that were not kept, so the front ends report them. */
    ev->r->findings_dropped += o->issues_dropped;
    /* Several ENO options in a non-SYN segment mean the same as one. */
    if (syn_form && rec->eno_count > 1)
        enoi_add_finding(ev->r, ENO_RULE_SYNTAX_MULTIPLE_ENO, dir, rec->frame, 0, -1,
                        "%s carries %u ENO options; a receiver treats it as carrying none, "
                        "so ENO is disabled",
                        what, rec->eno_count);
}

static void tfo_finding(eno_eval *ev, int dir, const eno_seg_record *rec, const char *what)
{
    if (!rec->opt_len || !rec->tfo_kind || rec->truncated)
        return;
    bool exp = rec->tfo_kind != ENO_KIND_TFO;
    unsigned header = exp ? 4 : 2;
    if (rec->tfo_len > header)
        enoi_add_finding(ev->r, ENO_RULE_SYNDATA_TFO, dir, rec->frame, 0, -1,
                        "%s carries ENO and a TCP Fast Open cookie (%s, %u cookie bytes); a SYN "
                        "segment with ENO must not carry a TFO option",
                        what, exp ? "experimental option, ExID 0xF989" : "kind 34",
                        rec->tfo_len - header);
    else
        enoi_add_finding(ev->r, ENO_RULE_SYNDATA_TFO, dir, rec->frame, 0, -1,
                        "%s carries ENO and a TCP Fast Open cookie request (%s, no cookie); a "
                        "SYN segment with ENO must not carry a TFO option",
                        what, exp ? "experimental option, ExID 0xF989" : "kind 34");
}

static void endpoint_syntax(eno_eval *ev, int d)
{
    const eno_endpoint_state *e = &ev->c->ep[d];
    if (e->syn_seen)
        syntax_findings(ev, d, &e->syn, true, "SYN");
    if (e->syn_changed)
        syntax_findings(ev, d, &e->syn_change, true, "retransmitted SYN");
    /* A simultaneous-open SYN-ACK that repeats the SYN's option repeats
     * its flaws too: report them once. */
    if (e->synack_seen && !(e->syn_seen && enoi_record_same_option(&e->syn, &e->synack)))
        syntax_findings(ev, d, &e->synack, true, "SYN-ACK");
    if (e->synack_changed)
        syntax_findings(ev, d, &e->synack_change, true, "retransmitted SYN-ACK");
    if (e->nonsyn_seen)
        syntax_findings(ev, d, &e->nonsyn, false, "non-SYN segment");
    if (e->bad_nonsyn_frame && (!e->nonsyn_seen || e->bad_nonsyn_frame != e->nonsyn.frame)) {
        eno_seg_record bad = {0};
        bad.frame = e->bad_nonsyn_frame;
        bad.opt_len = e->bad_nonsyn_len;
        bad.opt_avail = e->bad_nonsyn_avail;
        bad.eno_count = 1;
        for (size_t i = 0; i < e->bad_nonsyn_len; i++)
            bad.opt[i] = e->bad_nonsyn_opt[i];
        syntax_findings(ev, d, &bad, false, "non-SYN segment");
    }
    if (e->syn_seen)
        tfo_finding(ev, d, &e->syn, "SYN");
    if (e->synack_seen)
        tfo_finding(ev, d, &e->synack, "SYN-ACK");
}

static uint32_t earliest(uint32_t best, const eno_seg_record *rec, bool present)
{
    if (!present || !rec->opt_len || rec->opt[0] == ENO_KIND)
        return best;
    return (!best || rec->frame < best) ? rec->frame : best;
}

static void legacy_and_capture(eno_eval *ev)
{
    uint32_t exid = 0, cut = 0;
    for (int d = 0; d < 2; d++) {
        const eno_endpoint_state *e = &ev->c->ep[d];
        exid = earliest(exid, &e->syn, e->syn_seen);
        exid = earliest(exid, &e->synack, e->synack_seen);
        exid = earliest(exid, &e->nonsyn, e->nonsyn_seen);
        if (e->truncated_frame && (!cut || e->truncated_frame < cut))
            cut = e->truncated_frame;
    }
    if (exid)
        enoi_add_finding(ev->r, ENO_RULE_LEGACY_EXID_ENCODING, -1, exid, 0, -1,
                        "ENO is carried in the draft-era experimental option (ExID 0x454E); the "
                        "connection is judged by the draft profile");
    if (cut)
        enoi_add_finding(ev->r, ENO_RULE_CAPTURE_OPTIONS_TRUNCATED, -1, cut, 0, -1,
                        "the snapshot length cut this segment's TCP options; they are not judged");
}

static void describe(char *buf, size_t cap, const eno_seg_record *rec)
{
    if (!rec->opt_len) {
        snprintf(buf, cap, "no ENO option");
        return;
    }
    enoi_hex(buf, cap, rec->opt, rec->opt_len);
    if (rec->eno_count > 1) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, " and %u more ENO option%s", rec->eno_count - 1u,
                 rec->eno_count > 2 ? "s" : "");
    }
}

static void changed(eno_eval *ev, int d, eno_rule_id rule, const eno_seg_record *orig,
                    const eno_seg_record *now, const char *what, const char *orig_what)
{
    char was[3 * ENO_OPT_MAX + 32], is[3 * ENO_OPT_MAX + 32];
    describe(was, sizeof was, orig);
    describe(is, sizeof is, now);
    enoi_add_finding(ev->r, rule, d, now->frame, orig->frame, -1,
                    "%s carries %s, but %s (frame %u) carried %s", what, is, orig_what,
                    orig->frame, was);
}

void enoi_check_segments(eno_eval *ev)
{
    const eno_conn *c = ev->c;
    legacy_and_capture(ev);
    for (int d = 0; d < 2; d++) {
        const eno_endpoint_state *e = &c->ep[d];
        endpoint_syntax(ev, d);
        if (e->syn_changed)
            changed(ev, d, ENO_RULE_RETRANSMIT_CHANGED, &e->syn, &e->syn_change,
                    "retransmitted SYN", "the original");
        if (e->synack_changed)
            changed(ev, d, ENO_RULE_RETRANSMIT_CHANGED, &e->synack, &e->synack_change,
                    "retransmitted SYN-ACK", "the original");
        if (ev->r->open == ENO_OPEN_SIMULTANEOUS && e->synack_seen && e->synack.opt_len &&
            !e->synack.truncated && !e->syn.truncated &&
            !enoi_record_same_option(&e->syn, &e->synack))
            changed(ev, d, ENO_RULE_SIMOPEN_CHANGED, &e->syn, &e->synack,
                    "SYN-ACK of a simultaneous open", "the same host's SYN-only");
    }
}
