/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The wiretap packet loop.  libpcap stays the reader of classic pcap files
 * (the common case, and the faster one); wiretap reads the rest.  Each
 * record wiretap returns is one frame, numbered as Wireshark numbers it;
 * records that are not packets (pcapng events, systemd journal entries,
 * ...) are counted as frames and not decoded.  A BPF filter is compiled
 * once per link type met.
 */
#include <pthread.h>
#include <string.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "diag.h"
#include "input_wtap.h"
#include "pipeline.h"
#include "progress.h"
#include "reader.h"
#include "stop.h"
#include "track.h"
#include "wtap_lib.h"

static const wtap_lib *W;

typedef struct {
    int dlt;
    bool warned;               /* unsupported: said once */
    bool compiled;
    struct bpf_program prog;
} link_state;

typedef struct {
    const char *path;
    const char *filter;
    GArray *links;             /* link_state, a few at most */
    bool bad_filter;
} links;

/* wiretap's encapsulation -> DLT value, the inverse of the map wiretap
 * exports (its own inverse is private).  Where several link types map to
 * one encapsulation, the lowest wins: DLT_RAW (12 on Linux) before
 * LINKTYPE_RAW (101), as libpcap's pcap_datalink reports. */
#define MAX_LINKTYPE 320
#define ENCAP_SLOTS 1024           /* wiretap has about 230; plugins may add more */
static int encap_dlt[ENCAP_SLOTS];

static void map_ready(void)
{
    static gsize done;
    if (g_once_init_enter(&done)) {
        /* Faults are reported by enoscope, in its own words; without
         * this, wiretap logs its reading (at debug level before its log
         * is initialised). */
        W->ws_log_set_level(LOG_LEVEL_CRITICAL);
        W->wtap_init(FALSE);
        for (int i = 0; i < ENCAP_SLOTS; i++)
            encap_dlt[i] = -1;
        for (int dlt = 0; dlt < MAX_LINKTYPE; dlt++) {
            int encap = W->wtap_pcap_encap_to_wtap_encap(dlt);
            if (encap > 0 && encap < ENCAP_SLOTS && encap_dlt[encap] < 0)
                encap_dlt[encap] = dlt;
        }
        g_once_init_leave(&done, 1);
    }
}

/* The DLT value a record of wiretap encapsulation encap is decoded as, or
 * -1 for one without a pcap link type. */
static int dlt_of(int encap)
{
    /* wiretap moves PPP's direction byte into a pseudo-header. */
    if (encap == WTAP_ENCAP_PPP_WITH_PHDR)
        return DLT_PPP;
    if (encap <= 0 || encap >= ENCAP_SLOTS)
        return -1;
    return encap_dlt[encap];
}

static link_state *link_for(links *ls, int dlt, int encap)
{
    for (guint i = 0; i < ls->links->len; i++) {
        link_state *l = &g_array_index(ls->links, link_state, i);
        if (l->dlt == dlt)
            return l;
    }
    link_state l = {.dlt = dlt};
    if (ls->filter && dlt >= 0) {
        pcap_t *dead = pcap_open_dead(dlt, 262144);
        if (dead && pcap_compile(dead, &l.prog, ls->filter, 1, PCAP_NETMASK_UNKNOWN) == 0) {
            l.compiled = true;
        } else {
            const char *name = pcap_datalink_val_to_name(dlt);
            diag(ls->path, DIAG_ERROR, "invalid filter expression \"%s\" (link type %s): %s",
                 ls->filter, name ? name : "unknown",
                 dead ? pcap_geterr(dead) : "cannot compile");
            ls->bad_filter = true;
        }
        if (dead)
            pcap_close(dead);
    } else if (ls->filter) {
        diag(ls->path, DIAG_WARNING, "the filter cannot apply to frames of link "
                        "type %s, which have no pcap link type; they are skipped",
             W->wtap_encap_description(encap));
    }
    g_array_append_val(ls->links, l);
    return &g_array_index(ls->links, link_state, ls->links->len - 1);
}

static void links_free(links *ls)
{
    for (guint i = 0; i < ls->links->len; i++) {
        link_state *l = &g_array_index(ls->links, link_state, i);
        if (l->compiled)
            pcap_freecode(&l->prog);
    }
    g_array_free(ls->links, TRUE);
}

static void open_fault(const char *path, int err, const gchar *info)
{
    if (err == WTAP_ERR_FILE_UNKNOWN_FORMAT)
        diag(path, DIAG_ERROR, "not a capture file (unknown magic number)");
    else if (err == WTAP_ERR_SHORT_READ)
        diag(path, DIAG_ERROR, "truncated file header");
    else
        diag(path, DIAG_ERROR, "cannot read the capture: %s%s%s", W->wtap_strerror(err),
                     info ? ": " : "", info ? info : "");
}

/* A fault after frame: what wiretap says of it. */
static void read_fault(const char *path, uint32_t frame, int err, const gchar *info)
{
    diag(path, DIAG_ERROR, "truncated or corrupt capture after frame %u: %s%s%s", frame,
         W->wtap_strerror(err), info ? ": " : "", info ? info : "");
}

static gint64 stamp(const wtap_rec *rec)
{
    if (!(rec->presence_flags & WTAP_HAS_TS))
        return 0;
    struct timeval tv = {.tv_sec = rec->ts.secs, .tv_usec = rec->ts.nsecs / 1000};
    return reader_stamp_usec(&tv);
}

/* A record and, before 4.5, the buffer its bytes are read into. */
typedef struct {
    wtap_rec rec;
#ifndef WTAP_REC_HOLDS_DATA
    Buffer buf;
#endif
} record;

static void record_init(record *r)
{
#ifdef WTAP_REC_HOLDS_DATA
    W->wtap_rec_init(&r->rec, 2048);
#else
    W->wtap_rec_init(&r->rec);
    W->ws_buffer_init(&r->buf, 2048);
#endif
}

/* The next record's bytes, or NULL at the end or a fault (*err). */
static const guint8 *record_read(wtap *wth, record *r, int *err, gchar **info)
{
    gint64 offset;
#ifdef WTAP_REC_HOLDS_DATA
    return W->wtap_read(wth, &r->rec, err, info, &offset) ? ws_buffer_start_ptr(&r->rec.data)
                                                          : NULL;
#else
    return W->wtap_read(wth, &r->rec, &r->buf, err, info, &offset) ? ws_buffer_start_ptr(&r->buf)
                                                                   : NULL;
#endif
}

static void record_free(record *r)
{
#ifndef WTAP_REC_HOLDS_DATA
    W->ws_buffer_free(&r->buf);
#endif
    W->wtap_rec_cleanup(&r->rec);
}

static bool run(const char *path, gint64 size, bool live, const check_options *opt,
                report *rp, scan_stats *st, bool *usage)
{
    int err = 0;
    gchar *info = NULL;
    /* A pipe's reads may wait for ever: a stop must reach them. */
    stop_reader sr;
    if (live)
        stop_reader_begin(&sr);
    wtap *wth = stop_requested() ? NULL
                                 : W->wtap_open_offline(path, WTAP_TYPE_AUTO, &err, &info, FALSE);
    if (!wth) {
        if (live)
            stop_reader_end(&sr);
        /* Stopped before the capture's header came: nothing was read,
         * and a stop is not a fault. */
        bool stopped = stop_requested();
        if (!stopped && strcmp(path, "-") == 0 && err == WTAP_ERR_SHORT_READ)
            diag(path, DIAG_ERROR, "the input is empty");
        else if (!stopped)
            open_fault(path, err, info);
        g_free(info);
        return stopped;
    }
    st->files++;
    links ls = {.path = path, .filter = opt->filter,
                .links = g_array_new(FALSE, FALSE, sizeof(link_state))};
    progress pg;
    progress_start(&pg, opt->progress, path, size);
    scan_stats *tally = scan_stats_new_aligned();
    track *t = track_new(path, opt->max_connections, opt->idle_usec, reader_sink_report, rp, tally);
    pipeline *pl = pipeline_start(t, tally, live);
    record r;
    record_init(&r);
    wtap_rec *rec = &r.rec;
    uint32_t frame = 0;
    guint64 packets = 0, filtered = 0, unsupported = 0, not_packets = 0, bad_caplen = 0;
    bool more = true;
    while (!stop_requested() && !ls.bad_filter && (opt->count == 0 || packets < opt->count)) {
        const guint8 *data = record_read(wth, &r, &err, &info);
        if (!(more = data != NULL))
            break;
        frame++;
        packets++;
        if (pg.active && (frame & 1023) == 0)
            progress_update(&pg, W->wtap_read_so_far(wth));
        if (rec->rec_type != REC_TYPE_PACKET) {
            not_packets++;
            W->wtap_rec_reset(rec);
            continue;
        }
        int encap = rec->rec_header.packet_header.pkt_encap;
        int dlt = dlt_of(encap);
        link_state *l = link_for(&ls, dlt, encap);
        size_t caplen = rec->rec_header.packet_header.caplen;
        size_t wirelen = rec->rec_header.packet_header.len;
        if (ls.filter) {
            struct pcap_pkthdr h = {.caplen = (bpf_u_int32)caplen, .len = (bpf_u_int32)wirelen};
            if (!l->compiled || pcap_offline_filter(&l->prog, &h, data) == 0) {
                filtered++;
                W->wtap_rec_reset(rec);
                continue;
            }
        }
        if (dlt < 0 || !decode_link_supported(dlt)) {
            if (!l->warned)
                diag(path, DIAG_WARNING, "link type %s is not supported; its "
                                "frames are skipped", W->wtap_encap_description(encap));
            l->warned = true;
            unsupported++;
            W->wtap_rec_reset(rec);
            continue;
        }
        if (caplen > wirelen) {
            if (bad_caplen++ == 0)
                diag(path, DIAG_WARNING, "frame %u records %zu captured bytes "
                                "of a %zu-byte packet; the bytes past its length are ignored "
                                "(further such frames are not reported)", frame, caplen, wirelen);
            caplen = wirelen;
        }
        pipeline_push(pl, dlt, frame, stamp(rec), data, caplen, wirelen);
        W->wtap_rec_reset(rec);
    }
    if (live)
        stop_reader_end(&sr);
    pipeline_finish(pl);
    progress_end(&pg);
    track_finish(t);
    track_free(t);
    st->packets += packets;
    st->filtered += filtered;
    st->unsupported_link += unsupported;
    st->not_tcp += not_packets;
    scan_stats_add(st, tally);
    scan_stats_free_aligned(tally);
    /* A stop (a signal, a closed output) may interrupt a read: not a fault. */
    bool ok = (!more || (opt->count && packets >= opt->count)) && err == 0;
    if (ls.bad_filter)
        *usage = true;
    else if (!ok && !stop_requested())
        read_fault(path, frame, err, info);
    else
        ok = true;
    if (ok && packets == 0 && W->wtap_read_so_far(wth) == 0 && !stop_requested()) {
        /* A pipe that closed without a byte: some formats wiretap knows
         * accept that as a capture. */
        diag(path, DIAG_ERROR, "the input is empty");
        ok = false;
    } else if (ok && packets == 0) {
        diag(path, DIAG_WARNING, "the capture holds no packets");
    }
    g_free(info);
    record_free(&r);
    links_free(&ls);
    W->wtap_close(wth);
    return ok && !ls.bad_filter;
}

/* wiretap does not say it may read two files at once from two threads:
 * with -j, the inputs it reads take turns (libpcap's do not). */
static pthread_mutex_t wtap_turn = PTHREAD_MUTEX_INITIALIZER;

/* Takes wiretap's turn, loading it first; false after a message when it
 * cannot be loaded. */
static bool take_turn(const char *path)
{
    pthread_mutex_lock(&wtap_turn);
    const char *why = NULL;
    if (!W && !(W = wtap_lib_get(&why))) {
        diag(path, DIAG_ERROR, "cannot read captures other than classic pcap files: %s", why);
        pthread_mutex_unlock(&wtap_turn);
        return false;
    }
    map_ready();
    return true;
}

bool input_wtap_run(const char *path, gint64 size, bool live, const check_options *opt,
                    report *rp, scan_stats *st, bool *usage)
{
    if (!take_turn(path))
        return false;
    bool ok = run(path, size, live, opt, rp, st, usage);
    pthread_mutex_unlock(&wtap_turn);
    return ok;
}

static bool each(const char *path, input_wtap_frame fn, void *ctx, bool *opened)
{
    int err = 0;
    gchar *info = NULL;
    wtap *wth = W->wtap_open_offline(path, WTAP_TYPE_AUTO, &err, &info, FALSE);
    *opened = wth != NULL;
    if (!wth) {
        open_fault(path, err, info);
        g_free(info);
        return false;
    }
    record r;
    record_init(&r);
    const wtap_rec *rec = &r.rec;
    uint32_t frame = 0;
    const guint8 *data;
    while (!stop_requested() && (data = record_read(wth, &r, &err, &info))) {
        frame++;
        if (rec->rec_type == REC_TYPE_PACKET) {
            size_t caplen = rec->rec_header.packet_header.caplen;
            size_t wirelen = rec->rec_header.packet_header.len;
            fn(ctx, dlt_of(rec->rec_header.packet_header.pkt_encap), frame, stamp(rec), data,
               caplen < wirelen ? caplen : wirelen, wirelen);
        }
        W->wtap_rec_reset(&r.rec);
    }
    bool ok = err == 0 || stop_requested();
    if (!ok)
        read_fault(path, frame, err, info);
    g_free(info);
    record_free(&r);
    W->wtap_close(wth);
    return ok;
}

bool input_wtap_each(const char *path, input_wtap_frame fn, void *ctx, bool *opened)
{
    *opened = false;
    if (!take_turn(path))
        return false;
    bool ok = each(path, fn, ctx, opened);
    pthread_mutex_unlock(&wtap_turn);
    return ok;
}
