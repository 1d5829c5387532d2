/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing judged connections and the totals, as text, JSON Lines or JUnit
 * XML.  Every connection is counted; which ones get a line or a record is
 * the --connections choice, and the findings shown are those the rule
 * policy keeps, at the severity it gives them, in frame order.
 */
#ifndef ENOSCOPE_REPORT_H
#define ENOSCOPE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "eno/eno.h"

#include "judged.h"
#include "policy.h"
#include "scan_stats.h"

typedef enum {
    FORMAT_TEXT = 0,
    FORMAT_JSON,
    FORMAT_JUNIT,
} out_format;

/* Which connections get a line or a record. */
typedef enum {
    LIST_ALL = 0,
    LIST_ENO,        /* ENO in some SYN segment, or a finding */
    LIST_FINDINGS,   /* a finding */
} list_choice;

/* What is counted over the run, and over each input. */
typedef struct {
    guint64 packets;
    guint64 connections;
    guint64 listed;
    guint64 status[ENO_STATUS_COUNT];
    guint64 findings[ENO_SEV_COUNT];   /* by the severity reported */
    guint64 ignored;                   /* findings the rule selection left out */
} report_counts;

typedef enum {
    INPUT_READ = 0,
    INPUT_ERROR,
    INPUT_NOT_READ,  /* a stop (signal, -c) came first */
} input_status;

/* One input as the summary lists it. */
typedef struct {
    char *file;
    input_status status;
    char *error;                 /* the first error's message, or NULL */
    guint64 stopped_after;       /* frames read before the error */
    report_counts counts;
} report_input;

/* A finding as shown: the severity the policy gives it. */
typedef struct {
    const eno_finding *f;
    eno_severity severity;
} shown_finding;

typedef struct report report;
struct report {
    out_format format;
    bool color;
    bool quiet;                /* text: finding lines and totals only */
    list_choice list;
    eno_severity fail_on;      /* JUnit: findings at or above are failures */
    const rule_policy *policy;
    FILE *out;
    report_counts total;
    guint64 rule_reported[ENO_RULE_COUNT];
    guint64 rule_ignored[ENO_RULE_COUNT];
    guint64 reasons[ENO_REASON_COUNT];  /* why ENO was disabled */
    eno_severity worst;        /* highest severity reported */
    bool flush_each;           /* flush after every connection (streamed input) */
    GPtrArray *inputs;         /* report_input *, in the order read (each stays put) */
    report_input *cur;         /* the input being read, or NULL */
    guint64 packets_before;    /* the run's packets when cur began */
    void *junit;               /* report_junit's state */
    /* Set, every connection goes to record instead (-j: an input read by
     * a thread of its own is reported later, in its turn). */
    judged_sink record;
    void *record_ctx;
};

void report_init(report *rp, out_format format, bool color, FILE *out);
void report_free(report *rp);

/* An input begins and ends (st: the run's counters so far). */
void report_input_begin(report *rp, const char *file, const scan_stats *st);
void report_input_end(report *rp, const scan_stats *st);
/* An error about file: the input being read when it is that one, else a
 * new input of its own (one that could not even be opened). */
void report_input_error(report *rp, const char *file, const char *message,
                        const scan_stats *st);
/* An input left unread. */
void report_input_skipped(report *rp, const char *file);

void report_connection(report *rp, const conn_info *ci, const eno_result *r);
/* The totals (text prints none when no input could be read at all: the
 * errors said it). */
void report_summary(report *rp, const scan_stats *st);

/* Per format; called by report.c. */
void report_text_connection(report *rp, const conn_info *ci, const eno_result *r,
                            const shown_finding *sf, size_t n, bool listed);
void report_text_summary(report *rp, const scan_stats *st);
void report_json_connection(report *rp, const conn_info *ci, const eno_result *r,
                            const shown_finding *sf, size_t n);
void report_json_summary(report *rp, const scan_stats *st);
void report_junit_connection(report *rp, const conn_info *ci, const eno_result *r,
                             const shown_finding *sf, size_t n);
void report_junit_input_end(report *rp, const report_input *in);
void report_junit_summary(report *rp);
void report_junit_free(report *rp);

/* The frame a finding is reported at: its first frame, else the
 * connection's first frame. */
uint32_t report_finding_frame(const conn_info *ci, const eno_finding *f);

const char *report_input_status_name(input_status s);

#endif
