/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `compare` subcommand: two captures of the same traffic taken at two
 * points of its path.  What the parts share: the segments and connections
 * read from each file (compare_read.c), how they are matched across the
 * files (compare_match.c), the differences between matched segments
 * (compare_diff.c), each connection's verdict (compare_verdict.c) and the
 * output (compare_output.c).
 *
 * Memory: both files are read whole into per-connection records, at most
 * max_segments segment records (120 bytes each) per connection and
 * max_connections connections per file; segments past these are counted,
 * not kept.  A connection's result is freed once printed.
 */
#ifndef ENOSCOPE_COMPARE_H
#define ENOSCOPE_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "eno/eno.h"
#include "flow.h"
#include "report.h"

#define COMPARE_DEFAULT_SEGMENTS 256

typedef struct {
    out_format format;
    guint max_connections;    /* per file */
    guint max_segments;       /* kept per connection */
} compare_options;

/* One TCP segment as a point saw it. */
typedef struct {
    uint32_t frame;
    gint64 ts;                /* capture time, microseconds */
    int32_t peer;             /* index of the matched segment in the other file's
                                 connection, -1 when none */
    uint32_t seq, ack, payload_len;
    uint64_t payload_hash;    /* of the captured payload bytes */
    uint32_t payload_cap;     /* captured payload bytes */
    uint32_t tsval, tsecr;
    uint16_t ip_id;
    uint16_t window;
    uint8_t dir;              /* 0: from the client, 1: from the server */
    uint8_t flags;            /* the TCP flags byte */
    uint8_t opts_len;
    bool opts_truncated;      /* the snapshot length cut the options */
    bool has_ts;
    uint8_t head_len;
    uint8_t head[ENO_PAYLOAD_HEAD];
    uint8_t opts[ENO_OPT_MAX];
} cmp_seg;

/* One connection as a point saw it. */
typedef struct {
    flow_key key;
    int client_side;          /* key side of the client */
    char client[64], server[64];
    uint32_t first_frame;
    bool isn_known[2];        /* per endpoint: its SYN was seen */
    uint32_t isn[2];
    GArray *segs;             /* cmp_seg, in capture order */
    guint64 segs_dropped;     /* past max_segments: counted only */
    int32_t peer;             /* index of the matched connection in the other file, -1 */
    eno_outcome outcome;      /* the engine's judgement of this point's view */
} cmp_conn;

typedef struct {
    const char *path;
    GPtrArray *conns;         /* cmp_conn *, by first frame */
    guint64 frames, segments;
    guint64 conns_dropped;    /* past max_connections */
    gint64 first_ts, last_ts; /* of every frame read; first_ts > last_ts when none */
} cmp_file;

/* What matching found for a connection pair. */
typedef struct {
    bool nat[2];              /* per endpoint: its address or port differs */
    bool seq_known[2];
    int64_t seq_delta[2];     /* per endpoint: point 2's sequence numbers minus point 1's */
} cmp_mapping;

typedef enum {
    CHANGE_ENO_REMOVED = 0,
    CHANGE_ENO_CHANGED,
    CHANGE_ENO_REPLACED,
    CHANGE_ENO_ADDED,
    CHANGE_OPTION_REMOVED,
    CHANGE_OPTION_CHANGED,
    CHANGE_SEQ_REWRITTEN,
    CHANGE_PAYLOAD_CHANGED,
    CHANGE_LOST,
    CHANGE_COUNT
} cmp_change;

const char *cmp_change_name(cmp_change c);

/* One difference between the points. */
typedef struct {
    cmp_change change;
    uint32_t frame[2];        /* per point; 0 when the segment is absent there */
    int dir;                  /* sender: 0 client, 1 server */
    bool eno;                 /* touches ENO */
    bool outside_span;        /* lost: the time lies outside the other file's span */
    uint8_t opt_len[2];
    uint8_t opt[2][ENO_OPT_MAX]; /* the option concerned, per point */
    bool opt_present[2];
    gint64 when;              /* point 1's clock: orders the differences */
    char message[800];
} cmp_diff;

/* Whole-run facts matching derives. */
typedef struct {
    bool offset_known;
    gint64 clock_offset;      /* point 2's clock minus point 1's, microseconds */
    int client_point;         /* the point nearer the clients: 0, 1, or -1 unknown */
    gint64 latency;           /* one-way time between the points, when known */
    guint64 matched_segments;
} cmp_clock;

/* A connection of the output: a matched pair or one side alone. */
typedef struct {
    cmp_conn *c[2];           /* per point, NULL when absent there */
    cmp_mapping map;
    GArray *diffs;            /* cmp_diff */
    guint eno_diffs;
    int client_point;         /* the point nearer the client: 0 or 1 */
    bool client_point_known;  /* from this connection's or all segments' times */
    char verdict[1200];
} cmp_result;

/* compare_read.c: reads path into f; false after a message when the file
 * cannot be read (*partial: it was read in part and f holds that part). */
bool cmp_read(const char *path, const compare_options *opt, cmp_file *f, bool *partial);
void cmp_file_clear(cmp_file *f);
/* The option at offset off of a segment's option list, kind first. */
typedef struct {
    uint8_t kind, off, len;
} cmp_opt;
/* The options of s (NOP and EOL left out), at most max; returns how many. */
size_t cmp_opts_list(const cmp_seg *s, cmp_opt *out, size_t max);
/* Index in the list of the first ENO option, -1 when none. */
int cmp_opts_eno(const cmp_seg *s, const cmp_opt *list, size_t n);

/* compare_match.c: pairs the connections of both files (c->peer), their
 * segments, and estimates the clocks.  Returns the results in output order
 * (matched and point 1 only by point 1's first frame, then point 2 only). */
GPtrArray *cmp_match(cmp_file f[2], cmp_clock *clock);
void cmp_result_free(gpointer r);

/* compare_diff.c: the differences of a result, in order of frame. */
void cmp_diff_result(cmp_result *r, const cmp_file f[2], const cmp_clock *clock);

/* compare_verdict.c: runs the engine on each point's view and writes the
 * verdict. */
void cmp_judge(cmp_conn *c);
void cmp_verdict(cmp_result *r, const cmp_clock *clock);
/* Both points saw the connection and their views give the same outcome. */
bool cmp_same_outcome(const cmp_result *r);
/* "the client (A)" and similar, for messages. */
const char *cmp_host_name(const cmp_result *r, int dir);
/* "SYN", "SYN-ACK", "completing ACK", "segment" */
const char *cmp_seg_name(const cmp_conn *c, const cmp_seg *s);

/* What the summary counts, added up as each connection is printed. */
typedef struct {
    guint64 changes[CHANGE_COUNT];
    guint64 differences, eno_differences;
    guint matched, only[2], different_outcomes;
} cmp_totals;

/* compare_output.c */
typedef struct cmp_out cmp_out;
cmp_out *cmp_out_new(out_format format);
void cmp_out_header(cmp_out *o, const cmp_file f[2], const cmp_clock *clock);
/* Prints r and adds it to t. */
void cmp_out_result(cmp_out *o, const cmp_result *r, cmp_totals *t);
void cmp_out_summary(cmp_out *o, const cmp_file f[2], const cmp_clock *clock,
                     const cmp_totals *t);
void cmp_out_free(cmp_out *o);

/* compare_cmd.c: `enoscope compare` (argv[0] is "compare"). */
int compare_main(int argc, char **argv);

#endif
