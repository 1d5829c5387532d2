/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text output: compiler-style finding lines, one outcome line per
 * connection, then the totals.
 */
#define _GNU_SOURCE /* fputs_unlocked */
#include <stdio.h>

#include "color.h"
#include "decimal.h"
#include "report.h"

static const char *on(const report *rp, const char *esc)
{
    return rp->color ? esc : "";
}

static void finding_line(report *rp, const conn_info *ci, const shown_finding *sf)
{
    const eno_finding *f = sf->f;
    const eno_rule_info *info = eno_rule_get(f->rule);
    fprintf(rp->out, "%s%s:%u:%s %s%s:%s %s%s%s: %s\n", on(rp, color_bold), ci->file,
            report_finding_frame(ci, f), on(rp, color_reset), on(rp, color_severity(sf->severity)),
            eno_severity_name(sf->severity), on(rp, color_reset), on(rp, color_bold),
            info ? info->id : "unknown", on(rp, color_reset), f->message);
}

/* The outcome line is printed for every connection: it is written piece
 * by piece without stdio's locking (only the tracking thread writes while
 * connections are judged), as formatting it through printf cost more than
 * judging the handshake. */
static void put(report *rp, const char *s)
{
    fputs_unlocked(s, rp->out);
}

static void put_uint(report *rp, guint64 v)
{
    char buf[21];
    *put_decimal(buf, v) = '\0';
    put(rp, buf);
}

void report_text_connection(report *rp, const conn_info *ci, const eno_result *r,
                            const shown_finding *sf, size_t n, bool listed)
{
    for (size_t i = 0; i < n; i++)
        finding_line(rp, ci, &sf[i]);
    if (rp->quiet || !listed)
        return;

    const char *reason = eno_reason_name(r->reason);
    put(rp, on(rp, color_bold));
    put(rp, ci->file);
    put(rp, ":");
    put_uint(rp, ci->first_frame);
    put(rp, ":");
    put(rp, on(rp, color_reset));
    conn_names nm;
    conn_info_names(ci, &nm);
    put(rp, " connection ");
    put(rp, nm.client);
    put(rp, " -> ");
    put(rp, nm.server);
    if (nm.tunnel[0]) {
        put(rp, " in ");
        put(rp, nm.tunnel);
    }
    put(rp, ": ");
    put(rp, on(rp, color_status(r->status)));
    put(rp, eno_status_name(r->status));
    put(rp, on(rp, color_reset));
    if (reason) {
        put(rp, " (");
        put(rp, reason);
        put(rp, ")");
    }
    if (r->tep_valid)
        fprintf(rp->out, ", TEP 0x%02x %s", r->tep, eno_tep_lookup(r->tep)->name);
    put(rp, "; ");
    put(rp, eno_open_type_name(r->open));
    put(rp, " open, ");
    put(rp, eno_profile_name(r->profile));
    put(rp, " profile");
    if (r->detail) {
        put(rp, "; ");
        put(rp, r->detail);
    }
    if (r->findings_dropped)
        fprintf(rp->out, " (%zu more findings were not kept)", r->findings_dropped);
    put(rp, "\n");
}

static void plural(report *rp, const char *sep, guint64 n, const char *one, const char *many)
{
    fprintf(rp->out, "%s%" G_GUINT64_FORMAT " %s", sep, n, n == 1 ? one : many);
}

void report_text_summary(report *rp, const scan_stats *st)
{
    fputs("enoscope: ", rp->out);
    plural(rp, "", st->files, "file", "files");
    plural(rp, ", ", st->packets, "packet", "packets");
    plural(rp, ", ", rp->total.connections, "connection", "connections");
    fputs(":", rp->out);
    for (unsigned i = 0; i < ENO_STATUS_COUNT; i++) {
        eno_status s = eno_status_at_rank(i);
        fprintf(rp->out, "%s %" G_GUINT64_FORMAT " %s", i ? "," : "", rp->total.status[s],
                eno_status_name(s));
    }
    fputs("; findings:", rp->out);
    plural(rp, " ", rp->total.findings[ENO_SEV_ERROR], "error", "errors");
    plural(rp, ", ", rp->total.findings[ENO_SEV_WARNING], "warning", "warnings");
    plural(rp, ", ", rp->total.findings[ENO_SEV_NOTE], "note", "notes");
    if (rp->total.ignored)
        plural(rp, ", ", rp->total.ignored, "ignored by the rule selection",
               "ignored by the rule selection");
    guint64 unlisted = rp->total.connections - rp->total.listed;
    if (unlisted)
        fprintf(rp->out, "; %" G_GUINT64_FORMAT " %s not listed (%s)", unlisted,
                unlisted == 1 ? "connection" : "connections",
                rp->list == LIST_FINDINGS ? "without findings" : "without ENO or findings");
    fputc('\n', rp->out);

    fputs("enoscope: ", rp->out);
    plural(rp, "", st->tcp, "TCP segment", "TCP segments");
    if (st->first_fragments)
        fprintf(rp->out, " (%" G_GUINT64_FORMAT " from first IP fragments)", st->first_fragments);
    fprintf(rp->out, ", of which %" G_GUINT64_FORMAT " belong to connections begun before the "
                     "capture and %" G_GUINT64_FORMAT " to connections already judged or "
                     "dropped;",
            st->midstream, st->late);
    plural(rp, " ", st->expired, "connection expired idle", "connections expired idle");
    plural(rp, ", ", st->dropped, "connection dropped by --max-connections",
           "connections dropped by --max-connections");
    fputc('\n', rp->out);

    if (st->filtered || st->not_tcp || st->fragments || st->truncated || st->malformed ||
        st->unsupported_link) {
        fputs("enoscope: frames not used:", rp->out);
        plural(rp, " ", st->filtered, "rejected by the filter", "rejected by the filter");
        plural(rp, ", ", st->not_tcp, "without TCP", "without TCP");
        plural(rp, ", ", st->fragments, "IP fragment", "IP fragments");
        plural(rp, ", ", st->truncated, "with headers cut by the snapshot length",
               "with headers cut by the snapshot length");
        plural(rp, ", ", st->malformed, "malformed", "malformed");
        plural(rp, ", ", st->unsupported_link, "of an unsupported link type",
               "of an unsupported link type");
        fputc('\n', rp->out);
    }
}
