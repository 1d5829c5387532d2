/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing a comparison: text, or JSON Lines (json-glib) with a
 * "difference" record per changed or lost segment, a "comparison" record
 * per connection and one "summary".  The keys are an interface (README.md,
 * the man page): they change only with the documentation.
 */
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "compare.h"

struct cmp_out {
    out_format format;
    JsonGenerator *gen;
    guint n;                  /* connections printed */
};

cmp_out *cmp_out_new(out_format format)
{
    cmp_out *o = g_new0(cmp_out, 1);
    o->format = format;
    if (format == FORMAT_JSON)
        o->gen = json_generator_new();
    return o;
}

void cmp_out_free(cmp_out *o)
{
    if (o->gen)
        g_object_unref(o->gen);
    g_free(o);
}

static void emit(cmp_out *o, JsonBuilder *b)
{
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(o->gen, root);
    gchar *text = json_generator_to_data(o->gen, NULL);
    printf("%s\n", text);
    g_free(text);
    json_node_unref(root);
    g_object_unref(b);
}

static void member_int(JsonBuilder *b, const char *name, gint64 v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

static void member_str(JsonBuilder *b, const char *name, const char *v)
{
    json_builder_set_member_name(b, name);
    if (v)
        json_builder_add_string_value(b, v);
    else
        json_builder_add_null_value(b);
}

static void member_bool(JsonBuilder *b, const char *name, bool v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, v);
}

static void member_frame(JsonBuilder *b, const char *name, uint32_t frame)
{
    json_builder_set_member_name(b, name);
    if (frame)
        json_builder_add_int_value(b, frame);
    else
        json_builder_add_null_value(b);
}

static void hex_plain(char *buf, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snprintf(buf + 2 * i, 3, "%02x", p[i]);
    buf[2 * n] = '\0';
}

static void member_opt(JsonBuilder *b, const char *name, const cmp_diff *d, int p)
{
    char buf[2 * ENO_OPT_MAX + 1];
    if (!d->opt_present[p]) {
        member_str(b, name, NULL);
        return;
    }
    hex_plain(buf, d->opt[p], d->opt_len[p]);
    member_str(b, name, buf);
}

void cmp_out_header(cmp_out *o, const cmp_file f[2], const cmp_clock *clock)
{
    if (o->format != FORMAT_TEXT)
        return;
    for (int p = 0; p < 2; p++)
        printf("point %d: %s: %" G_GUINT64_FORMAT " frames, %u TCP connections\n", p + 1,
               f[p].path, f[p].frames, f[p].conns->len);
    if (clock->offset_known)
        printf("clock: point 2 reads %+.6f s against point 1 (median over %" G_GUINT64_FORMAT
               " matched segments); %s\n", (double)clock->clock_offset / 1e6,
               clock->matched_segments,
               clock->client_point < 0 ? "which point is nearer the clients is not known"
               : clock->client_point == 0 ? "point 1 is nearer the clients"
                                          : "point 2 is nearer the clients");
    else
        printf("clock: no segment was seen at both points\n");
}

static void text_mapping(const cmp_result *r)
{
    const cmp_conn *a = r->c[0], *b = r->c[1];
    const char *names[2] = {"client", "server"};
    for (int d = 0; d < 2; d++) {
        if (r->map.nat[d])
            printf("  NAT: the %s %s at point 1 is %s at point 2\n", names[d],
                   d ? a->server : a->client, d ? b->server : b->client);
        if (r->map.seq_known[d] && r->map.seq_delta[d])
            printf("  ISN rewritten: the %s's sequence numbers are %+d at point 2\n", names[d],
                   (int32_t)(uint32_t)r->map.seq_delta[d]);
    }
}

static void outcome_json(JsonBuilder *b, const char *name, const cmp_conn *c)
{
    json_builder_set_member_name(b, name);
    if (!c) {
        json_builder_add_null_value(b);
        return;
    }
    json_builder_begin_object(b);
    member_str(b, "status", eno_status_name(c->outcome.status));
    member_str(b, "reason", eno_reason_name(c->outcome.reason));
    char tep[8];
    snprintf(tep, sizeof tep, "0x%02x", c->outcome.tep);
    member_str(b, "tep", c->outcome.tep_valid ? tep : NULL);
    json_builder_end_object(b);
}

static void point_json(JsonBuilder *b, const char *name, const cmp_conn *c)
{
    json_builder_set_member_name(b, name);
    if (!c) {
        json_builder_add_null_value(b);
        return;
    }
    json_builder_begin_object(b);
    member_str(b, "client", c->client);
    member_str(b, "server", c->server);
    member_int(b, "first_frame", c->first_frame);
    member_int(b, "segments", c->segs->len + (gint64)c->segs_dropped);
    json_builder_end_object(b);
}

static void json_result(cmp_out *o, const cmp_result *r)
{
    for (guint i = 0; i < r->diffs->len; i++) {
        const cmp_diff *d = &g_array_index(r->diffs, cmp_diff, i);
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        member_str(b, "type", "difference");
        member_int(b, "connection", o->n);
        member_frame(b, "frame1", d->frame[0]);
        member_frame(b, "frame2", d->frame[1]);
        member_str(b, "sender", d->dir ? "server" : "client");
        member_str(b, "change", cmp_change_name(d->change));
        member_bool(b, "eno", d->eno);
        member_opt(b, "option1", d, 0);
        member_opt(b, "option2", d, 1);
        if (d->change == CHANGE_LOST)
            member_bool(b, "outside_span", d->outside_span);
        member_str(b, "message", d->message);
        json_builder_end_object(b);
        emit(o, b);
    }
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    member_str(b, "type", "comparison");
    member_int(b, "connection", o->n);
    point_json(b, "point1", r->c[0]);
    point_json(b, "point2", r->c[1]);
    json_builder_set_member_name(b, "mapping");
    if (r->c[0] && r->c[1]) {
        json_builder_begin_object(b);
        const char *names[2] = {"client", "server"};
        json_builder_set_member_name(b, "nat");
        json_builder_begin_object(b);
        for (int d = 0; d < 2; d++)
            member_bool(b, names[d], r->map.nat[d]);
        json_builder_end_object(b);
        json_builder_set_member_name(b, "seq_offset");
        json_builder_begin_object(b);
        for (int d = 0; d < 2; d++) {
            json_builder_set_member_name(b, names[d]);
            if (r->map.seq_known[d])
                json_builder_add_int_value(b, (int32_t)(uint32_t)r->map.seq_delta[d]);
            else
                json_builder_add_null_value(b);
        }
        json_builder_end_object(b);
        json_builder_set_member_name(b, "client_point");
        if (r->client_point_known)
            json_builder_add_int_value(b, r->client_point + 1);
        else
            json_builder_add_null_value(b);
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    outcome_json(b, "outcome1", r->c[0]);
    outcome_json(b, "outcome2", r->c[1]);
    member_bool(b, "same_outcome", cmp_same_outcome(r));
    member_int(b, "differences", r->diffs->len);
    member_int(b, "eno_differences", r->eno_diffs);
    member_str(b, "verdict", r->verdict);
    json_builder_end_object(b);
    emit(o, b);
}

static void text_result(cmp_out *o, const cmp_result *r)
{
    const cmp_conn *any = r->c[0] ? r->c[0] : r->c[1];
    printf("\nconnection %u: %s -> %s", o->n, any->client, any->server);
    for (int p = 0; p < 2; p++)
        if (r->c[p])
            printf("%s point %d frame %u", p == 0 || !r->c[0] ? " (at" : ",", p + 1,
                   r->c[p]->first_frame);
    printf(")\n");
    if (r->c[0] && r->c[1])
        text_mapping(r);
    for (guint i = 0; i < r->diffs->len; i++) {
        const cmp_diff *d = &g_array_index(r->diffs, cmp_diff, i);
        char f1[16] = "-", f2[16] = "-";
        if (d->frame[0])
            snprintf(f1, sizeof f1, "%u", d->frame[0]);
        if (d->frame[1])
            snprintf(f2, sizeof f2, "%u", d->frame[1]);
        printf("  frames %s/%s: %s: %s\n", f1, f2, cmp_change_name(d->change), d->message);
    }
    printf("  verdict: %s\n", r->verdict);
}

void cmp_out_result(cmp_out *o, const cmp_result *r, cmp_totals *t)
{
    o->n++;
    if (r->c[0] && r->c[1])
        t->matched++;
    else
        t->only[r->c[0] ? 0 : 1]++;
    if (r->c[0] && r->c[1] && !cmp_same_outcome(r))
        t->different_outcomes++;
    for (guint k = 0; k < r->diffs->len; k++) {
        const cmp_diff *d = &g_array_index(r->diffs, cmp_diff, k);
        t->changes[d->change]++;
        t->differences++;
        t->eno_differences += d->eno;
    }
    if (o->format == FORMAT_JSON)
        json_result(o, r);
    else
        text_result(o, r);
}

void cmp_out_summary(cmp_out *o, const cmp_file f[2], const cmp_clock *clock,
                     const cmp_totals *t)
{
    const guint64 *counts = t->changes;
    if (o->format == FORMAT_TEXT) {
        printf("\nsummary: %u connections at both points, %u at point 1 only, %u at point 2 "
               "only; %u with different outcomes; %" G_GUINT64_FORMAT " differences (%"
               G_GUINT64_FORMAT " touching ENO)", t->matched, t->only[0], t->only[1],
               t->different_outcomes, t->differences, t->eno_differences);
        const char *sep = ": ";
        for (int c = 0; c < CHANGE_COUNT; c++)
            if (counts[c]) {
                printf("%s%" G_GUINT64_FORMAT " %s", sep, counts[c], cmp_change_name(c));
                sep = ", ";
            }
        printf("\n");
        for (int p = 0; p < 2; p++)
            if (f[p].conns_dropped)
                printf("point %d: %" G_GUINT64_FORMAT " connections past --max-connections "
                       "were not compared\n", p + 1, f[p].conns_dropped);
        return;
    }
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    member_str(b, "type", "summary");
    for (int p = 0; p < 2; p++) {
        char key[32];
        snprintf(key, sizeof key, "file%d", p + 1);
        member_str(b, key, f[p].path);
        snprintf(key, sizeof key, "frames%d", p + 1);
        member_int(b, key, (gint64)f[p].frames);
        snprintf(key, sizeof key, "connections%d", p + 1);
        member_int(b, key, f[p].conns->len);
        snprintf(key, sizeof key, "only%d", p + 1);
        member_int(b, key, t->only[p]);
        snprintf(key, sizeof key, "not_compared%d", p + 1);
        member_int(b, key, (gint64)f[p].conns_dropped);
    }
    member_int(b, "matched", t->matched);
    member_int(b, "different_outcomes", t->different_outcomes);
    member_int(b, "segments_matched", (gint64)clock->matched_segments);
    json_builder_set_member_name(b, "clock_offset_usec");
    if (clock->offset_known)
        json_builder_add_int_value(b, clock->clock_offset);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "client_point");
    if (clock->client_point >= 0)
        json_builder_add_int_value(b, clock->client_point + 1);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "changes");
    json_builder_begin_object(b);
    for (int c = 0; c < CHANGE_COUNT; c++)
        member_int(b, cmp_change_name(c), (gint64)counts[c]);
    json_builder_end_object(b);
    member_int(b, "differences", (gint64)t->differences);
    member_int(b, "eno_differences", (gint64)t->eno_differences);
    json_builder_end_object(b);
    emit(o, b);
}
