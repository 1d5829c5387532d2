/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the whole analyzer reading one capture from memory.
 *
 * The input is a pcap or pcapng file.  It is opened with fmemopen and read
 * by reader_run_stream, the per-file function `enoscope check` uses, once
 * with the text report, once with JSON Lines and once with JUnit XML, all
 * printed to /dev/null.  A low cap on tracked connections also exercises dropping.
 *
 * A classic pcap file in this host's byte order, the kind `check` reads
 * itself in blocks (input_pcap.c) rather than through libpcap, is also
 * read both ways, from a memory file (memfd) by its path as `check` reads
 * a file and from the stream through libpcap: the two JSON reports must be
 * the same, and so must the diagnostics (faults, warnings), each stream in
 * its order (libpcap's records are tracked in another thread, so a
 * warning may come before a record it follows in the file).
 */
#define _GNU_SOURCE /* fmemopen, open_memstream, memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null_out(void)
{
    static FILE *out;
    if (!out && !(out = fopen("/dev/null", "w")))
        abort();
    return out;
}

/* One run of `check` on the input, reported in format to out: read as a
 * stream through libpcap, or by its path (a file holding the input) as a
 * file given on the command line is read. */
static void run_once(const uint8_t *data, size_t size, const char *name, bool by_path,
                     out_format format, FILE *out)
{
    check_options opt = {.format = format, .fail_on = ENO_SEV_ERROR, .max_connections = 64,
                         .idle_usec = (gint64)DEFAULT_IDLE_SECONDS * G_USEC_PER_SEC};
    report rp;
    scan_stats st = {0};
    bool usage;
    report_init(&rp, format, format == FORMAT_TEXT, out);
    report_input_begin(&rp, name, &st);
    if (by_path) {
        (void)reader_run(name, &opt, &rp, &st, &usage);
    } else {
        FILE *in = fmemopen((void *)data, size, "rb");
        if (in) /* fmemopen refuses an empty buffer on some libcs */
            (void)reader_run_stream(in, name, &opt, &rp, &st, &usage);
    }
    report_input_end(&rp, &st);
    report_summary(&rp, &st);
    if (rp.total.connections > st.packets)
        abort(); /* every connection starts at a frame that was read */
    report_free(&rp);
}

/* Diagnostics (faults, warnings) go to a text of their own. */
static void keep_diag(void *ctx, const char *file, diag_level level, const char *what)
{
    fprintf(ctx, "diag %d %s: %s\n", (int)level, file ? file : "-", what);
}

/* The JSON report of the input read by path (the block reader) or as a
 * stream (libpcap), both named path, and its diagnostics; malloc'd. */
static char *json_report(const uint8_t *data, size_t size, const char *path, bool by_path,
                         char **diags)
{
    char *text = NULL;
    size_t len = 0, dlen = 0;
    FILE *out = open_memstream(&text, &len);
    FILE *dout = open_memstream(diags, &dlen);
    if (!out || !dout)
        abort();
    diag_set_capture(keep_diag, dout);
    run_once(data, size, path, by_path, FORMAT_JSON, out);
    diag_set_capture(NULL, NULL);
    fclose(out);
    fclose(dout);
    return text;
}

static void block_reader_against_libpcap(const uint8_t *data, size_t size)
{
    uint32_t magic;
    if (size < 4)
        return;
    memcpy(&magic, data, 4);
    if (magic != 0xa1b2c3d4u && magic != 0xa1b23c4du)
        return;
    int fd = memfd_create("fuzz-input", 0);
    if (fd < 0)
        return;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    char *bdiag, *sdiag;
    char *blocks = json_report(data, size, path, true, &bdiag);
    char *stream = json_report(data, size, path, false, &sdiag);
    if (strcmp(blocks, stream) != 0 || strcmp(bdiag, sdiag) != 0) {
        fprintf(stderr, "the block reader and libpcap differ:\n--- blocks\n%s%s--- libpcap\n%s%s",
                blocks, bdiag, stream, sdiag);
        abort();
    }
    free(blocks);
    free(stream);
    free(bdiag);
    free(sdiag);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    run_once(data, size, "fuzz-input", false, FORMAT_TEXT, null_out());
    run_once(data, size, "fuzz-input", false, FORMAT_JSON, null_out());
    run_once(data, size, "fuzz-input", false, FORMAT_JUNIT, null_out());
    block_reader_against_libpcap(data, size);
    return 0;
}
