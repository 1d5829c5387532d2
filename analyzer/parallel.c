/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -j N: N inputs are read at once, each by a thread of its own, and
 * reported as if they had been read one after another.  A worker does not
 * write the report: it records what the report would have been given (the
 * judged connections, the diagnostics, the input's counters) in a
 * temporary file of its own, and the main thread replays the inputs'
 * records in the order the inputs were given, through the one report.  So
 * the output is the serial run's, byte for byte, in every format, and
 * memory stays what tracking N inputs costs: what waits for its turn waits
 * on disk, however large the files.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "diag.h"
#include "parallel.h"
#include "reader.h"
#include "stop.h"

/* Larger than any record written: a diagnostic holds a file name and a
 * message. */
#define MAX_RECORD (1u << 20)

typedef enum {
    REC_CONNECTION = 1,
    REC_DIAG,
} rec_kind;

/* A record's head; its body follows. */
typedef struct {
    uint32_t kind;
    uint32_t level;           /* REC_DIAG: diag_level */
    uint64_t packets;         /* REC_DIAG: frames the input had read then */
    uint64_t len;             /* bytes of body */
    uint64_t has_file;        /* REC_DIAG: the message names a file */
} rec_head;

typedef struct {
    const char *path;
    FILE *records;            /* unlinked temporary file, NULL when none */
    pthread_mutex_t lock;     /* the tracking and the reading thread both record */
    bool write_failed;
    gchar *spill_error;       /* why there is no temporary file */
    scan_stats st;            /* this input's counters */
    bool started, done, ok, usage;
} job;

typedef struct {
    const check_options *opt;
    job *jobs;
    guint n;
    guint next;               /* the next input to start */
    guint replayed;           /* inputs the report has had */
    guint window;             /* how far starting may run ahead of replaying */
    bool abandon;             /* the main thread wants no more inputs started */
    /* pthread's, not GLib's: ThreadSanitizer sees these (scripts/tsan-check). */
    pthread_mutex_t lock;
    pthread_cond_t changed;
} shared;

/* The part of a result a connection's record holds: the outcome and the
 * findings there are, not the unused rest of the array. */
static size_t result_bytes(const eno_result *r)
{
    size_t n = r->n_findings < ENO_MAX_FINDINGS ? r->n_findings : ENO_MAX_FINDINGS;
    return offsetof(eno_result, findings) + n * sizeof(eno_finding);
}

static void put(job *j, rec_kind kind, diag_level level, const char *file, const void *a,
                size_t alen, const void *b, size_t blen)
{
    rec_head h = {.kind = kind, .level = level, .packets = j->st.packets,
                  .len = alen + blen, .has_file = file != NULL};
    pthread_mutex_lock(&j->lock);
    if (!j->write_failed &&
        (fwrite(&h, sizeof h, 1, j->records) != 1 ||
         (alen && fwrite(a, alen, 1, j->records) != 1) ||
         (blen && fwrite(b, blen, 1, j->records) != 1)))
        j->write_failed = true;
    pthread_mutex_unlock(&j->lock);
}

static void record_connection(void *ctx, const conn_info *ci, const eno_result *r)
{
    put(ctx, REC_CONNECTION, 0, NULL, ci, sizeof *ci, r, result_bytes(r));
}

/* A diagnostic's body: the file it names (if any) and the message, each
 * with its terminating NUL. */
static void record_diag(void *ctx, const char *file, diag_level level, const char *what)
{
    put(ctx, REC_DIAG, level, file, file ? file : "", file ? strlen(file) + 1 : 0, what,
        strlen(what) + 1);
}

/* An unlinked temporary file in TMPDIR (or /tmp), or NULL with a message
 * for the report. */
static FILE *spill_file(GString *why)
{
    gchar *name = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("enoscope-XXXXXX", &name, &err);
    if (fd < 0) {
        g_string_assign(why, err->message);
        g_error_free(err);
        return NULL;
    }
    g_unlink(name);
    g_free(name);
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        g_string_assign(why, g_strerror(errno));
        close(fd);
    }
    return f;
}

static void run_job(const check_options *opt, job *j)
{
    GString *why = g_string_new(NULL);
    j->records = spill_file(why);
    if (!j->records) {
        /* Said in the input's turn, as every diagnostic of a job is. */
        j->ok = false;
        j->spill_error = g_string_free(why, FALSE);
        return;
    }
    g_string_free(why, TRUE);
    report wrp;
    report_init(&wrp, opt->format, false, NULL);
    wrp.record = record_connection;
    wrp.record_ctx = j;
    diag_set_capture(record_diag, j);
    j->ok = reader_run(j->path, opt, &wrp, &j->st, &j->usage);
    diag_set_capture(NULL, NULL);
    report_free(&wrp);
}

static gpointer worker(gpointer data)
{
    shared *sh = data;
    pthread_mutex_lock(&sh->lock);
    for (;;) {
        while (sh->next < sh->n && sh->next >= sh->replayed + sh->window && !sh->abandon &&
               !stop_requested())
            pthread_cond_wait(&sh->changed, &sh->lock);
        if (sh->next >= sh->n || sh->abandon || stop_requested())
            break;
        job *j = &sh->jobs[sh->next++];
        j->started = true;
        pthread_mutex_unlock(&sh->lock);
        run_job(sh->opt, j);
        pthread_mutex_lock(&sh->lock);
        j->done = true;
        pthread_cond_broadcast(&sh->changed);
    }
    /* The main thread may be waiting for an input this one will not start. */
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* Waits until job j is done; false when it will never start (a stop). */
static bool wait_for(shared *sh, job *j)
{
    pthread_mutex_lock(&sh->lock);
    while (!j->done && (j->started || (!stop_requested() && !sh->abandon)))
        pthread_cond_wait(&sh->changed, &sh->lock);
    bool done = j->done;
    pthread_mutex_unlock(&sh->lock);
    return done;
}

/* A record's body, reused from record to record.  Plain malloc'd memory,
 * not a GByteArray: GLib 2.74 takes the array's header from its slice
 * allocator, whose hand-over of memory between threads ThreadSanitizer
 * cannot follow (scripts/tsan-check). */
typedef struct {
    uint8_t *data;
    size_t cap;
} rec_body;

/* Reads the next record into body; false at the end or on a fault
 * (*fault set). */
static bool next_record(FILE *f, rec_head *h, rec_body *body, bool *fault)
{
    if (fread(h, sizeof *h, 1, f) != 1) {
        *fault = ferror(f) != 0;
        return false;
    }
    bool sane = h->len <= MAX_RECORD &&
                (h->kind != REC_CONNECTION ||
                 (h->len >= sizeof(conn_info) + offsetof(eno_result, findings) &&
                  h->len <= sizeof(conn_info) + sizeof(eno_result)));
    if (!sane) {
        *fault = true;
        return false;
    }
    if (h->len > body->cap) {
        body->cap = h->len;
        body->data = g_realloc(body->data, body->cap);
    }
    if (h->len && fread(body->data, h->len, 1, f) != 1) {
        *fault = true;
        return false;
    }
    return true;
}

/* Gives job j's records to the report, as the serial run would have. */
static bool replay(job *j, report *rp, scan_stats *st)
{
    report_input_begin(rp, j->path, st);
    if (j->spill_error) {
        diag(j->path, DIAG_ERROR, "cannot read it with -j: no temporary file for its "
                                  "report: %s", j->spill_error);
        report_input_end(rp, st);
        return false;
    }
    guint64 base = st->packets;
    bool fault = j->write_failed || fflush(j->records) != 0 ||
                 fseeko(j->records, 0, SEEK_SET) != 0;
    rec_body store = {0}, *body = &store;
    rec_head h;
    while (!fault && !stop_output_is_closed() && next_record(j->records, &h, body, &fault)) {
        if (h.kind == REC_CONNECTION) {
            conn_info ci;
            eno_result r;
            memcpy(&ci, body->data, sizeof ci);
            memcpy(&r, body->data + sizeof ci, h.len - sizeof ci);
            report_connection(rp, &ci, &r);
        } else {
            const char *file = h.has_file ? (const char *)body->data : NULL;
            const char *what = (const char *)body->data + (file ? strlen(file) + 1 : 0);
            /* An error names the frames read before it (report_input_error). */
            st->packets = base + h.packets;
            diag_emit(file, (diag_level)h.level, what);
            st->packets = base;
        }
    }
    g_free(store.data);
    if (fault)
        diag(j->path, DIAG_ERROR, "its report could not be kept in a temporary file for -j; "
                                  "what it held is lost (run without -j)");
    scan_stats_add(st, &j->st);
    report_input_end(rp, st);
    return !fault;
}

bool parallel_read(const check_options *opt, GPtrArray *inputs, report *rp, scan_stats *st,
                   bool *trouble, bool *usage)
{
    GString *why = g_string_new(NULL);
    FILE *probe = spill_file(why);
    if (!probe) {
        diag(NULL, DIAG_WARNING, "-j needs temporary files (%s); reading the inputs one "
                                 "after another", why->str);
        g_string_free(why, TRUE);
        return false;
    }
    fclose(probe);
    g_string_free(why, TRUE);
    shared sh = {.opt = opt, .n = inputs->len};
    guint n_threads = MIN(opt->jobs, sh.n);
    /* Inputs read ahead wait on disk, each with a descriptor open: a small
     * multiple of the threads keeps them busy behind a long input without
     * opening a file per input of a large directory. */
    sh.window = 4 * n_threads;
    sh.jobs = g_new0(job, sh.n);
    for (guint i = 0; i < sh.n; i++) {
        sh.jobs[i].path = g_ptr_array_index(inputs, i);
        pthread_mutex_init(&sh.jobs[i].lock, NULL);
    }
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.changed, NULL);

    GThread **threads = g_new0(GThread *, n_threads);
    for (guint t = 0; t < n_threads; t++)
        threads[t] = g_thread_new("enoscope-job", worker, &sh);
    /* Signals go to the workers (which inherited this thread's mask), whose
     * reads they must interrupt (a pipe on standard input); this thread
     * only waits and writes. */
    sigset_t old;
    stop_block_in_thread(&old);

    guint i = 0;
    for (; i < sh.n; i++) {
        job *j = &sh.jobs[i];
        if (!wait_for(&sh, j))
            break;
        if (!replay(j, rp, st) || !j->ok)
            *trouble = true;
        if (j->records) {
            fclose(j->records);
            j->records = NULL;
        }
        pthread_mutex_lock(&sh.lock);
        sh.replayed = i + 1;
        pthread_cond_broadcast(&sh.changed);
        pthread_mutex_unlock(&sh.lock);
        if (j->usage) {
            *usage = true;
            break;
        }
        if (stop_output_is_closed())
            break;
    }
    pthread_mutex_lock(&sh.lock);
    sh.abandon = true;
    pthread_cond_broadcast(&sh.changed);
    pthread_mutex_unlock(&sh.lock);
    for (guint t = 0; t < n_threads; t++)
        g_thread_join(threads[t]);
    stop_restore_in_thread(&old);
    /* What a stop left unread is listed as such; after a usage error (a
     * filter that does not compile) or a closed output nothing more is
     * reported, as in a serial run. */
    if (!*usage && !stop_output_is_closed())
        for (guint k = i; k < sh.n; k++)
            if (!sh.jobs[k].started)
                report_input_skipped(rp, sh.jobs[k].path);
    for (guint k = 0; k < sh.n; k++) {
        if (sh.jobs[k].records)
            fclose(sh.jobs[k].records);
        g_free(sh.jobs[k].spill_error);
        pthread_mutex_destroy(&sh.jobs[k].lock);
    }
    g_free(threads);
    g_free(sh.jobs);
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.changed);
    return true;
}
