/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON Lines output: one object per listed connection, then one summary
 * object, written as they are made (jsonw.h), without a tree in memory.
 * The keys are an interface (the man page, docs/schema/): scripts read
 * them, so they change only with the documentation and the schema.
 */
#include <string.h>

#include "jsonw.h"
#include "report.h"

static uint32_t earliest(const uint32_t f[2])
{
    if (f[0] && f[1])
        return f[0] < f[1] ? f[0] : f[1];
    return f[0] ? f[0] : f[1];
}

static const char *side(int endpoint)
{
    return endpoint == 0 ? "client" : endpoint == 1 ? "server" : NULL;
}

/* A rule's RFC 8547 section, NULL when it has none. */
static const char *section(const eno_rule_info *info)
{
    return info && strcmp(info->section, "-") != 0 ? info->section : NULL;
}

static void host(jsonw *w, const char *name, const eno_host_bits *h)
{
    jw_key(w, name);
    jw_begin_object(w);
    jw_key_lit(w, "eno");
    jw_bool(w, h->eno);
    jw_key_lit(w, "a");
    jw_bool(w, h->eno && h->a);
    jw_key_lit(w, "b");
    jw_bool(w, h->eno && h->b);
    jw_end_object(w);
}

static void findings(jsonw *w, const conn_info *ci, const shown_finding *sf, size_t n)
{
    jw_key_lit(w, "findings");
    jw_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        const eno_finding *f = sf[i].f;
        const eno_rule_info *info = eno_rule_get(f->rule);
        jw_begin_object(w);
        jw_lit_string(w, "rule", info ? info->id : NULL);
        jw_lit_string(w, "severity", eno_severity_name(sf[i].severity));
        jw_lit_string(w, "section", section(info));
        jw_key_lit(w, "frames");
        jw_begin_array(w);
        if (f->n_frames == 0)
            jw_uint(w, report_finding_frame(ci, f));
        for (unsigned k = 0; k < f->n_frames && k < ENO_MAX_FINDING_FRAMES; k++)
            jw_uint(w, f->frames[k]);
        jw_end_array(w);
        jw_lit_string(w, "message", f->message);
        jw_end_object(w);
    }
    jw_end_array(w);
}

void report_json_connection(report *rp, const conn_info *ci, const eno_result *r,
                            const shown_finding *sf, size_t n)
{
    jsonw w;
    jw_init(&w, rp->out);
    jw_begin_object(&w);
    jw_lit_string(&w, "type", "connection");
    jw_lit_uint(&w, "id", rp->total.connections);
    jw_lit_string(&w, "file", ci->file);
    jw_lit_uint(&w, "first_frame", ci->first_frame);
    conn_names nm;
    conn_info_names(ci, &nm);
    jw_lit_string(&w, "client", nm.client);
    jw_lit_string(&w, "server", nm.server);
    jw_lit_string(&w, "tunnel", nm.tunnel[0] ? nm.tunnel : NULL);
    jw_lit_string(&w, "open", eno_open_type_name(r->open));
    jw_lit_string(&w, "profile", eno_profile_name(r->profile));
    jw_lit_string(&w, "status", eno_status_name(r->status));
    jw_lit_string(&w, "reason", eno_reason_name(r->reason));
    jw_lit_string(&w, "detail", r->detail ? r->detail : "");
    jw_key_lit(&w, "tep");
    if (r->tep_valid)
        jw_uint(&w, r->tep);
    else
        jw_null(&w);
    jw_lit_string(&w, "tep_name", r->tep_valid ? eno_tep_lookup(r->tep)->name : NULL);

    jw_key_lit(&w, "roles");
    jw_begin_object(&w);
    jw_lit_string(&w, "a", r->host_a >= 0 ? side(r->host_a) : NULL);
    jw_lit_string(&w, "b", r->host_a >= 0 ? side(!r->host_a) : NULL);
    jw_end_object(&w);

    jw_key_lit(&w, "hosts");
    jw_begin_object(&w);
    host(&w, "client", &r->host[0]);
    host(&w, "server", &r->host[1]);
    jw_end_object(&w);

    jw_key_lit(&w, "syn_tep");
    if (r->syn_tep_valid)
        jw_uint(&w, r->syn_tep);
    else
        jw_null(&w);
    if (r->transcript_len) {
        char hex[2 * ENO_TRANSCRIPT_MAX + 1];
        static const char digits[] = "0123456789abcdef";
        size_t len = r->transcript_len < ENO_TRANSCRIPT_MAX ? r->transcript_len
                                                            : ENO_TRANSCRIPT_MAX;
        for (size_t i = 0; i < len; i++) {
            hex[2 * i] = digits[r->transcript[i] >> 4];
            hex[2 * i + 1] = digits[r->transcript[i] & 15];
        }
        hex[2 * len] = '\0';
        jw_lit_string(&w, "transcript", hex);
    } else {
        jw_lit_string(&w, "transcript", NULL);
    }

    jw_key_lit(&w, "frames");
    jw_begin_object(&w);
    jw_lit_frame(&w, "syn", earliest(r->syn_frame));
    jw_lit_frame(&w, "synack", earliest(r->synack_frame));
    int acker = r->active >= 0 ? r->active : r->host_a;
    jw_lit_frame(&w, "ack", acker >= 0 ? r->ack_frame[acker] : earliest(r->ack_frame));
    jw_end_object(&w);

    findings(&w, ci, sf, n);
    if (r->findings_dropped)
        jw_lit_uint(&w, "findings_dropped", r->findings_dropped);
    jw_end_object(&w);
    jw_end_line(&w);
}

static void counts(jsonw *w, const report_counts *c)
{
    jw_lit_uint(w, "packets", c->packets);
    jw_lit_uint(w, "connections", c->connections);
    jw_lit_uint(w, "listed", c->listed);
    jw_key_lit(w, "status");
    jw_begin_object(w);
    for (unsigned i = 0; i < ENO_STATUS_COUNT; i++)
        jw_member_uint(w, eno_status_name(eno_status_at_rank(i)),
                       c->status[eno_status_at_rank(i)]);
    jw_end_object(w);
    jw_key_lit(w, "findings");
    jw_begin_object(w);
    jw_lit_uint(w, "error", c->findings[ENO_SEV_ERROR]);
    jw_lit_uint(w, "warning", c->findings[ENO_SEV_WARNING]);
    jw_lit_uint(w, "note", c->findings[ENO_SEV_NOTE]);
    jw_lit_uint(w, "ignored", c->ignored);
    jw_end_object(w);
}

static void inputs(jsonw *w, const report *rp)
{
    jw_key_lit(w, "inputs");
    jw_begin_array(w);
    for (guint i = 0; i < rp->inputs->len; i++) {
        const report_input *in = g_ptr_array_index(rp->inputs, i);
        jw_begin_object(w);
        jw_lit_string(w, "file", in->file);
        jw_lit_string(w, "status", report_input_status_name(in->status));
        jw_lit_string(w, "error", in->error);
        jw_key_lit(w, "stopped_after_frame");
        if (in->status == INPUT_ERROR && in->stopped_after)
            jw_uint(w, in->stopped_after);
        else
            jw_null(w);
        jw_key_lit(w, "counts");
        jw_begin_object(w);
        counts(w, &in->counts);
        jw_end_object(w);
        jw_end_object(w);
    }
    jw_end_array(w);
}

static void rules(jsonw *w, const report *rp)
{
    jw_key_lit(w, "rules");
    jw_begin_object(w);
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        if (!rp->rule_reported[i] && !rp->rule_ignored[i])
            continue;
        jw_key(w, eno_rule_get((eno_rule_id)i)->id);
        jw_begin_object(w);
        jw_lit_uint(w, "reported", rp->rule_reported[i]);
        jw_lit_uint(w, "ignored", rp->rule_ignored[i]);
        jw_end_object(w);
    }
    jw_end_object(w);
}

void report_json_summary(report *rp, const scan_stats *st)
{
    jsonw w;
    jw_init(&w, rp->out);
    jw_begin_object(&w);
    jw_lit_string(&w, "type", "summary");
    jw_lit_uint(&w, "runs", 1);
    jw_lit_uint(&w, "files", st->files);
    counts(&w, &rp->total);
    jw_key_lit(&w, "reasons");
    jw_begin_object(&w);
    for (int i = 0; i < ENO_REASON_COUNT; i++)
        if (eno_reason_name((eno_reason)i))
            jw_member_uint(&w, eno_reason_name((eno_reason)i), rp->reasons[i]);
    jw_end_object(&w);
    rules(&w, rp);
    jw_lit_uint(&w, "dropped", st->dropped);
    jw_lit_uint(&w, "expired", st->expired);
    jw_key_lit(&w, "segments");
    jw_begin_object(&w);
    jw_lit_uint(&w, "tcp", st->tcp);
    jw_lit_uint(&w, "first_fragments", st->first_fragments);
    jw_lit_uint(&w, "midstream", st->midstream);
    jw_lit_uint(&w, "late", st->late);
    jw_end_object(&w);
    jw_key_lit(&w, "skipped");
    jw_begin_object(&w);
    jw_lit_uint(&w, "filtered", st->filtered);
    jw_lit_uint(&w, "not_tcp", st->not_tcp);
    jw_lit_uint(&w, "fragments", st->fragments);
    jw_lit_uint(&w, "truncated", st->truncated);
    jw_lit_uint(&w, "malformed", st->malformed);
    jw_lit_uint(&w, "unsupported_link", st->unsupported_link);
    jw_end_object(&w);
    inputs(&w, rp);
    jw_end_object(&w);
    jw_end_line(&w);
}
