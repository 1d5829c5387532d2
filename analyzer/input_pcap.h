/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the records of a classic pcap file without libpcap's per-record
 * reads: one thread reads the file in large blocks, the caller walks the
 * records in place.  For files in this host's byte order, version 2.4,
 * which is what libpcap, tcpdump and dumpcap write; reader.c leaves every
 * other file to libpcap.  Records, lengths and faults are libpcap's: the
 * same frames, the same captured lengths (cut at the snapshot length), the
 * same messages for a truncated or corrupt file.
 */
#ifndef ENOSCOPE_INPUT_PCAP_H
#define ENOSCOPE_INPUT_PCAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

/* What the file header says, as libpcap read it. */
typedef struct {
    uint32_t snapshot;    /* pcap_snapshot() */
    uint32_t max_caplen;  /* the largest captured length libpcap accepts for the link type */
    bool nsec;            /* nanosecond stamps (given to the frames in microseconds) */
} input_pcap_format;

/* Receives each record; returns false to stop reading (a clean stop).
 * offset: the bytes of the file up to the record's end.  Called with hdr
 * and data NULL where a record is cut or corrupt, before the fault is
 * reported: false there is a clean stop too, as libpcap is never asked
 * for a record the caller no longer wants. */
typedef bool (*input_pcap_frame)(void *ctx, const struct pcap_pkthdr *hdr, const uint8_t *data,
                                 int64_t offset);

/* True when the file libpcap opened as p, whose first four bytes were
 * magic (as read in this host's order), can be read with input_pcap_read. */
bool input_pcap_usable(pcap_t *p, uint32_t magic, input_pcap_format *fmt);

/* Reads the records of f (a file), positioned after the file header, and hands
 * each to fn until the end of the file or until fn says stop.  Returns
 * false with libpcap's message in errbuf (PCAP_ERRBUF_SIZE) when the file
 * is truncated or corrupt, or cannot be read. */
bool input_pcap_read(FILE *f, const input_pcap_format *fmt, input_pcap_frame fn, void *ctx,
                     char *errbuf);

#endif
