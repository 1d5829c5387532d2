/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading one capture: classic pcap files opened with libpcap (link type,
 * BPF filter, the packet loop, and telling a clean end of file from a
 * truncated or corrupt one), their records read in blocks (input_pcap.c)
 * or, for byte orders and versions it leaves alone, by libpcap;
 * everything else, and standard input, with wiretap (input_wtap.c), which
 * reads the formats libpcap cannot.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "check.h"
#include "decode.h"
#include "diag.h"
#include "input_pcap.h"
#include "input_wtap.h"
#include "pipeline.h"
#include "progress.h"
#include "reader.h"
#include "stop.h"
#include "track.h"

static const char *link_name(int dlt)
{
    const char *name = pcap_datalink_val_to_name(dlt);
    return name ? name : "unknown";
}

void reader_sink_report(void *rp, const conn_info *ci, const eno_result *r)
{
    report_connection(rp, ci, r);
}

/* Turns libpcap's message on a failed open into a clear one. */
static void open_fault(const char *path, const char *errbuf)
{
    if (strstr(errbuf, "unknown file format"))
        diag(path, DIAG_ERROR, "not a pcap or pcapng file (unknown magic number)");
    else if (strstr(errbuf, "file header bytes, only got 0"))
        diag(path, DIAG_ERROR, "the input is empty");
    else if (strstr(errbuf, "truncated"))
        diag(path, DIAG_ERROR, "truncated file header (%s)", errbuf);
    else
        diag(path, DIAG_ERROR, "cannot read the capture: %s", errbuf);
}

/* True when the file's first bytes are a classic pcap header, which
 * libpcap reads; anything else goes to wiretap.  *magic: the first four
 * bytes in this host's byte order. */
static bool classic_pcap(FILE *f, uint32_t *magic)
{
    unsigned char m[4];
    bool pcap = false;
    *magic = 0;
    if (fread(m, 1, sizeof m, f) == sizeof m) {
        uint32_t le = (uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 |
                      (uint32_t)m[3] << 24;
        pcap = le == 0xa1b2c3d4 || le == 0xd4c3b2a1 || le == 0xa1b23c4d || le == 0x4d3cb2a1;
        memcpy(magic, m, sizeof m);
    }
    rewind(f);
    return pcap;
}

/* libpcap reads through stdio: a larger buffer than stdio's default (one
 * disk block) saves most of the read calls.  A thread reads one capture at
 * a time (with -j each input has a thread), and closes each stream before
 * it opens the next. */
static _Thread_local char read_buffer[256 * 1024];

/* Opens a classic pcap file with libpcap; NULL with *other set for a
 * capture of another kind (or a file that is not regular), NULL after a
 * message when the file cannot be read. */
static pcap_t *open_input(const char *path, gint64 *size, bool *other, uint32_t *magic)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p;
    *size = 0;
    *other = false;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        diag(path, DIAG_ERROR, "cannot open: %s", g_strerror(errno));
        return NULL;
    }
    if (S_ISDIR(sb.st_mode)) {
        diag(path, DIAG_ERROR, "is a directory, not a capture file");
        return NULL;
    }
    if (S_ISREG(sb.st_mode) && sb.st_size == 0) {
        diag(path, DIAG_ERROR, "the file is empty");
        return NULL;
    }
    if (S_ISREG(sb.st_mode))
        *size = sb.st_size;
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag(path, DIAG_ERROR, "cannot open: %s", g_strerror(errno));
        return NULL;
    }
    setvbuf(f, read_buffer, _IOFBF, sizeof read_buffer);
    if (!S_ISREG(sb.st_mode) || !classic_pcap(f, magic)) {
        fclose(f);
        *other = true;
        return NULL;
    }
    p = pcap_fopen_offline(f, errbuf);
    if (!p) {
        fclose(f);
        open_fault(path, errbuf);
    }
    return p;
}

static bool compile_filter(pcap_t *p, const char *path, const char *expr,
                           struct bpf_program *prog)
{
    if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0)
        return true;
    diag(path, DIAG_ERROR, "invalid filter expression \"%s\" (link type %s): %s", expr,
         link_name(pcap_datalink(p)), pcap_geterr(p));
    return false;
}

/* A frame's time in microseconds.  A corrupt record can hold any time
 * (pcapng has 64-bit stamps): clamp it to [0, half of gint64's range] so
 * neither the conversion nor the tracker's time arithmetic overflows. */
gint64 reader_stamp_usec(const struct timeval *tv)
{
    const gint64 max_sec = G_MAXINT64 / G_USEC_PER_SEC / 2;
    gint64 sec = tv->tv_sec, usec = tv->tv_usec;
    if (sec < 0)
        sec = 0;
    if (sec > max_sec)
        sec = max_sec;
    if (usec < 0 || usec >= G_USEC_PER_SEC)
        usec = 0;
    return sec * G_USEC_PER_SEC + usec;
}

static bool read_capture(pcap_t *p, const char *path, gint64 size, uint32_t magic,
                         const check_options *opt, report *rp, scan_stats *st, bool *usage);

bool reader_run(const char *path, const check_options *opt, report *rp, scan_stats *st,
                bool *usage)
{
    gint64 size;
    bool other;
    uint32_t magic;
    *usage = false;
    /* Standard input may be a live capture: see pipeline_start. */
    if (strcmp(path, "-") == 0)
        return input_wtap_run(path, 0, true, opt, rp, st, usage);
    pcap_t *p = open_input(path, &size, &other, &magic);
    if (other) {
        struct stat sb;
        bool regular = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
        return input_wtap_run(path, size, !regular, opt, rp, st, usage);
    }
    if (!p)
        return false;
    return read_capture(p, path, size, magic, opt, rp, st, usage);
}

bool reader_run_stream(FILE *in, const char *name, const check_options *opt, report *rp,
                       scan_stats *st, bool *usage)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    *usage = false;
    pcap_t *p = pcap_fopen_offline(in, errbuf);
    if (!p) {
        open_fault(name, errbuf);
        fclose(in);
        return false;
    }
    /* A stream (a test's memory buffer): libpcap reads every record. */
    return read_capture(p, name, 0, 0, opt, rp, st, usage);
}

/* What the packet loop keeps while it reads one capture. */
typedef struct {
    const char *path;
    const check_options *opt;
    int dlt;
    bool supported;
    bool filtering;
    struct bpf_program prog;
    progress pg;
    track *t;
    scan_stats *tally;         /* the tracking side's counters */
    pipeline *pl;              /* NULL: frames are tracked in the reading thread */
    uint32_t frame;
    guint64 packets, filtered, unsupported, bad_caplen;
} loop;

/* One record: counted, filtered, and tracked or handed over.  False when
 * the run must stop before it (a signal, -c). */
static bool frame_in(loop *l, const struct pcap_pkthdr *hdr, const uint8_t *data)
{
    /* A stop (a signal, a closed output) is looked for every 64 frames,
     * soon enough, and not at the cost of a call for every frame. */
    if (G_UNLIKELY(((l->frame & 63) == 0 && stop_requested()) ||
                   (l->opt->count && l->packets >= l->opt->count)))
        return false;
    l->frame++;
    l->packets++;
    if (l->filtering && pcap_offline_filter(&l->prog, hdr, data) == 0) {
        l->filtered++;
        return true;
    }
    if (!l->supported) {
        l->unsupported++;
        return true;
    }
    size_t caplen = hdr->caplen;
    if (G_UNLIKELY(caplen > hdr->len)) {
        /* A corrupt record: only the bytes that were on the wire count. */
        if (l->bad_caplen++ == 0)
            diag(l->path, DIAG_WARNING, "frame %u records %u captured bytes of a %u-byte "
                                        "packet; the bytes past its length are ignored "
                                        "(further such frames are not reported)",
                 l->frame, hdr->caplen, hdr->len);
        caplen = hdr->len;
    }
    gint64 ts = reader_stamp_usec(&hdr->ts);
    if (l->pl)
        pipeline_push(l->pl, l->dlt, l->frame, ts, data, caplen, hdr->len);
    else
        pipeline_track_frame(l->t, l->tally, l->dlt, l->frame, ts, data, caplen, hdr->len);
    return true;
}

static bool block_frame(void *ctx, const struct pcap_pkthdr *hdr, const uint8_t *data,
                        int64_t offset)
{
    loop *l = ctx;
    if (!hdr) /* a fault ahead: only if the run goes on */
        return !stop_requested() && !(l->opt->count && l->packets >= l->opt->count);
    if (!frame_in(l, hdr, data))
        return false;
    if (l->pg.active && (l->frame & 1023) == 0)
        progress_update(&l->pg, offset);
    return true;
}

/* The packet loop over an opened capture; closes it. */
static bool read_capture(pcap_t *p, const char *path, gint64 size, uint32_t magic,
                         const check_options *opt, report *rp, scan_stats *st, bool *usage)
{
    st->files++;

    loop l = {.path = path, .opt = opt, .dlt = pcap_datalink(p)};
    l.supported = decode_link_supported(l.dlt);
    if (!l.supported)
        diag(path, DIAG_WARNING, "link type %d (%s) is not supported; its frames are skipped",
             l.dlt, link_name(l.dlt));

    l.filtering = opt->filter != NULL;
    if (l.filtering && !compile_filter(p, path, opt->filter, &l.prog)) {
        pcap_close(p);
        *usage = true;
        return false;
    }

    progress_start(&l.pg, opt->progress, path, size);
    /* The tracking side counts into a block of cache lines of its own,
     * the loop into its locals, both added to st at the end, so that no
     * cache line goes back and forth between the CPUs on every frame when
     * two threads share the work (bench/README.md has the cost). */
    l.tally = scan_stats_new_aligned();
    l.t = track_new(path, opt->max_connections, opt->idle_usec, reader_sink_report, rp, l.tally);
    input_pcap_format fmt;
    bool ok;
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    if (input_pcap_usable(p, magic, &fmt)) {
        /* A thread reads the file in blocks; this one decodes and tracks
         * each frame where it lies in the block.  Handing frames to a
         * tracking thread instead (the pipeline) costs more CPU time in
         * all, a copy and a cache miss or two per frame, for no gain in
         * time once the frames are not read one by one through stdio:
         * reading a block costs the system's copy, decoding and tracking
         * it the rest, and the two run side by side. */
        ok = input_pcap_read(pcap_file(p), &fmt, block_frame, &l, errbuf);
    } else {
        /* libpcap reads the records, and a tracking thread decodes and
         * tracks them while this one reads on. */
        l.pl = pipeline_start(l.t, l.tally, false);
        struct pcap_pkthdr *hdr;
        const u_char *data;
        int rc = 1;
        while (!stop_requested() && (opt->count == 0 || l.packets < opt->count) &&
               (rc = pcap_next_ex(p, &hdr, &data)) == 1) {
            frame_in(&l, hdr, data);
            /* ftello costs a system call: only for a bar, and not per frame. */
            if (l.pg.active && (l.frame & 1023) == 0)
                progress_update(&l.pg, ftello(pcap_file(p)));
        }
        pipeline_finish(l.pl);
        /* rc stays 1 when -c's count ended the loop. */
        ok = rc == PCAP_ERROR_BREAK || rc == 1;
        if (!ok)
            g_strlcpy(errbuf, pcap_geterr(p), sizeof errbuf);
    }
    progress_end(&l.pg);
    /* Report what was read, also when the file ends in a fault. */
    track_finish(l.t);
    track_free(l.t);
    st->packets += l.packets;
    st->filtered += l.filtered;
    st->unsupported_link += l.unsupported;
    scan_stats_add(st, l.tally);
    scan_stats_free_aligned(l.tally);
    /* A stop (a signal, a closed output) may interrupt a read: not a fault. */
    ok = ok || stop_requested();
    if (!ok)
        diag(path, DIAG_ERROR, "truncated or corrupt capture after frame %u: %s", l.frame, errbuf);
    if (l.filtering)
        pcap_freecode(&l.prog);
    pcap_close(p);
    return ok;
}
