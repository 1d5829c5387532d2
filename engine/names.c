/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of outcome values, as the analyzer prints them and the plugin shows them. */
#include "eno/engine.h"

#ifndef ENO_VERSION_STRING
#define ENO_VERSION_STRING "0.0.0"
#endif

const char *eno_open_type_name(eno_open_type t)
{
    switch (t) {
    case ENO_OPEN_THREE_WAY: return "three-way";
    case ENO_OPEN_SIMULTANEOUS: return "simultaneous";
    case ENO_OPEN_UNKNOWN: break;
    }
    return "unknown";
}

static const struct {
    const char *name;
    unsigned rank;
    eno_tone tone;
} statuses[ENO_STATUS_COUNT] = {
#define ENO_STATUS(sym, name, rank, tone) [ENO_STATUS_##sym] = {name, rank, ENO_TONE_##tone},
#define ENO_REASON(sym, name)
#include "eno/outcomes.def"
#undef ENO_STATUS
#undef ENO_REASON
};

static const eno_status by_rank[ENO_STATUS_COUNT] = {
#define ENO_STATUS(sym, name, rank, tone) [rank] = ENO_STATUS_##sym,
#define ENO_REASON(sym, name)
#include "eno/outcomes.def"
#undef ENO_STATUS
#undef ENO_REASON
};

static const char *const reasons[ENO_REASON_COUNT] = {
#define ENO_STATUS(sym, name, rank, tone)
#define ENO_REASON(sym, name) [ENO_REASON_##sym] = name,
#include "eno/outcomes.def"
#undef ENO_STATUS
#undef ENO_REASON
};

const char *eno_status_name(eno_status s)
{
    if ((unsigned)s >= ENO_STATUS_COUNT)
        s = ENO_STATUS_INCOMPLETE;
    return statuses[s].name;
}

eno_status eno_status_at_rank(unsigned rank)
{
    return rank < ENO_STATUS_COUNT ? by_rank[rank] : ENO_STATUS_INCOMPLETE;
}

eno_tone eno_status_tone(eno_status s)
{
    if ((unsigned)s >= ENO_STATUS_COUNT)
        s = ENO_STATUS_INCOMPLETE;
    return statuses[s].tone;
}

const char *eno_reason_name(eno_reason r)
{
    return (unsigned)r < ENO_REASON_COUNT ? reasons[r] : NULL;
}

const char *eno_version(void)
{
    return ENO_VERSION_STRING;
}
