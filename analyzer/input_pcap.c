/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Classic pcap records read in blocks (input_pcap.h).  libpcap reads each
 * record with two stdio calls and copies its bytes into a buffer of its
 * own, about as much work per frame as decoding and tracking it; here one
 * thread reads blocks of the file and the caller's thread walks the
 * records where they lie.  Only a block hand-over, every 512 KiB, costs
 * anything between the two.
 *
 * The reading thread only reads: the caller, walking a block, stops at
 * the record that the block's end cuts, and copies that part into the room
 * left before the next block's bytes, where the record then lies whole.
 * The last block (the end of the file, or a read error) is walked to its
 * end, and what is wrong there reported as libpcap does.
 */
#define _GNU_SOURCE /* sched_getcpu */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "input_pcap.h"
#include "pipeline.h"
#include "stop.h"

#define BLOCK_BYTES (512 * 1024)
#define BLOCKS 4
#define RECORD_HEAD 16          /* struct pcap_sf_pkthdr: seconds, fraction, caplen, len */

#define TCPDUMP_MAGIC 0xa1b2c3d4u
#define NSEC_MAGIC 0xa1b23c4du

/* libpcap's largest snapshot length (MAXIMUM_SNAPLEN) and the link types
 * it allows more for. */
#define MAX_SNAPLEN 262144u
#ifndef DLT_DBUS
#define DLT_DBUS 231
#endif
#ifndef DLT_USBPCAP
#define DLT_USBPCAP 249
#endif
#ifndef DLT_EBHSCR
#define DLT_EBHSCR 279
#endif

/* Room before a block's bytes for the part of a record that the block
 * before cut: less than a record header and libpcap's largest captured
 * length, which the walk checks before it carries a record. */
#define CARRY_ROOM (RECORD_HEAD + MAX_SNAPLEN)
/* A carried record then ends within the next block, unless the file does. */
_Static_assert(BLOCK_BYTES >= CARRY_ROOM, "a block holds the rest of any carried record");

typedef struct {
    size_t len;                 /* bytes read, after CARRY_ROOM */
    bool last;
    int err;                    /* errno of a failed read, or 0 */
    guint8 *mem;                /* CARRY_ROOM + BLOCK_BYTES */
} block;

typedef struct {
    int fd;
    int reader_cpu;
    GThread *thread;
    GAsyncQueue *full, *empty;
    /* GLib's queues order the threads; these make the order visible to
     * ThreadSanitizer, which does not see GLib's futex-based locks. */
    gint filled, emptied;
    gint quit;                  /* the caller stopped early */
    block *cur;                 /* the reading thread's first */
    block store[BLOCKS];
} reading;

bool input_pcap_usable(pcap_t *p, uint32_t magic, input_pcap_format *fmt)
{
    int dlt = pcap_datalink(p);
    if (magic != TCPDUMP_MAGIC && magic != NSEC_MAGIC)
        return false;           /* the other byte order: libpcap swaps some pseudo-headers */
    if (pcap_is_swapped(p) || pcap_major_version(p) != 2 || pcap_minor_version(p) != 4)
        return false;           /* older files may have caplen and len interchanged */
    if (dlt == DLT_DBUS || dlt == DLT_USBPCAP || dlt == DLT_EBHSCR)
        return false;           /* other length limits */
    int snap = pcap_snapshot(p);
    if (snap <= 0 || (uint32_t)snap > MAX_SNAPLEN)
        return false;
    fmt->snapshot = (uint32_t)snap;
    fmt->max_caplen = MAX_SNAPLEN;
    fmt->nsec = magic == NSEC_MAGIC;
    return true;
}

static uint32_t u32(const guint8 *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Fills b with the file's next bytes. */
static void fill(reading *r, block *b)
{
    guint8 *to = b->mem + CARRY_ROOM;
    size_t n = 0;
    b->err = 0;
    b->last = false;
    while (n < BLOCK_BYTES) {
        ssize_t got = read(r->fd, to + n, BLOCK_BYTES - n);
        if (got > 0) {
            n += (size_t)got;
        } else if (got < 0 && errno == EINTR && !stop_requested()) {
            continue;
        } else {
            b->err = got < 0 ? errno : 0;
            b->last = true;
            break;
        }
    }
    b->len = n;
}

/* The reading thread: starts with r->cur, the caller having read the
 * first block. */
static gpointer reading_thread(gpointer data)
{
    reading *r = data;
    /* This thread takes the signals (input_pcap_read). */
    stop_unblock_in_thread();
    /* It starts on the caller's CPU, and the scheduler is slow to spread
     * two threads that hand work to each other. */
    pipeline_leave_cpu(r->reader_cpu);
    block *b = r->cur;
    for (;;) {
        if (g_atomic_int_get(&r->quit)) {
            b->len = 0;
            b->last = true;
        } else {
            fill(r, b);
        }
        g_atomic_int_inc(&r->filled);
        g_async_queue_push(r->full, b);
        if (b->last)
            return NULL;
        b = g_async_queue_pop(r->empty);
        (void)g_atomic_int_get(&r->emptied);
    }
}

/* libpcap's message for a record cut by the end of the file: have bytes
 * of the record's data are there. */
static void truncated(char *errbuf, uint32_t caplen, uint32_t snapshot, size_t have)
{
    if (caplen > snapshot && have < snapshot)
        g_snprintf(errbuf, PCAP_ERRBUF_SIZE,
                   "truncated dump file; tried to read %d captured bytes, only got %zu",
                   (int)snapshot, have);
    else
        g_snprintf(errbuf, PCAP_ERRBUF_SIZE,
                   "truncated dump file; tried to read %u captured bytes, only got %zu", caplen,
                   have);
}

typedef enum { WALK_ON, WALK_STOP, WALK_FAULT } walk_result;

/* A fault at the next record, unless the caller wanted no more. */
static walk_result fault(input_pcap_frame fn, void *ctx, int64_t offset)
{
    return fn(ctx, NULL, NULL, offset) ? WALK_FAULT : WALK_STOP;
}

/* Hands the records of the n bytes at start to fn; offset: the file's
 * bytes before them.  Unless they are the file's last (b->last), stops at
 * a record they cut, whose part *used leaves. */
static walk_result walk(const guint8 *start, size_t n, const block *b, int64_t offset,
                        const input_pcap_format *fmt, input_pcap_frame fn, void *ctx,
                        char *errbuf, size_t *used)
{
    const guint8 *p = start, *end = start + n;
    walk_result w = WALK_ON;
    while (p < end) {
        size_t left = (size_t)(end - p);
        if (left < RECORD_HEAD) {
            if (!b->last)
                break;
            g_snprintf(errbuf, PCAP_ERRBUF_SIZE,
                       "truncated dump file; tried to read %d header bytes, only got %zu",
                       RECORD_HEAD, left);
            w = fault(fn, ctx, offset + (p - start));
            break;
        }
        struct pcap_pkthdr hdr;
        /* As libpcap: the stamps are signed 32-bit fields. */
        hdr.ts.tv_sec = (int32_t)u32(p);
        hdr.ts.tv_usec = (int32_t)u32(p + 4);
        if (fmt->nsec)
            hdr.ts.tv_usec /= 1000;
        hdr.caplen = u32(p + 8);
        hdr.len = u32(p + 12);
        if (hdr.caplen > fmt->max_caplen) {
            if (hdr.caplen > fmt->snapshot)
                g_snprintf(errbuf, PCAP_ERRBUF_SIZE,
                           "invalid packet capture length %u, bigger than snaplen of %d",
                           hdr.caplen, (int)fmt->snapshot);
            else
                g_snprintf(errbuf, PCAP_ERRBUF_SIZE,
                           "invalid packet capture length %u, bigger than maximum of %u",
                           hdr.caplen, fmt->max_caplen);
            w = fault(fn, ctx, offset + (p - start));
            break;
        }
        if (left - RECORD_HEAD < hdr.caplen) {
            if (!b->last)
                break;
            truncated(errbuf, hdr.caplen, fmt->snapshot, left - RECORD_HEAD);
            w = fault(fn, ctx, offset + (p - start));
            break;
        }
        const guint8 *data = p + RECORD_HEAD;
        p = data + hdr.caplen;
        /* The next record's header and its packet's headers: another
         * CPU's read wrote them, and they are wanted next. */
        __builtin_prefetch(p);
        __builtin_prefetch(p + 64);
        /* libpcap hands over at most the snapshot length. */
        if (hdr.caplen > fmt->snapshot)
            hdr.caplen = fmt->snapshot;
        if (!fn(ctx, &hdr, data, offset + (p - start))) {
            w = WALK_STOP;
            break;
        }
    }
    *used = (size_t)(p - start);
    if (w == WALK_ON && b->err) {
        g_snprintf(errbuf, PCAP_ERRBUF_SIZE, "error reading dump file: %s", g_strerror(b->err));
        w = fault(fn, ctx, offset + (p - start));
    }
    return w;
}

static bool read_blocks(FILE *f, const input_pcap_format *fmt, input_pcap_frame fn, void *ctx,
                        char *errbuf)
{
    /* The stream has read ahead (libpcap read the file header through
     * it): the records are read from the descriptor, from where the
     * stream stands, without the stream's copy. */
    off_t start = ftello(f);
    if (start < 0 || lseek(fileno(f), start, SEEK_SET) != start) {
        g_snprintf(errbuf, PCAP_ERRBUF_SIZE, "error reading dump file: %s", g_strerror(errno));
        return false;
    }
    /* The carried part of a record must fit in the room before a block
     * (input_pcap_usable sets no larger limit). */
    g_assert(fmt->max_caplen <= MAX_SNAPLEN);
    reading r = {.fd = fileno(f), .reader_cpu = sched_getcpu()};
    r.store[0].mem = g_malloc(CARRY_ROOM + BLOCK_BYTES);
    /* The first block is read here: a capture that fits in it (most of a
     * test suite's) needs no thread. */
    block *b = &r.store[0];
    fill(&r, b);
    int64_t offset = start;
    walk_result w;
    if (!b->last) {
        r.full = g_async_queue_new();
        r.empty = g_async_queue_new();
        for (int i = 1; i < BLOCKS; i++) {
            r.store[i].mem = g_malloc(CARRY_ROOM + BLOCK_BYTES);
            if (i > 1)
                g_async_queue_push(r.empty, &r.store[i]);
        }
        r.cur = &r.store[1];
        r.thread = g_thread_new("enoscope-read", reading_thread, &r);
    }
    const guint8 *at = b->mem + CARRY_ROOM;
    size_t n = b->len;
    for (;;) {
        size_t used;
        w = walk(at, n, b, offset, fmt, fn, ctx, errbuf, &used);
        offset += (int64_t)used;
        if (b->last || w != WALK_ON)
            break;
        block *next = g_async_queue_pop(r.full);
        (void)g_atomic_int_get(&r.filled);
        /* The record this block's end cut goes before the next block's
         * bytes, where it continues. */
        size_t rest = n - used;
        memcpy(next->mem + CARRY_ROOM - rest, at + used, rest);
        g_atomic_int_inc(&r.emptied);
        g_async_queue_push(r.empty, b);
        b = next;
        at = b->mem + CARRY_ROOM - rest;
        n = rest + b->len;
    }
    if (r.thread) {
        /* Stopped early: let the reading thread see it, and take what it
         * still hands over until its last block. */
        g_atomic_int_set(&r.quit, 1);
        while (!b->last) {
            g_atomic_int_inc(&r.emptied);
            g_async_queue_push(r.empty, b);
            b = g_async_queue_pop(r.full);
            (void)g_atomic_int_get(&r.filled);
        }
        g_thread_join(r.thread);
        g_async_queue_unref(r.full);
        g_async_queue_unref(r.empty);
    }
    for (int i = 0; i < BLOCKS; i++)
        g_free(r.store[i].mem);
    return w != WALK_FAULT;
}

/* The calling thread walks the records and writes the report: a signal
 * handled there would interrupt a write to standard output (the handler
 * does not restart system calls), and stdio would lose what it held.  So
 * the signals go to the reading thread, whose reads of a regular file
 * are short; the walk sees stop_requested() within 64 frames.  A capture
 * read without that thread (one block) takes a signal when it ends. */
bool input_pcap_read(FILE *f, const input_pcap_format *fmt, input_pcap_frame fn, void *ctx,
                     char *errbuf)
{
    sigset_t old;
    stop_block_in_thread(&old);
    bool ok = read_blocks(f, fmt, fn, ctx, errbuf);
    stop_restore_in_thread(&old);
    return ok;
}
