/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batches of frames go from the reading thread to the tracking thread
 * through one GAsyncQueue and come back empty through another.  A batch is
 * a byte arena of frame records (a header, then the frame's leading bytes,
 * 8-byte aligned).  A batch with no records tells the tracking thread that
 * the file is done.  A capture that fits in one batch, or that may be live,
 * is tracked without the second thread.
 *
 * Decoding runs in the tracking thread: the reader only copies the bytes
 * decoding needs (decode_prefix_len), which keeps it close to the speed of
 * libpcap reading the file, the pace of the whole run.  The tracking
 * thread, which starts on its creator's CPU, moves itself once to another
 * one: the scheduler is slow to spread two threads that hand work to each
 * other, and they would take turns on one CPU.  (Waiting by polling instead
 * of sleeping kept them apart too, but cost the reader dearly whenever the
 * other CPU was busy with anything else.)
 */
#define _GNU_SOURCE /* sched_getcpu, pthread_setaffinity_np */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "decode.h"
#include "pipeline.h"
#include "stop.h"

#define BATCH_BYTES (512 * 1024)
#define BATCHES 4

typedef struct {
    uint32_t frame;
    uint32_t len;              /* bytes that follow */
    uint32_t wirelen;
    int32_t dlt;               /* the frame's link type (pcapng: its interface's) */
    gint64 ts;
} record_head;

/* The first batch starts small and grows to BATCH_BYTES before it is
 * handed over (most captures of a test suite, or a fuzzer's inputs, are
 * tiny); the others are allocated at full size with the thread. */
#define FIRST_BATCH_BYTES (16 * 1024)

typedef struct {
    size_t used;
    size_t cap;                /* bytes, at most BATCH_BYTES */
    _Alignas(8) guint8 bytes[];
} batch;

/* Live input: how often the clock is looked at, how quiet a connection
 * whose handshake was seen must be before it is judged, and how close to
 * the wall clock the frames' stamps must be for the input to count as
 * live rather than a capture file replayed through a pipe (whose results
 * must be those of the file). */
#define TICK_USEC (200 * 1000)
#define SETTLE_USEC (1000 * 1000)
#define LIVE_STAMP_SLACK_USEC (30 * G_USEC_PER_SEC)

struct pipeline {
    bool live;                 /* no batches: decode and track at once */
    /* Live input: a ticker thread advances the track's clock while no
     * frame comes.  The lock (a pthread one, which ThreadSanitizer sees)
     * guards the track, the counters and the two stamps below. */
    pthread_mutex_t lock;
    GThread *ticker;
    gint quit;
    bool stamped;              /* a frame came */
    gint64 last_ts;            /* its capture time */
    gint64 last_mono;          /* the monotonic time it came at */
    int reader_cpu;            /* where the reader ran at the start, or -1 */
    track *t;
    scan_stats *st;
    GThread *thread;
    GAsyncQueue *full, *empty;
    /* Batches handed over each way.  GLib's queue orders the threads
     * already; these atomic counts make that order visible to
     * ThreadSanitizer, which does not see GLib's futex-based locks. */
    gint filled, emptied;
    batch *cur;                /* being filled by the reader */
    batch *store[BATCHES];     /* allocated as needed */
};

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static batch *batch_new(size_t cap)
{
    batch *b = g_malloc(sizeof(batch) + cap);
    b->used = 0;
    b->cap = cap;
    return b;
}

static void track_frame(pipeline *pl, int dlt, uint32_t frame, gint64 ts, const uint8_t *data,
                        size_t caplen, size_t wirelen)
{
    pipeline_track_frame(pl->t, pl->st, dlt, frame, ts, data, caplen, wirelen);
}

static void track_batch(pipeline *pl, const batch *b)
{
    for (size_t at = 0; at < b->used;) {
        const record_head *h = (const record_head *)(b->bytes + at);
        track_frame(pl, h->dlt, h->frame, h->ts, (const guint8 *)(h + 1), h->len, h->wirelen);
        at += align8(sizeof *h + h->len);
    }
}

void pipeline_leave_cpu(int cpu)
{
    cpu_set_t all, other;
    if (cpu < 0 || sched_getaffinity(0, sizeof all, &all) != 0 || CPU_COUNT(&all) < 2)
        return;
    CPU_ZERO(&other);
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (c != cpu && CPU_ISSET(c, &all)) {
            CPU_SET(c, &other);
            break;
        }
    }
    if (pthread_setaffinity_np(pthread_self(), sizeof other, &other) == 0)
        pthread_setaffinity_np(pthread_self(), sizeof all, &all);
}

static gpointer tracking_thread(gpointer data)
{
    pipeline *pl = data;
    stop_block_in_thread(NULL);
    pipeline_leave_cpu(pl->reader_cpu);
    for (;;) {
        batch *b = g_async_queue_pop(pl->full);
        (void)g_atomic_int_get(&pl->filled);
        if (b->used == 0)
            return NULL;
        track_batch(pl, b);
        b->used = 0;
        g_atomic_int_inc(&pl->emptied);
        g_async_queue_push(pl->empty, b);
    }
}

/* The capture clock runs on while the input is silent; connections that
 * went quiet are judged by it (idle expiry, and settled handshakes when
 * the input is live). */
static gpointer ticker_thread(gpointer data)
{
    pipeline *pl = data;
    stop_block_in_thread(NULL);
    while (!g_atomic_int_get(&pl->quit)) {
        g_usleep(TICK_USEC);
        pthread_mutex_lock(&pl->lock);
        if (pl->stamped && !g_atomic_int_get(&pl->quit)) {
            gint64 now = pl->last_ts + (g_get_monotonic_time() - pl->last_mono);
            gint64 lag = g_get_real_time() - pl->last_ts;
            bool live = lag < LIVE_STAMP_SLACK_USEC && lag > -LIVE_STAMP_SLACK_USEC;
            track_tick(pl->t, now, live ? SETTLE_USEC : 0);
        }
        pthread_mutex_unlock(&pl->lock);
    }
    return NULL;
}

pipeline *pipeline_start(track *t, scan_stats *st, bool live)
{
    pipeline *pl = g_new0(pipeline, 1);
    pl->live = live;
    pl->reader_cpu = sched_getcpu();
    pl->t = t;
    pl->st = st;
    if (live) {
        pthread_mutex_init(&pl->lock, NULL);
        pl->ticker = g_thread_new("enoscope-tick", ticker_thread, pl);
        return pl;
    }
    pl->full = g_async_queue_new();
    pl->empty = g_async_queue_new();
    pl->store[0] = batch_new(FIRST_BATCH_BYTES);
    pl->cur = pl->store[0];
    return pl;
}

static void hand_over(pipeline *pl)
{
    /* Started with the first full batch (so are the other batches): a
     * capture that fits one batch is tracked by the reading thread at the
     * end, without a thread. */
    if (!pl->thread) {
        for (guint i = 1; i < BATCHES; i++) {
            pl->store[i] = batch_new(BATCH_BYTES);
            g_async_queue_push(pl->empty, pl->store[i]);
        }
        pl->thread = g_thread_new("enoscope-track", tracking_thread, pl);
    }
    g_atomic_int_inc(&pl->filled);
    g_async_queue_push(pl->full, pl->cur);
    pl->cur = g_async_queue_pop(pl->empty);
    (void)g_atomic_int_get(&pl->emptied);
}

void pipeline_push(pipeline *pl, int dlt, uint32_t frame, gint64 ts, const uint8_t *data,
                   size_t caplen, size_t wirelen)
{
    if (pl->live) {
        pthread_mutex_lock(&pl->lock);
        track_frame(pl, dlt, frame, ts, data, caplen, wirelen);
        pl->stamped = true;
        pl->last_ts = ts;
        pl->last_mono = g_get_monotonic_time();
        pthread_mutex_unlock(&pl->lock);
        return;
    }
    size_t len = decode_prefix_len(dlt, data, caplen);
    /* A frame longer than a batch cannot be: libpcap caps captured lengths
     * at 256 KiB.  Should one come, its headers are in its first bytes. */
    if (len > BATCH_BYTES - sizeof(record_head))
        len = BATCH_BYTES - sizeof(record_head);
    size_t need = align8(sizeof(record_head) + len);
    if (pl->cur->used + need > pl->cur->cap) {
        if (pl->cur->cap < BATCH_BYTES && !pl->thread) {
            /* Still the first batch, still the reader's own. */
            size_t cap = pl->cur->cap;
            while (cap < BATCH_BYTES && pl->cur->used + need > cap)
                cap *= 2;
            cap = MIN(cap, BATCH_BYTES);
            pl->cur = pl->store[0] = g_realloc(pl->cur, sizeof(batch) + cap);
            pl->cur->cap = cap;
        }
        if (pl->cur->used + need > pl->cur->cap)
            hand_over(pl);
    }
    record_head *h = (record_head *)(pl->cur->bytes + pl->cur->used);
    h->frame = frame;
    h->len = (uint32_t)len;
    h->wirelen = wirelen > G_MAXUINT32 ? G_MAXUINT32 : (uint32_t)wirelen;
    h->dlt = dlt;
    h->ts = ts;
    memcpy(h + 1, data, len);
    pl->cur->used += need;
}

void pipeline_finish(pipeline *pl)
{
    if (pl->live) {
        g_atomic_int_set(&pl->quit, 1);
        g_thread_join(pl->ticker);
        pthread_mutex_destroy(&pl->lock);
        g_free(pl);
        return;
    }
    if (!pl->thread) {
        track_batch(pl, pl->cur);
    } else {
        if (pl->cur->used)
            hand_over(pl);
        pl->cur->used = 0;
        hand_over(pl); /* the end */
        g_thread_join(pl->thread);
    }
    g_async_queue_unref(pl->full);
    g_async_queue_unref(pl->empty);
    for (guint i = 0; i < BATCHES; i++)
        g_free(pl->store[i]);
    g_free(pl);
}
