/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule catalog (see rules.def) and finding severities. */
#ifndef ENO_RULES_H
#define ENO_RULES_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ENO_SEV_NONE = 0, /* below every severity: for "--fail-on none" style use */
    ENO_SEV_NOTE,
    ENO_SEV_WARNING,
    ENO_SEV_ERROR,
} eno_severity;

typedef enum {
#define ENO_RULE(sym, id, sev, dsev, sec, unc, title, desc) ENO_RULE_##sym,
#include "eno/rules.def"
#undef ENO_RULE
    ENO_RULE_COUNT
} eno_rule_id;

/* Which set of severities and role rules applies to a connection. */
typedef enum {
    ENO_PROFILE_RFC8547 = 0, /* kind 69 */
    ENO_PROFILE_DRAFT,       /* experimental option, ExID 0x454E */
} eno_profile;

typedef struct {
    eno_rule_id rule;
    const char *id;          /* "syntax.option_too_short" */
    eno_severity severity;   /* rfc8547 profile */
    eno_severity draft_severity;
    const char *section;     /* RFC 8547 section, "-" when none */
    bool unconfirmed;
    const char *title;
    const char *description;
} eno_rule_info;

/* Returns NULL for an out-of-range id. */
const eno_rule_info *eno_rule_get(eno_rule_id rule);
/* Looks a rule up by its dotted id; NULL when unknown. */
const eno_rule_info *eno_rule_find(const char *id);
eno_severity eno_rule_severity(eno_rule_id rule, eno_profile profile);

const char *eno_severity_name(eno_severity sev); /* "note", "warning", "error" */
/* Parses "note", "warning", "error" (and "none"); returns false otherwise. */
bool eno_severity_parse(const char *name, eno_severity *out);
const char *eno_profile_name(eno_profile profile); /* "rfc8547", "draft" */

#ifdef __cplusplus
}
#endif
#endif
