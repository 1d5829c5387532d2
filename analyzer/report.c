/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Totals over the run and dispatch to the output format. */
#include "report.h"
#include "stop.h"

void report_init(report *rp, out_format format, bool color, FILE *out)
{
    *rp = (report){.format = format, .color = color && format == FORMAT_TEXT, .out = out,
                   .worst = ENO_SEV_NONE};
}

void report_free(report *rp)
{
    report_json_free(rp);
}

#define CACHE_LINE 64

scan_stats *scan_stats_new_aligned(void)
{
    size_t size = (sizeof(scan_stats) + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
    return g_aligned_alloc0(1, size, CACHE_LINE);
}

void scan_stats_free_aligned(scan_stats *st)
{
    g_aligned_free(st);
}

void scan_stats_add(scan_stats *to, const scan_stats *from)
{
    to->files += from->files;
    to->packets += from->packets;
    to->filtered += from->filtered;
    to->tcp += from->tcp;
    to->not_tcp += from->not_tcp;
    to->fragments += from->fragments;
    to->first_fragments += from->first_fragments;
    to->truncated += from->truncated;
    to->malformed += from->malformed;
    to->unsupported_link += from->unsupported_link;
    to->midstream += from->midstream;
    to->late += from->late;
    to->expired += from->expired;
    to->dropped += from->dropped;
}

uint32_t report_finding_frame(const conn_info *ci, const eno_finding *f)
{
    return f->n_frames ? f->frames[0] : ci->first_frame;
}

void report_connection(report *rp, const conn_info *ci, const eno_result *r)
{
    rp->connections++;
    if ((unsigned)r->status < G_N_ELEMENTS(rp->status))
        rp->status[r->status]++;
    for (size_t i = 0; i < r->n_findings; i++) {
        eno_severity s = r->findings[i].severity;
        if ((unsigned)s < G_N_ELEMENTS(rp->findings))
            rp->findings[s]++;
        if (s > rp->worst)
            rp->worst = s;
    }
    if (rp->format == FORMAT_JSON)
        report_json_connection(rp, ci, r);
    else
        report_text_connection(rp, ci, r);
    /* A capture read from a pipe may be live: show each connection as
     * soon as it is judged.  Otherwise stdio's buffering is kept, as one
     * write per connection would cost more than the analysis. */
    if (rp->flush_each)
        fflush(rp->out);
    /* A closed pipe (| head): the rest of the run would write nowhere. */
    if (ferror(rp->out))
        stop_output_closed();
}

void report_summary(report *rp, const scan_stats *st)
{
    if (rp->format == FORMAT_JSON)
        report_json_summary(rp, st);
    else
        report_text_summary(rp, st);
    fflush(rp->out);
}
