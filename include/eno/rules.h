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
    ENO_SEV_COUNT
} eno_severity;

typedef enum {
#define ENO_RULE(sym, id, area, group, sev, dsev, sec, unc, title, desc) ENO_RULE_##sym,
#include "eno/rules.def"
#undef ENO_RULE
    ENO_RULE_COUNT
} eno_rule_id;

/* What a rule is about: the first part of its id ("syntax" in
 * "syntax.option_too_short"). */
typedef enum {
    ENO_AREA_SYNTAX = 0,
    ENO_AREA_ROLE,
    ENO_AREA_TEP,
    ENO_AREA_RETRANSMIT,
    ENO_AREA_SIMOPEN,
    ENO_AREA_ACK,
    ENO_AREA_ENABLE,
    ENO_AREA_SYNDATA,
    ENO_AREA_SYNACKDATA,
    ENO_AREA_LEGACY,
    ENO_AREA_CAPTURE,
    ENO_AREA_COUNT
} eno_rule_area;

/* What kind of problem a rule finds. */
typedef enum {
    ENO_GROUP_PROTOCOL = 0,  /* a host broke (or may have broken) a rule of the protocol */
    ENO_GROUP_MALFORMED,     /* an option a receiver cannot use */
} eno_rule_group;

/* Which set of severities and role rules applies to a connection. */
typedef enum {
    ENO_PROFILE_RFC8547 = 0, /* kind 69 */
    ENO_PROFILE_DRAFT,       /* experimental option, ExID 0x454E */
} eno_profile;

typedef struct {
    eno_rule_id rule;
    const char *id;          /* "syntax.option_too_short" */
    eno_rule_area area;
    eno_rule_group group;
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
const char *eno_area_name(eno_rule_area area);     /* "syntax", ...; NULL if out of range */

#ifdef __cplusplus
}
#endif
#endif
