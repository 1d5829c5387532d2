/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The handler only does what is safe in a signal handler: it stores the
 * signal number, writes a byte to a pipe (the self-pipe) and breaks a live
 * capture's loop (pcap_breakloop only sets a flag and wakes libpcap's own
 * poll).  A read blocked in the thread that takes the signal returns (no
 * SA_RESTART); the other threads block the signals (stop_block_in_thread).
 *
 * That alone leaves a window: a signal that lands after the reader's last
 * look at stop_requested() and before its read() blocks wakes nothing, and
 * a read of a pipe that stays open then waits for ever.  The reads happen
 * inside libraries (wiretap, libpcap) that cannot poll a second descriptor,
 * so a watcher thread, woken through the self-pipe, keeps interrupting the
 * threads that read such inputs (stop_reader_begin) until they have left
 * their loops.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "stop.h"

/* An atomic (lock-free, so safe in a handler), not just volatile: with -j
 * the handler runs in one reading thread while the others poll it. */
static atomic_int caught;
static gint output_closed;         /* set from any thread */
static pcap_t *volatile live;
static int wake[2] = {-1, -1};

/* The readers to interrupt, and the watcher thread (started with the
 * first reader). */
static pthread_mutex_t readers_lock = PTHREAD_MUTEX_INITIALIZER;
static stop_reader *readers;
static pthread_once_t watcher_once = PTHREAD_ONCE_INIT;

/* How often a reader that has not yet left its loop is interrupted again. */
#define NUDGE_MS 20

static void poke(void)
{
    if (wake[1] >= 0) {
        ssize_t n = write(wake[1], "x", 1);
        (void)n;                    /* a full pipe already wakes the watcher */
    }
}

static void on_signal(int sig)
{
    int saved = errno;
    atomic_store(&caught, sig);
    poke();
    pcap_t *p = live;
    if (p)
        pcap_breakloop(p);
    errno = saved;
}

/* The nudge's only effect is the EINTR of the read it interrupts. */
static void on_nudge(int sig)
{
    (void)sig;
}

static int nudge_signal(void)
{
    return SIGRTMIN;
}

void stop_install(void)
{
    if (wake[0] < 0 && pipe(wake) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(wake[i], F_SETFL, fcntl(wake[i], F_GETFL) | O_NONBLOCK);
            fcntl(wake[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;                /* no SA_RESTART: blocked reads return */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_nudge;
    sigaction(nudge_signal(), &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void *watcher(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    for (;;) {
        pthread_mutex_lock(&readers_lock);
        bool nudging = stop_requested() && readers;
        pthread_mutex_unlock(&readers_lock);
        struct pollfd pfd = {.fd = wake[0], .events = POLLIN};
        if (poll(&pfd, 1, nudging ? NUDGE_MS : -1) > 0) {
            char drain[64];
            while (read(wake[0], drain, sizeof drain) > 0)
                ;
        }
        if (!stop_requested())
            continue;
        pthread_mutex_lock(&readers_lock);
        for (stop_reader *r = readers; r; r = r->next)
            pthread_kill(r->thread, nudge_signal());
        pthread_mutex_unlock(&readers_lock);
    }
    return NULL;
}

static void start_watcher(void)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* Without the pipe or the thread a stop still interrupts a read that
     * has already blocked, as before the watcher. */
    if (wake[0] >= 0)
        (void)pthread_create(&t, &attr, watcher, NULL);
    pthread_attr_destroy(&attr);
}

void stop_reader_begin(stop_reader *r)
{
    pthread_once(&watcher_once, start_watcher);
    r->thread = pthread_self();
    pthread_mutex_lock(&readers_lock);
    r->next = readers;
    readers = r;
    pthread_mutex_unlock(&readers_lock);
}

void stop_reader_end(stop_reader *r)
{
    pthread_mutex_lock(&readers_lock);
    for (stop_reader **at = &readers; *at; at = &(*at)->next) {
        if (*at == r) {
            *at = r->next;
            break;
        }
    }
    pthread_mutex_unlock(&readers_lock);
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
    poke();
}

bool stop_output_is_closed(void)
{
    return g_atomic_int_get(&output_closed) != 0;
}

void stop_set_live(pcap_t *p)
{
    live = p;
}

