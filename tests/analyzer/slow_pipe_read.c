/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Preloaded into enoscope by the stop test sigint_before_read: a read()
 * of an empty pipe first waits a while and only then blocks.  A signal
 * sent during the wait lands where, without the watcher of stop.c, nothing
 * would end the read that follows: after the reader's last look at the
 * stop flag and before its read() blocks.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

ssize_t read(int fd, void *buf, size_t n)
{
    static ssize_t (*real)(int, void *, size_t);
    if (!real)
        real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    struct stat sb;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK) && fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode) &&
        poll(&p, 1, 0) == 0) {
        int saved = errno;
        /* The whole wait, even when a signal interrupts it. */
        struct timespec left = {.tv_sec = 0, .tv_nsec = 300 * 1000 * 1000};
        while (nanosleep(&left, &left) == -1 && errno == EINTR)
            ;
        errno = saved;
    }
    return real(fd, buf, n);
}
