/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JUnit XML output, the report CI dashboards read: a testsuite per input
 * file, a testcase per listed connection, and a failure per finding at or
 * above --fail-on (findings below it go to the testcase's system-out).  A
 * testsuite states its counts in its start tag, so each input's testcases
 * are kept until the input ends; an input that could not be read is a
 * testsuite with one error.  docs/schema/junit.xsd describes the output.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

typedef struct {
    GString *cases;          /* the current input's testcases */
    guint64 tests, failures;
    gint64 started;          /* monotonic time the input began */
    bool opened;             /* <testsuites> written */
    guint suites;
    char stamp[32];          /* the run's time, ISO 8601 without a zone (UTC) */
} junit;

/* Text or attribute content: markup escaped; bytes that are not UTF-8 and
 * characters XML 1.0 does not allow become U+FFFD. */
static void esc(GString *s, const char *text)
{
    for (const char *p = text; p && *p;) {
        gunichar u = g_utf8_get_char_validated(p, -1);
        if (u == (gunichar)-1 || u == (gunichar)-2) {
            g_string_append(s, "\xef\xbf\xbd");
            p++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        switch (u) {
        case '&': g_string_append(s, "&amp;"); break;
        case '<': g_string_append(s, "&lt;"); break;
        case '>': g_string_append(s, "&gt;"); break;
        case '"': g_string_append(s, "&quot;"); break;
        case '\n': g_string_append(s, "&#10;"); break;
        case '\t': g_string_append(s, "&#9;"); break;
        case '\r': g_string_append(s, "&#13;"); break;
        default:
            if (u < 0x20 || u == 0xfffe || u == 0xffff)
                g_string_append(s, "\xef\xbf\xbd");
            else
                g_string_append_len(s, p, next - p);
        }
        p = next;
    }
}

static junit *state(report *rp)
{
    if (!rp->junit) {
        junit *j = g_new0(junit, 1);
        j->cases = g_string_new(NULL);
        j->started = g_get_monotonic_time();
        /* SOURCE_DATE_EPOCH fixes the stamp for reproducible reports. */
        const char *fixed = getenv("SOURCE_DATE_EPOCH");
        guint64 epoch;
        time_t t = fixed && g_ascii_string_to_unsigned(fixed, 10, 0, G_MAXINT64, &epoch, NULL)
                   ? (time_t)epoch : time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(j->stamp, sizeof j->stamp, "%Y-%m-%dT%H:%M:%S", &tm);
        rp->junit = j;
    }
    return rp->junit;
}

void report_junit_free(report *rp)
{
    junit *j = rp->junit;
    if (!j)
        return;
    g_string_free(j->cases, TRUE);
    g_free(j);
    rp->junit = NULL;
}

static void open_suites(report *rp, junit *j)
{
    if (j->opened)
        return;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"enoscope\">\n",
          rp->out);
    j->opened = true;
}

void report_junit_connection(report *rp, const conn_info *ci, const eno_result *r,
                             const shown_finding *sf, size_t n)
{
    junit *j = state(rp);
    GString *s = j->cases;
    j->tests++;
    g_string_append(s, "    <testcase classname=\"");
    esc(s, ci->file);
    g_string_append_printf(s, "\" name=\"frame %u: ", ci->first_frame);
    conn_names nm;
    conn_info_names(ci, &nm);
    esc(s, nm.client);
    g_string_append(s, " -&gt; ");
    esc(s, nm.server);
    if (nm.tunnel[0]) {
        g_string_append(s, " in ");
        esc(s, nm.tunnel);
    }
    g_string_append(s, "\" time=\"0\">\n");
    GString *below = NULL;
    for (size_t i = 0; i < n; i++) {
        const eno_finding *f = sf[i].f;
        const eno_rule_info *info = eno_rule_get(f->rule);
        const char *id = info ? info->id : "unknown";
        GString *frames = g_string_new(NULL);
        if (f->n_frames == 0)
            g_string_append_printf(frames, "%u", report_finding_frame(ci, f));
        for (unsigned k = 0; k < f->n_frames && k < ENO_MAX_FINDING_FRAMES; k++)
            g_string_append_printf(frames, "%s%u", k ? ", " : "", f->frames[k]);
        if (rp->fail_on != ENO_SEV_NONE && sf[i].severity >= rp->fail_on) {
            j->failures++;
            g_string_append(s, "      <failure type=\"");
            esc(s, id);
            g_string_append(s, "\" message=\"");
            esc(s, f->message);
            g_string_append(s, "\">");
            esc(s, ci->file);
            g_string_append_printf(s, ":%u: %s: %s: ", report_finding_frame(ci, f),
                                   eno_severity_name(sf[i].severity), id);
            esc(s, f->message);
            g_string_append_printf(s, " (%s %s)</failure>\n", f->n_frames > 1 ? "frames" : "frame",
                                   frames->str);
        } else {
            if (!below)
                below = g_string_new(NULL);
            g_string_append_printf(below, "%s: %s: ", eno_severity_name(sf[i].severity), id);
            esc(below, f->message);
            g_string_append_printf(below, " (%s %s)&#10;", f->n_frames > 1 ? "frames" : "frame",
                                   frames->str);
        }
        g_string_free(frames, TRUE);
    }
    g_string_append(s, "      <system-out>");
    esc(s, eno_status_name(r->status));
    if (eno_reason_name(r->reason)) {
        g_string_append(s, " (");
        esc(s, eno_reason_name(r->reason));
        g_string_append(s, ")");
    }
    if (r->tep_valid)
        g_string_append_printf(s, ", TEP 0x%02x", r->tep);
    g_string_append(s, "&#10;");
    if (below) {
        g_string_append(s, below->str);
        g_string_free(below, TRUE);
    }
    g_string_append(s, "</system-out>\n    </testcase>\n");
}

void report_junit_input_end(report *rp, const report_input *in)
{
    junit *j = state(rp);
    open_suites(rp, j);
    bool error = in->status == INPUT_ERROR;
    gint64 now = g_get_monotonic_time();
    GString *head = g_string_new("  <testsuite name=\"");
    esc(head, in->file);
    g_string_append_printf(head, "\" package=\"enoscope\" id=\"%u\" tests=\"%" G_GUINT64_FORMAT
                           "\" failures=\"%" G_GUINT64_FORMAT "\" errors=\"%d\" skipped=\"0\" "
                           "time=\"%.3f\" timestamp=\"%s\" hostname=\"",
                           j->suites++, j->tests + error, j->failures, error ? 1 : 0,
                           (double)(now - j->started) / G_USEC_PER_SEC, j->stamp);
    esc(head, g_get_host_name());
    g_string_append(head, "\">\n    <properties/>\n");
    fputs(head->str, rp->out);
    fputs(j->cases->str, rp->out);
    if (error) {
        GString *e = g_string_new("    <testcase classname=\"");
        esc(e, in->file);
        g_string_append(e, "\" name=\"reading the capture\" time=\"0\">\n      <error type=\"input\" message=\"");
        esc(e, in->error);
        g_string_append(e, "\">");
        esc(e, in->error);
        if (in->stopped_after)
            g_string_append_printf(e, " (stopped after frame %" G_GUINT64_FORMAT ")",
                                   in->stopped_after);
        g_string_append(e, "</error>\n    </testcase>\n");
        fputs(e->str, rp->out);
        g_string_free(e, TRUE);
    }
    fputs("    <system-out></system-out>\n    <system-err></system-err>\n  </testsuite>\n", rp->out);
    g_string_free(head, TRUE);
    g_string_truncate(j->cases, 0);
    j->tests = j->failures = 0;
    j->started = now;
}

void report_junit_summary(report *rp)
{
    junit *j = state(rp);
    open_suites(rp, j);
    fputs("</testsuites>\n", rp->out);
}
