/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking directory arguments.  Entries are sorted by name (strcmp, as
 * `LC_ALL=C ls` sorts) so runs are reproducible, symbolic links to
 * directories are not followed (no loops), and a file is taken for a
 * capture by its first bytes, not its name: test suites name captures
 * .pcap, .cap, .dmp, .pcapng.gz or nothing at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "input_walk.h"

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool input_is_capture(const unsigned char *head, size_t n)
{
    if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)       /* gzip */
        return true;
    if (n < 4)
        return false;
    switch (le32(head)) {
    case 0xa1b2c3d4: case 0xd4c3b2a1:                       /* pcap, us */
    case 0xa1b23c4d: case 0x4d3cb2a1:                       /* pcap, ns */
    case 0xa1b2cd34: case 0x34cdb2a1:                       /* pcap, Kuznetzov's */
    case 0x0a0d0d0a:                                        /* pcapng section header */
    case 0xfd2fb528:                                        /* zstd frame */
    case 0x184d2204:                                        /* lz4 frame */
        return true;
    default:
        return false;
    }
}

static void problem(bool *trouble, const char *path, const char *what)
{
    diag(path, DIAG_ERROR, "%s", what);
    *trouble = true;
}

/* Whether path (a regular file) starts like a capture; an unreadable file
 * is reported and not taken. */
static bool sniff(const char *path, bool *trouble)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        gchar *msg = g_strdup_printf("cannot open: %s", g_strerror(errno));
        problem(trouble, path, msg);
        g_free(msg);
        return false;
    }
    unsigned char head[4];
    ssize_t n = read(fd, head, sizeof head);
    int err = errno;
    close(fd);
    if (n < 0) {
        gchar *msg = g_strdup_printf("cannot read: %s", g_strerror(err));
        problem(trouble, path, msg);
        g_free(msg);
        return false;
    }
    return input_is_capture(head, (size_t)n);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the captures under dir to out; returns how many. */
static guint walk(const char *dir, GPtrArray *out, bool *trouble)
{
    GError *err = NULL;
    GDir *d = g_dir_open(dir, 0, &err);
    if (!d) {
        gchar *msg = g_strdup_printf("cannot read the directory: %s", err->message);
        problem(trouble, dir, msg);
        g_free(msg);
        g_error_free(err);
        return 0;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(name));
    g_dir_close(d);
    g_ptr_array_sort(names, by_name);
    guint found = 0;
    for (guint i = 0; i < names->len; i++) {
        gchar *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
        struct stat sb;
        bool link = false;
        if (lstat(path, &sb) != 0) {
            sb.st_mode = 0;
        } else if (S_ISLNK(sb.st_mode)) {
            link = true;
            if (stat(path, &sb) != 0)
                sb.st_mode = 0;
        }
        if (sb.st_mode == 0) {
            gchar *msg = g_strdup_printf("cannot open: %s", g_strerror(errno));
            problem(trouble, path, msg);
            g_free(msg);
        } else if (S_ISDIR(sb.st_mode) && !link) {
            found += walk(path, out, trouble);
        } else if (S_ISREG(sb.st_mode) && sniff(path, trouble)) {
            g_ptr_array_add(out, g_steal_pointer(&path));
            found++;
        }
        g_free(path);
    }
    g_ptr_array_unref(names);
    return found;
}

GPtrArray *input_expand(char **args, int n_args, bool *trouble)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n_args; i++) {
        struct stat sb;
        if (strcmp(args[i], "-") != 0 && stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (walk(args[i], out, trouble) == 0)
                problem(trouble, args[i], "no capture file in this directory");
        } else {
            g_ptr_array_add(out, g_strdup(args[i]));
        }
    }
    return out;
}
