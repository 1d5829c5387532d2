/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sentence that explains a syntax issue, for the analyzer's findings
 * and the plugin's option dissector alike. */
#include <stdio.h>

#include "eno/option.h"
#include "eno/tep.h"
#include "findings.h"

void eno_syntax_message(char *buf, size_t cap, const eno_option *o, const eno_syntax_issue *is)
{
    char hex[3 * ENO_OPT_MAX + 1];
    const eno_tep_info *t;
    switch (is->rule) {
    case ENO_RULE_SYNTAX_OPTION_TOO_SHORT:
        snprintf(buf, cap, "ENO option length %u is below the minimum of %u%s", is->value,
                 is->value2, o->encoding == ENO_ENC_EXID ? " for the experimental form" : "");
        break;
    case ENO_RULE_SYNTAX_OPTION_OVERRUN:
        snprintf(buf, cap, "ENO option length %u runs past the TCP option space (%u bytes remain)",
                 is->value, is->value2);
        break;
    case ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING:
        if (is->value2 == 0x100)
            snprintf(buf, cap, "suboption-length byte 0x%02x at offset %u is the option's last "
                               "byte; expected a TEP identifier with v=1 after it",
                     is->value, is->offset);
        else
            snprintf(buf, cap, "suboption-length byte 0x%02x at offset %u is followed by 0x%02x, "
                               "not a TEP identifier with v=1 (0xa0-0xff)",
                     is->value, is->offset, is->value2);
        break;
    case ENO_RULE_SYNTAX_DATA_OVERRUN:
        snprintf(buf, cap, "suboption-length byte at offset %u announces %u data bytes, but only "
                           "%u remain in the option",
                 is->offset, is->value, is->value2);
        break;
    case ENO_RULE_SYNTAX_MULTIPLE_GLOBAL:
        snprintf(buf, cap, "another global suboption 0x%02x at offset %u; receivers use the first "
                           "one (0x%02x)",
                 is->value, is->offset, is->value2);
        break;
    case ENO_RULE_SYNTAX_RESERVED_BITS:
        snprintf(buf, cap, "global suboption 0x%02x at offset %u sets reserved z bits 0x%02x; "
                           "expected them zero",
                 is->value, is->offset, is->value2);
        break;
    case ENO_RULE_SYNTAX_NO_TEP:
        enoi_hex(hex, sizeof hex, o->bytes, o->len);
        snprintf(buf, cap, "SYN-form ENO option (%s) lists no TEP identifier", hex);
        break;
    case ENO_RULE_SYNTAX_DUPLICATE_TEP:
        t = eno_tep_lookup((uint8_t)is->value);
        snprintf(buf, cap, "TEP 0x%02x (%s) at offset %u is already listed at offset %u",
                 is->value, t->name, is->offset, is->value2);
        break;
    case ENO_RULE_SYNTAX_RESERVED_TEP:
        snprintf(buf, cap, "TEP identifier 0x%02x at offset %u is reserved for extended values",
                 is->value, is->offset);
        break;
    default:
        snprintf(buf, cap, "%s", eno_rule_get(is->rule)->title);
        break;
    }
}
