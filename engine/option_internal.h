/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Clearing a decoded option cheaply; internal. */
#ifndef ENO_OPTION_INTERNAL_H
#define ENO_OPTION_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include "eno/option.h"

/* Zeroes every field of o but the entries of its two arrays, which are
 * written as they are added (the arrays are 1.2 KB of the 1.3 KB, and
 * options are decoded on every evaluation). */
static inline void enoi_option_reset(eno_option *o)
{
    _Static_assert(offsetof(eno_option, n_global) > offsetof(eno_option, subopts) &&
                       offsetof(eno_option, issues) > offsetof(eno_option, issues_dropped) &&
                       offsetof(eno_option, issues_dropped) > offsetof(eno_option, n_global),
                   "eno_option: scalars before subopts, between subopts and issues");
    memset(o, 0, offsetof(eno_option, subopts));
    memset(&o->n_global, 0, offsetof(eno_option, issues) - offsetof(eno_option, n_global));
}

#endif
