/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `rules` subcommand: the engine's rule catalog, as text or JSON Lines. */
#ifndef ENOSCOPE_RULES_CMD_H
#define ENOSCOPE_RULES_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"

void rules_print(FILE *out, out_format format, bool long_form, bool color);

#endif
