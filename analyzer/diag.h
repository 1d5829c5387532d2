/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics on standard error, all in one format. */
#ifndef ENOSCOPE_DIAG_H
#define ENOSCOPE_DIAG_H

typedef enum {
    DIAG_ERROR = 0,
    DIAG_WARNING,
} diag_level;

/* Writes "enoscope: FILE: error: MESSAGE" (or warning) as one line to
 * standard error; without a file, "enoscope: error: MESSAGE".  An error
 * first flushes standard output, so that what was reported before the
 * fault comes first when both go to one place. */
void diag(const char *file, diag_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
