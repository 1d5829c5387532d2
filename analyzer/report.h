/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing judged connections and the totals, as text or JSON Lines. */
#ifndef ENOSCOPE_REPORT_H
#define ENOSCOPE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "eno/eno.h"

#include "judged.h"
#include "scan_stats.h"

typedef enum {
    FORMAT_TEXT = 0,
    FORMAT_JSON,
} out_format;

typedef struct {
    out_format format;
    bool color;
    FILE *out;
    guint64 connections;
    guint64 status[ENO_STATUS_COUNT];
    guint64 findings[ENO_SEV_COUNT];
    eno_severity worst;       /* highest severity reported */
    bool flush_each;          /* flush after every connection (streamed input) */
    void *json;               /* report_json's state */
} report;

void report_init(report *rp, out_format format, bool color, FILE *out);
void report_free(report *rp);
void report_connection(report *rp, const conn_info *ci, const eno_result *r);
void report_summary(report *rp, const scan_stats *st);

/* Per format; called by report.c. */
void report_text_connection(report *rp, const conn_info *ci, const eno_result *r);
void report_text_summary(report *rp, const scan_stats *st);
void report_json_connection(report *rp, const conn_info *ci, const eno_result *r);
void report_json_summary(report *rp, const scan_stats *st);
void report_json_line(report *rp, void *node); /* prints one JsonNode as a line */
void report_json_free(report *rp);

/* The frame a finding is reported at: its first frame, else the
 * connection's first frame. */
uint32_t report_finding_frame(const conn_info *ci, const eno_finding *f);

#endif
