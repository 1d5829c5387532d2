/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading captures with Wireshark's wiretap: every format tshark reads
 * (pcapng with interfaces of different link types and snapshot lengths,
 * captures compressed with gzip, zstd or lz4, and the other formats
 * wiretap knows), each frame decoded by its own interface's link type.
 */
#ifndef ENOSCOPE_INPUT_WTAP_H
#define ENOSCOPE_INPUT_WTAP_H

#include "check.h"

/* Reads path ("-": standard input) as reader_run does.  size is the file's
 * size for the progress bar (0: none); live, that frames may arrive
 * slowly (a pipe): each is tracked as soon as it is read. */
bool input_wtap_run(const char *path, gint64 size, bool live, const check_options *opt,
                    report *rp, scan_stats *st, bool *usage);

/* Each packet of the capture at path, in order, for `compare`: its pcap
 * link type (-1: one wiretap has no pcap type for), frame number, stamp
 * (microseconds), captured bytes and length on the wire.  Records that are
 * not packets count as frames and are not handed over. */
typedef void (*input_wtap_frame)(void *ctx, int dlt, uint32_t frame, gint64 ts,
                                 const uint8_t *data, size_t caplen, size_t wirelen);

/* False after a message when the capture cannot be opened (*opened false)
 * or is cut or corrupt after what fn was given (*opened true). */
bool input_wtap_each(const char *path, input_wtap_frame fn, void *ctx, bool *opened);

#endif
