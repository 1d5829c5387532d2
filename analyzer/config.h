/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration file of `enoscope check`: a GLib key file (--config
 * FILE, otherwise .enoscope.conf in the current directory when it exists).
 *
 *   [check]
 *   select = syntax;ack.missing     rule ids or areas, as --select
 *   ignore = role.passive_b_unset   as --ignore
 *   fail-on = warning               as --fail-on
 *   connections = findings          as --connections
 *   format = json                   as --format
 *   color = never                   as --color
 *
 *   [severity]
 *   ack.missing = note              as --severity ack.missing=note
 *
 * A setting given on the command line wins over the file's.
 */
#ifndef ENOSCOPE_CONFIG_H
#define ENOSCOPE_CONFIG_H

#include <stdbool.h>

#include <glib.h>

typedef struct {
    gchar *path;            /* the file read, NULL when none */
    gchar **select, **ignore;
    gchar *fail_on, *connections, *format, *color;
    gchar **severity;       /* "RULE=LEVEL" items */
} check_config;

/* Reads path, or ./.enoscope.conf when path is NULL (a missing default
 * file is no error).  Returns false after a message naming the file. */
bool config_load(const char *path, check_config *cfg);
void config_free(check_config *cfg);

#endif
