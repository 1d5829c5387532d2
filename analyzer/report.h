/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing judged connections and the totals, as text or JSON Lines. */
#ifndef ENOSCOPE_REPORT_H
#define ENOSCOPE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "eno/eno.h"

typedef enum {
    FORMAT_TEXT = 0,
    FORMAT_JSON,
} out_format;

/* What identifies a connection in the output. */
typedef struct {
    const char *file;
    uint32_t first_frame;
    char client[64];   /* endpoint 0: sender of the SYN-only */
    char server[64];
} conn_info;

/* Counters over every file of the run. */
typedef struct {
    guint files;
    guint64 packets;          /* frames read */
    guint64 filtered;         /* frames the BPF filter rejected */
    guint64 tcp;              /* TCP segments decoded */
    guint64 not_tcp;          /* frames that carry no TCP */
    guint64 fragments;        /* IP fragments that do not start their datagram */
    guint64 first_fragments;  /* TCP segments read from a first fragment */
    guint64 truncated;        /* snapshot length cut the IP or TCP header */
    guint64 malformed;        /* headers contradict the packet's length */
    guint64 unsupported_link; /* frames of unsupported link types */
    guint64 midstream;        /* segments of connections whose SYN was not seen */
    guint64 late;             /* segments of connections already judged or dropped */
    guint64 expired;          /* connections judged after the idle timeout */
    guint64 dropped;          /* connections dropped by the cap on tracked ones */
} scan_stats;

/* A zeroed scan_stats on cache lines of its own (for counting in one
 * thread while another counts elsewhere), and its release. */
scan_stats *scan_stats_new_aligned(void);
void scan_stats_free_aligned(scan_stats *st);
/* Adds every counter of from to to. */
void scan_stats_add(scan_stats *to, const scan_stats *from);

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
