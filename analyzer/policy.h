/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rule selection: which rules are reported (--select, --ignore) and at
 * which severity (--severity RULE=LEVEL), from the command line or the
 * configuration file.
 */
#ifndef ENOSCOPE_POLICY_H
#define ENOSCOPE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "eno/eno.h"

typedef struct {
    bool ignored[ENO_RULE_COUNT];
    eno_severity severity[ENO_RULE_COUNT]; /* ENO_SEV_NONE: the profile's own */
} rule_policy;

/* Every rule reported at its catalog severity. */
void policy_init(rule_policy *p);

/* Marks in `set` the rules a pattern names: a rule id ("ack.missing") or
 * an area ("syntax"), in any case.  False for a pattern that names none. */
bool policy_match(const char *pattern, bool set[ENO_RULE_COUNT]);

/* Applies the selection: when select is non-empty only the rules it names
 * are reported; then those ignore names are not.  Each list holds
 * patterns, each of which may itself be a comma-separated list.  On an
 * unknown pattern returns false with it in bad (size n). */
bool policy_select(rule_policy *p, char **select, char **ignore, char *bad, size_t n);

/* Applies one "RULE=LEVEL" (RULE: a pattern, LEVEL: note, warning or
 * error, in any case).  False with a message in err (size n) otherwise. */
bool policy_regrade(rule_policy *p, const char *spec, char *err, size_t n);

/* The severity a finding is reported at, ENO_SEV_NONE when it is ignored. */
static inline eno_severity policy_severity(const rule_policy *p, const eno_finding *f)
{
    if ((unsigned)f->rule >= ENO_RULE_COUNT)
        return f->severity;
    if (p->ignored[f->rule])
        return ENO_SEV_NONE;
    return p->severity[f->rule] != ENO_SEV_NONE ? p->severity[f->rule] : f->severity;
}

/* Parses a severity name in any case ("Warning"); with allow_none, also
 * "none". */
bool policy_parse_severity(const char *name, bool allow_none, eno_severity *out);

#endif
