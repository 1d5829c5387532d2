/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the whole analyzer reading one capture from memory.
 *
 * The input is a pcap or pcapng file.  It is opened with fmemopen and read
 * by reader_run_stream, the per-file function `enoscope check` uses, once
 * with the text report, once with JSON Lines and once with JUnit XML, all
 * printed to /dev/null.  A low cap on tracked connections also exercises dropping.
 */
#define _GNU_SOURCE /* fmemopen */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null_out(void)
{
    static FILE *out;
    if (!out && !(out = fopen("/dev/null", "w")))
        abort();
    return out;
}

static void read_once(const uint8_t *data, size_t size, out_format format)
{
    FILE *in = fmemopen((void *)data, size, "rb");
    if (!in)
        return; /* fmemopen refuses an empty buffer on some libcs */
    check_options opt = {.format = format, .fail_on = ENO_SEV_ERROR, .max_connections = 64,
                         .idle_usec = (gint64)DEFAULT_IDLE_SECONDS * G_USEC_PER_SEC};
    report rp;
    scan_stats st = {0};
    bool usage;
    report_init(&rp, format, format == FORMAT_TEXT, null_out());
    report_input_begin(&rp, "fuzz-input", &st);
    (void)reader_run_stream(in, "fuzz-input", &opt, &rp, &st, &usage);
    report_input_end(&rp, &st);
    report_summary(&rp, &st);
    if (rp.total.connections > st.packets)
        abort(); /* every connection starts at a frame that was read */
    report_free(&rp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    read_once(data, size, FORMAT_TEXT);
    read_once(data, size, FORMAT_JSON);
    read_once(data, size, FORMAT_JUNIT);
    return 0;
}
