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
