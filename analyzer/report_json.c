/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON Lines output (json-glib): one object per judged connection, then
 * one summary object.  The keys are an interface (README.md, the man page):
 * scripts read them, so they change only with the documentation.
 */
#include <json-glib/json-glib.h>

#include "report.h"

static JsonGenerator *generator(report *rp)
{
    if (!rp->json)
        rp->json = json_generator_new();
    return rp->json;
}

void report_json_free(report *rp)
{
    if (rp->json)
        g_object_unref(rp->json);
    rp->json = NULL;
}

void report_json_line(report *rp, void *node)
{
    JsonGenerator *gen = generator(rp);
    json_generator_set_root(gen, node);
    gchar *text = json_generator_to_data(gen, NULL);
    fprintf(rp->out, "%s\n", text);
    g_free(text);
}

static void frame_or_null(JsonBuilder *b, const char *name, uint32_t frame)
{
    json_builder_set_member_name(b, name);
    if (frame)
        json_builder_add_int_value(b, frame);
    else
        json_builder_add_null_value(b);
}

static void string_or_null(JsonBuilder *b, const char *name, const char *s)
{
    json_builder_set_member_name(b, name);
    if (s)
        json_builder_add_string_value(b, s);
    else
        json_builder_add_null_value(b);
}

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

static void host(JsonBuilder *b, const char *name, const eno_host_bits *h)
{
    json_builder_set_member_name(b, name);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "eno");
    json_builder_add_boolean_value(b, h->eno);
    json_builder_set_member_name(b, "a");
    json_builder_add_boolean_value(b, h->eno && h->a);
    json_builder_set_member_name(b, "b");
    json_builder_add_boolean_value(b, h->eno && h->b);
    json_builder_end_object(b);
}

static void findings(JsonBuilder *b, const conn_info *ci, const eno_result *r)
{
    json_builder_set_member_name(b, "findings");
    json_builder_begin_array(b);
    for (size_t i = 0; i < r->n_findings; i++) {
        const eno_finding *f = &r->findings[i];
        const eno_rule_info *info = eno_rule_get(f->rule);
        json_builder_begin_object(b);
        string_or_null(b, "rule", info ? info->id : NULL);
        string_or_null(b, "severity", eno_severity_name(f->severity));
        string_or_null(b, "section", info ? info->section : NULL);
        json_builder_set_member_name(b, "frames");
        json_builder_begin_array(b);
        if (f->n_frames == 0)
            json_builder_add_int_value(b, report_finding_frame(ci, f));
        for (unsigned k = 0; k < f->n_frames; k++)
            json_builder_add_int_value(b, f->frames[k]);
        json_builder_end_array(b);
        string_or_null(b, "message", f->message);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

void report_json_connection(report *rp, const conn_info *ci, const eno_result *r)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    string_or_null(b, "type", "connection");
    json_builder_set_member_name(b, "id");
    json_builder_add_int_value(b, (gint64)rp->connections);
    string_or_null(b, "file", ci->file);
    json_builder_set_member_name(b, "first_frame");
    json_builder_add_int_value(b, ci->first_frame);
    string_or_null(b, "client", ci->client);
    string_or_null(b, "server", ci->server);
    string_or_null(b, "tunnel", ci->tunnel[0] ? ci->tunnel : NULL);
    string_or_null(b, "open", eno_open_type_name(r->open));
    string_or_null(b, "profile", eno_profile_name(r->profile));
    string_or_null(b, "status", eno_status_name(r->status));
    string_or_null(b, "reason", eno_reason_name(r->reason));
    string_or_null(b, "detail", r->detail ? r->detail : "");
    json_builder_set_member_name(b, "tep");
    if (r->tep_valid)
        json_builder_add_int_value(b, r->tep);
    else
        json_builder_add_null_value(b);
    string_or_null(b, "tep_name", r->tep_valid ? eno_tep_lookup(r->tep)->name : NULL);

    json_builder_set_member_name(b, "roles");
    json_builder_begin_object(b);
    string_or_null(b, "a", r->host_a >= 0 ? side(r->host_a) : NULL);
    string_or_null(b, "b", r->host_a >= 0 ? side(!r->host_a) : NULL);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "hosts");
    json_builder_begin_object(b);
    host(b, "client", &r->host[0]);
    host(b, "server", &r->host[1]);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "syn_tep");
    if (r->syn_tep_valid)
        json_builder_add_int_value(b, r->syn_tep);
    else
        json_builder_add_null_value(b);
    if (r->transcript_len) {
        gchar *hex = g_malloc(2 * r->transcript_len + 1);
        for (size_t i = 0; i < r->transcript_len; i++)
            g_snprintf(hex + 2 * i, 3, "%02x", r->transcript[i]);
        string_or_null(b, "transcript", hex);
        g_free(hex);
    } else {
        string_or_null(b, "transcript", NULL);
    }

    json_builder_set_member_name(b, "frames");
    json_builder_begin_object(b);
    frame_or_null(b, "syn", earliest(r->syn_frame));
    frame_or_null(b, "synack", earliest(r->synack_frame));
    int acker = r->active >= 0 ? r->active : r->host_a;
    frame_or_null(b, "ack", acker >= 0 ? r->ack_frame[acker] : earliest(r->ack_frame));
    json_builder_end_object(b);

    findings(b, ci, r);
    if (r->findings_dropped) {
        json_builder_set_member_name(b, "findings_dropped");
        json_builder_add_int_value(b, (gint64)r->findings_dropped);
    }
    json_builder_end_object(b);

    JsonNode *root = json_builder_get_root(b);
    report_json_line(rp, root);
    json_node_unref(root);
    g_object_unref(b);
}

static void count(JsonBuilder *b, const char *name, guint64 n)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, (gint64)n);
}

void report_json_summary(report *rp, const scan_stats *st)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    string_or_null(b, "type", "summary");
    count(b, "files", st->files);
    count(b, "packets", st->packets);
    count(b, "connections", rp->connections);
    json_builder_set_member_name(b, "status");
    json_builder_begin_object(b);
    for (unsigned i = 0; i < ENO_STATUS_COUNT; i++)
        count(b, eno_status_name(eno_status_at_rank(i)), rp->status[eno_status_at_rank(i)]);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "findings");
    json_builder_begin_object(b);
    count(b, "error", rp->findings[ENO_SEV_ERROR]);
    count(b, "warning", rp->findings[ENO_SEV_WARNING]);
    count(b, "note", rp->findings[ENO_SEV_NOTE]);
    json_builder_end_object(b);
    count(b, "dropped", st->dropped);
    count(b, "expired", st->expired);
    json_builder_set_member_name(b, "segments");
    json_builder_begin_object(b);
    count(b, "tcp", st->tcp);
    count(b, "first_fragments", st->first_fragments);
    count(b, "midstream", st->midstream);
    count(b, "late", st->late);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "skipped");
    json_builder_begin_object(b);
    count(b, "filtered", st->filtered);
    count(b, "not_tcp", st->not_tcp);
    count(b, "fragments", st->fragments);
    count(b, "truncated", st->truncated);
    count(b, "malformed", st->malformed);
    count(b, "unsupported_link", st->unsupported_link);
    json_builder_end_object(b);
    json_builder_end_object(b);

    JsonNode *root = json_builder_get_root(b);
    report_json_line(rp, root);
    json_node_unref(root);
    g_object_unref(b);
}
