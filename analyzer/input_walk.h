/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inputs of a run: files as given, directories walked for captures. */
#ifndef ENOSCOPE_INPUT_WALK_H
#define ENOSCOPE_INPUT_WALK_H

#include <stdbool.h>

#include <glib.h>

/* True when the first bytes of a file (n of them, at least 4 to tell) are
 * those of a capture format enoscope reads: pcap in its variants, pcapng,
 * or one of them compressed with gzip, zstd or lz4. */
bool input_is_capture(const unsigned char *head, size_t n);

/* The paths to read, in order: each argument that is not a directory as
 * it is (also "-" and files that do not exist: reading them reports the
 * fault), and for a directory every capture file below it, recognised by
 * its content, in sorted order of path.  Problems met while walking (an
 * unreadable directory or file, a directory without captures) are
 * reported on standard error and set *trouble.  Free with
 * g_ptr_array_unref. */
GPtrArray *input_expand(char **args, int n_args, bool *trouble);

#endif
