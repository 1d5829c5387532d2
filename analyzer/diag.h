/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics on standard error, all in one format. */
#ifndef ENOSCOPE_DIAG_H
#define ENOSCOPE_DIAG_H

typedef enum {
    DIAG_ERROR = 0,
    DIAG_WARNING,
} diag_level;

/* Writes "enoscope: FILE: error: MESSAGE" (or warning) as one line to
 * standard error; without a file, "enoscope: error: MESSAGE".  MESSAGE
 * starts in lower case (a library's capitalised message is lowered).  An error
 * first flushes standard output, so that what was reported before the
 * fault comes first when both go to one place. */
void diag(const char *file, diag_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Called with each error's file (NULL when none) and message, after it is
 * printed: the run records which inputs failed and why.  Set per thread. */
typedef void (*diag_error_hook)(void *ctx, const char *file, const char *message);
void diag_set_error_hook(diag_error_hook hook, void *ctx);

/* Holds back the calling thread's diagnostics: each goes to fn instead of
 * standard error and the error hook, to be given to diag_emit later (NULL
 * ends it).  The message is already in its final form. */
typedef void (*diag_capture)(void *ctx, const char *file, diag_level level, const char *what);
void diag_set_capture(diag_capture fn, void *ctx);

/* Prints one diagnostic as diag does, and calls the error hook on an error. */
void diag_emit(const char *file, diag_level level, const char *what);

#endif
