/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ending a run early and cleanly: SIGINT and SIGTERM stop the reading (the
 * connections read so far are judged and the totals printed, as tcpdump
 * and tshark do on Ctrl-C), and a closed standard output ends the run
 * quietly instead of killing it with SIGPIPE.
 */
#ifndef ENOSCOPE_STOP_H
#define ENOSCOPE_STOP_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include <pcap/pcap.h>

/* Installs the handlers (SIGINT, SIGTERM) and ignores SIGPIPE.  The
 * handlers do not restart system calls: a read blocked on a pipe or a
 * terminal returns, and the reader sees stop_requested(). */
void stop_install(void);

/* Blocks SIGINT and SIGTERM in the calling thread, so that they are
 * delivered to the reading thread (for threads other than the reader);
 * the mask it had goes to *old unless old is NULL. */
void stop_block_in_thread(sigset_t *old);
/* Unblocks them (a thread inherits its creator's mask). */
void stop_unblock_in_thread(void);
/* Gives the calling thread back the mask stop_block_in_thread saved. */
void stop_restore_in_thread(const sigset_t *old);

/* True once a signal asked to stop or standard output was found closed. */
bool stop_requested(void);

/* The signal that asked to stop (0 when none). */
int stop_signal(void);

/* Records that writing standard output failed (a closed pipe). */
void stop_output_closed(void);
bool stop_output_is_closed(void);

/* A thread reading an input whose read() can wait for ever (a pipe, a
 * terminal) registers for the time of its loop: after a stop it is
 * interrupted again and again (EINTR) until stop_reader_end, so that a
 * signal that came just before its read() blocked still ends it.  It must
 * look at stop_requested() after stop_reader_begin.  r lives until
 * stop_reader_end. */
typedef struct stop_reader {
    pthread_t thread;
    struct stop_reader *next;
} stop_reader;
void stop_reader_begin(stop_reader *r);
void stop_reader_end(stop_reader *r);

/* The live capture a signal must break out of (NULL when none). */
void stop_set_live(pcap_t *p);

#endif
