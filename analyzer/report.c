/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Totals over the run and over each input, the rule policy applied to the
 * findings, and dispatch to the output format. */
#include <string.h>

#include "report.h"
#include "stop.h"

static void input_free(gpointer p)
{
    report_input *in = p;
    g_free(in->file);
    g_free(in->error);
    g_free(in);
}

void report_init(report *rp, out_format format, bool color, FILE *out)
{
    *rp = (report){.format = format, .color = color && format == FORMAT_TEXT, .out = out,
                   .list = format == FORMAT_JSON ? LIST_ALL : LIST_ENO,
                   .fail_on = ENO_SEV_ERROR, .worst = ENO_SEV_NONE,
                   .inputs = g_ptr_array_new_with_free_func(input_free)};
}

void report_free(report *rp)
{
    report_junit_free(rp);
    g_ptr_array_unref(rp->inputs);
}

const char *report_input_status_name(input_status s)
{
    switch (s) {
    case INPUT_READ: return "read";
    case INPUT_ERROR: return "error";
    case INPUT_NOT_READ: return "not-read";
    }
    return "error";
}

static report_input *add_input(report *rp, const char *file, input_status status)
{
    report_input *in = g_new0(report_input, 1);
    in->file = g_strdup(file);
    in->status = status;
    g_ptr_array_add(rp->inputs, in);
    return in;
}

void report_input_begin(report *rp, const char *file, const scan_stats *st)
{
    rp->cur = add_input(rp, file, INPUT_READ);
    rp->packets_before = st->packets;
}

void report_input_end(report *rp, const scan_stats *st)
{
    report_input *in = rp->cur;
    if (!in)
        return;
    in->counts.packets = st->packets - rp->packets_before;
    if (rp->format == FORMAT_JUNIT) {
        report_junit_input_end(rp, in);
        if (ferror(rp->out))
            stop_output_closed();
    }
    rp->cur = NULL;
}

void report_input_error(report *rp, const char *file, const char *message,
                        const scan_stats *st)
{
    report_input *in = rp->cur;
    if (!in || strcmp(in->file, file) != 0) {
        in = add_input(rp, file, INPUT_ERROR);
        in->error = g_strdup(message);
        if (rp->format == FORMAT_JUNIT)
            report_junit_input_end(rp, in);
        return;
    }
    if (in->status == INPUT_ERROR)
        return; /* the first fault is the one that stopped it */
    in->status = INPUT_ERROR;
    in->error = g_strdup(message);
    in->stopped_after = st->packets - rp->packets_before;
}

void report_input_skipped(report *rp, const char *file)
{
    add_input(rp, file, INPUT_NOT_READ);
}

uint32_t report_finding_frame(const conn_info *ci, const eno_finding *f)
{
    return f->n_frames ? f->frames[0] : ci->first_frame;
}

static void count(report_counts *c, const eno_result *r, const shown_finding *sf, size_t n,
                  size_t ignored, bool listed)
{
    c->connections++;
    c->listed += listed;
    if ((unsigned)r->status < G_N_ELEMENTS(c->status))
        c->status[r->status]++;
    for (size_t i = 0; i < n; i++)
        c->findings[sf[i].severity]++;
    c->ignored += ignored;
}

/* Whether the connection carried ENO in a SYN segment (usable or not). */
static bool has_eno(const eno_result *r)
{
    return r->host[0].eno || r->host[1].eno || r->host[0].malformed || r->host[1].malformed ||
           r->transcript_len > 0 || r->status == ENO_STATUS_ENCRYPTED ||
           r->status == ENO_STATUS_DISABLED;
}

void report_connection(report *rp, const conn_info *ci, const eno_result *r)
{
    if (rp->record) {
        rp->record(rp->record_ctx, ci, r);
        return;
    }
    shown_finding sf[ENO_MAX_FINDINGS];
    size_t n = 0, ignored = 0;
    for (size_t i = 0; i < r->n_findings && i < ENO_MAX_FINDINGS; i++) {
        const eno_finding *f = &r->findings[i];
        eno_severity s = rp->policy ? policy_severity(rp->policy, f) : f->severity;
        if ((unsigned)s >= ENO_SEV_COUNT)
            s = ENO_SEV_ERROR;
        if (s == ENO_SEV_NONE) {
            ignored++;
            if ((unsigned)f->rule < ENO_RULE_COUNT)
                rp->rule_ignored[f->rule]++;
            continue;
        }
        if ((unsigned)f->rule < ENO_RULE_COUNT)
            rp->rule_reported[f->rule]++;
        if (s > rp->worst)
            rp->worst = s;
        /* In frame order; equal frames keep the engine's order. */
        uint32_t at = report_finding_frame(ci, f);
        size_t k = n++;
        while (k > 0 && report_finding_frame(ci, sf[k - 1].f) > at) {
            sf[k] = sf[k - 1];
            k--;
        }
        sf[k] = (shown_finding){f, s};
    }
    bool listed = rp->list == LIST_ALL ? true
                  : rp->list == LIST_ENO ? n > 0 || has_eno(r)
                  : n > 0;
    count(&rp->total, r, sf, n, ignored, listed);
    if (r->status == ENO_STATUS_DISABLED && (unsigned)r->reason < ENO_REASON_COUNT)
        rp->reasons[r->reason]++;
    if (rp->cur)
        count(&rp->cur->counts, r, sf, n, ignored, listed);
    switch (rp->format) {
    case FORMAT_JSON:
        if (listed)
            report_json_connection(rp, ci, r, sf, n);
        break;
    case FORMAT_JUNIT:
        if (listed)
            report_junit_connection(rp, ci, r, sf, n);
        return; /* written per input */
    case FORMAT_TEXT:
        report_text_connection(rp, ci, r, sf, n, listed);
        break;
    }
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
    rp->total.packets = st->packets;
    switch (rp->format) {
    case FORMAT_JSON: report_json_summary(rp, st); break;
    case FORMAT_JUNIT: report_junit_summary(rp); break;
    case FORMAT_TEXT:
        /* Nothing was read (every argument failed): the errors said it all. */
        if (st->files > 0)
            report_text_summary(rp, st);
        break;
    }
    fflush(rp->out);
}
