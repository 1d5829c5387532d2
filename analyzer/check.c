/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `check` run: every input in turn, then the totals and the exit code. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "input_live.h"
#include "input_walk.h"
#include "parallel.h"
#include "reader.h"
#include "stop.h"

/* Output to a file or a pipe is written in large blocks. */
static char out_buffer[64 * 1024];

typedef struct {
    report *rp;
    const scan_stats *st;
} error_sink;

/* Every error names the input it concerns: the summary lists it. */
static void record_error(void *ctx, const char *file, const char *message)
{
    error_sink *es = ctx;
    if (file)
        report_input_error(es->rp, file, message, es->st);
}

/* Reads one input, -c's remaining count given to it. */
static bool read_input(const char *path, const check_options *opt, report *rp, scan_stats *st,
                       bool *usage)
{
    check_options one = *opt;
    if (opt->count)
        one.count = opt->count - st->packets;
    report_input_begin(rp, path, st);
    bool ok = opt->interface ? input_live_run(&one, rp, st, usage)
                             : reader_run(path, &one, rp, st, usage);
    report_input_end(rp, st);
    return ok;
}

/* True (after a message) when -o names one of the inputs: opening it for
 * writing would destroy the capture before it is read. */
static bool output_is_input(const char *output, char **files, int n_files)
{
    struct stat o, in;
    if (stat(output, &o) != 0)
        return false;
    for (int i = 0; i < n_files; i++) {
        if (stat(files[i], &in) == 0 && S_ISREG(in.st_mode) && in.st_dev == o.st_dev &&
            in.st_ino == o.st_ino) {
            diag(output, DIAG_ERROR, "the output (-o) is the input %s: not overwritten",
                 files[i]);
            return true;
        }
    }
    return false;
}

int check_run(const check_options *opt, char **files, int n_files)
{
    FILE *out = stdout;
    if (opt->output && output_is_input(opt->output, files, n_files))
        return EXIT_TROUBLE;
    if (opt->output) {
        out = fopen(opt->output, "w");
        if (!out) {
            diag(opt->output, DIAG_ERROR, "cannot write the output: %s", g_strerror(errno));
            return EXIT_TROUBLE;
        }
    }
    if (!isatty(fileno(out)))
        setvbuf(out, out_buffer, _IOFBF, sizeof out_buffer);
    stop_install();
    report rp;
    scan_stats st = {0};
    bool trouble = false, usage = false;
    report_init(&rp, opt->format, color_enabled(opt->color, fileno(out)), out);
    rp.list = opt->list;
    rp.quiet = opt->quiet;
    rp.policy = &opt->policy;
    rp.fail_on = opt->fail_on;
    error_sink es = {&rp, &st};
    diag_set_error_hook(record_error, &es);
    GPtrArray *inputs = input_expand(files, n_files, &trouble);
    for (guint i = 0; i < inputs->len; i++)
        if (strcmp(g_ptr_array_index(inputs, i), "-") == 0)
            rp.flush_each = true;
    if (opt->interface) {
        rp.flush_each = true;
        if (!read_input(opt->interface, opt, &rp, &st, &usage))
            trouble = true;
    }
    guint i = 0;
    /* -c counts packets over the inputs in their order: it reads them one
     * after another. */
    if (opt->jobs > 1 && !opt->count && !opt->interface && inputs->len > 1 &&
        parallel_read(opt, inputs, &rp, &st, &trouble, &usage))
        i = inputs->len;
    for (; i < inputs->len && !usage && !stop_requested(); i++) {
        if (opt->count && st.packets >= opt->count)
            break;
        if (!read_input(g_ptr_array_index(inputs, i), opt, &rp, &st, &usage))
            trouble = true;
    }
    /* The reading is over, and with it what a signal is for: one that came
     * now would only cut what is still being written (stdio gives up a
     * write that a signal interrupts), so they wait until the end. */
    sigset_t before_end;
    stop_block_in_thread(&before_end);
    for (; i < inputs->len && !usage; i++)
        report_input_skipped(&rp, g_ptr_array_index(inputs, i));
    /* Interrupted by a signal, the totals of what was read are still
     * printed; a closed output gets nothing more. */
    if (!usage && !stop_output_is_closed())
        report_summary(&rp, &st);
    diag_set_error_hook(NULL, NULL);
    if (st.dropped)
        diag(NULL, DIAG_WARNING, "%" G_GUINT64_FORMAT " connections were dropped untracked "
                                 "because more than %u were in their handshake at once; raise "
                                 "--max-connections to keep them",
             st.dropped, opt->max_connections);
    eno_severity worst = rp.worst;
    report_free(&rp);
    g_ptr_array_unref(inputs);
    bool write_failed = false;
    if (opt->output)
        write_failed = (ferror(out) | fclose(out)) != 0;
    else
        fflush(out);
    stop_restore_in_thread(&before_end);
    if (write_failed) {
        diag(opt->output, DIAG_ERROR, "writing the output failed");
        return EXIT_TROUBLE;
    }
    if (trouble)
        return EXIT_TROUBLE;
    if (opt->fail_on != ENO_SEV_NONE && worst >= opt->fail_on)
        return EXIT_FINDINGS;
    return EXIT_CLEAN;
}
