/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The handler only does what is safe in a signal handler: it stores the
 * signal number and breaks a live capture's loop (pcap_breakloop only
 * sets a flag and wakes libpcap's own poll).  A read blocked in the thread
 * that takes the signal returns (no SA_RESTART); the other threads block
 * the signals (stop_block_in_thread).
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include <glib.h>

#include "stop.h"

/* An atomic (lock-free, so safe in a handler), not just volatile: with -j
 * the handler runs in one reading thread while the others poll it. */
static atomic_int caught;
static gint output_closed;         /* set from any thread */
static pcap_t *volatile live;

static void on_signal(int sig)
{
    int saved = errno;
    atomic_store(&caught, sig);
    pcap_t *p = live;
    if (p)
        pcap_breakloop(p);
    errno = saved;
}

void stop_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;                /* no SA_RESTART: blocked reads return */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void mask_stop_signals(int how, sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(how, &set, old);
}

void stop_block_in_thread(sigset_t *old)
{
    mask_stop_signals(SIG_BLOCK, old);
}

void stop_unblock_in_thread(void)
{
    mask_stop_signals(SIG_UNBLOCK, NULL);
}

void stop_restore_in_thread(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

bool stop_requested(void)
{
    return atomic_load(&caught) != 0 || g_atomic_int_get(&output_closed);
}

int stop_signal(void)
{
    return atomic_load(&caught);
}

void stop_output_closed(void)
{
    g_atomic_int_set(&output_closed, 1);
}

bool stop_output_is_closed(void)
{
    return g_atomic_int_get(&output_closed) != 0;
}

void stop_set_live(pcap_t *p)
{
    live = p;
}

