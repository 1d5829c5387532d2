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

const char *eno_status_name(eno_status s)
{
    switch (s) {
    case ENO_STATUS_ENCRYPTED: return "encrypted";
    case ENO_STATUS_DISABLED: return "disabled";
    case ENO_STATUS_NO_ENO: return "no-eno";
    case ENO_STATUS_INCOMPLETE: break;
    }
    return "incomplete";
}

const char *eno_reason_name(eno_reason r)
{
    switch (r) {
    case ENO_REASON_PEER_NO_ENO: return "peer-no-eno";
    case ENO_REASON_ROLE_CONFLICT: return "role-conflict";
    case ENO_REASON_NO_COMMON_TEP: return "no-common-tep";
    case ENO_REASON_ACK_MISSING_ENO: return "ack-missing-eno";
    case ENO_REASON_INVALID_OPTION: return "invalid-option";
    case ENO_REASON_NONE: break;
    }
    return NULL;
}

const char *eno_version(void)
{
    return ENO_VERSION_STRING;
}
