/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wiretap's functions, found when the first capture that libpcap does not
 * read comes.  Loading wiretap and what it needs (wsutil, GnuTLS,
 * libgcrypt, the compression libraries) costs about 7 million
 * instructions, more than half of the command's start-up, and most runs
 * read classic pcap files only, which never need it.
 */
#ifndef ENOSCOPE_WTAP_LIB_H
#define ENOSCOPE_WTAP_LIB_H

#include <ws_version.h>
#include <wiretap/pcap-encap.h>
#include <wiretap/wtap.h>
#include <wsutil/wslog.h>

#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 5)
#define WTAP_REC_HOLDS_DATA 1      /* 4.5 and later: the record owns its buffer */
#define WTAP_LIB_BUFFER(X)
#else
#define WTAP_LIB_BUFFER(X) X(ws_buffer_init) X(ws_buffer_free)
#endif

/* The functions used, each a member of wtap_lib under its own name, of
 * its own type as the headers built against declare it. */
#define WTAP_LIB_FUNCTIONS(X)                                                                     \
    X(ws_log_set_level) X(wtap_init) X(wtap_pcap_encap_to_wtap_encap) X(wtap_encap_description) \
    X(wtap_strerror) X(wtap_open_offline) X(wtap_read) X(wtap_read_so_far) X(wtap_close)        \
    X(wtap_rec_init) X(wtap_rec_reset) X(wtap_rec_cleanup) WTAP_LIB_BUFFER(X)

typedef struct {
#define WTAP_LIB_MEMBER(f) __typeof__(f) *f;
    WTAP_LIB_FUNCTIONS(WTAP_LIB_MEMBER)
#undef WTAP_LIB_MEMBER
} wtap_lib;

/* Loads wiretap once (any thread); NULL when it cannot be, with the
 * reason in *why (static). */
const wtap_lib *wtap_lib_get(const char **why);

#endif
