/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Expert infos generated from the engine's rule catalog: the field of rule
 * "area.name" is "tcp.options.eno.area.name".  Its severity is the rule's
 * rfc8547 severity; a rule judged differently by the draft profile gets a
 * second expert field of the same name with the draft severity, so that one
 * display filter finds the rule whatever the profile.
 */
#include <epan/expert.h>

#include "eno_plugin.h"

static expert_field ei_rule[ENO_RULE_COUNT];
static expert_field ei_rule_draft[ENO_RULE_COUNT];
static gboolean has_draft[ENO_RULE_COUNT];

static int ws_severity(eno_severity sev)
{
    switch (sev) {
    case ENO_SEV_ERROR: return PI_ERROR;
    case ENO_SEV_WARNING: return PI_WARN;
    case ENO_SEV_NOTE:
    case ENO_SEV_NONE:
    case ENO_SEV_COUNT: break;
    }
    return PI_NOTE;
}

static int ws_group(const eno_rule_info *info)
{
    switch (info->group) {
    case ENO_GROUP_MALFORMED: return PI_MALFORMED;
    case ENO_GROUP_PROTOCOL: break;
    }
    return PI_PROTOCOL;
}

static void fill(ei_register_info *ei, expert_field *field, const eno_rule_info *info,
                 eno_severity sev, gboolean draft)
{
    field->ei = EI_INIT_EI;
    field->hf = EI_INIT_HF;
    ei->ids = field;
    ei->eiinfo.name = g_strconcat("tcp.options.eno.", info->id, NULL);
    ei->eiinfo.group = ws_group(info);
    ei->eiinfo.severity = ws_severity(sev);
    /* Expert Information groups by summary: the draft field says its
     * profile, so that one rule under two severities reads as two findings
     * of different profiles, not as one shown twice. */
    ei->eiinfo.summary = draft ? g_strconcat(info->title, " (draft profile)", NULL) : info->title;
    ei->eiinfo.id = 0;
    ei->eiinfo.protocol = NULL;
    ei->eiinfo.orig_severity = 0;
    ei->eiinfo.hf_info.p_id = NULL;
    ei->eiinfo.hf_info.hfinfo.name = NULL;
    ei->eiinfo.hf_info.hfinfo.abbrev = NULL;
    ei->eiinfo.hf_info.hfinfo.type = FT_NONE;
    ei->eiinfo.hf_info.hfinfo.display = BASE_NONE;
    ei->eiinfo.hf_info.hfinfo.strings = NULL;
    ei->eiinfo.hf_info.hfinfo.bitmask = 0;
    ei->eiinfo.hf_info.hfinfo.blurb = NULL;
    ei->eiinfo.hf_info.hfinfo.id = -1;
    ei->eiinfo.hf_info.hfinfo.parent = 0;
    ei->eiinfo.hf_info.hfinfo.ref_type = HF_REF_TYPE_NONE;
    ei->eiinfo.hf_info.hfinfo.same_name_prev_id = -1;
    ei->eiinfo.hf_info.hfinfo.same_name_next = NULL;
}

void eno_register_experts(void)
{
    /* Registered arrays must outlive registration. */
    static ei_register_info ei[2 * ENO_RULE_COUNT];
    int n = 0;

    for (int r = 0; r < ENO_RULE_COUNT; r++) {
        const eno_rule_info *info = eno_rule_get((eno_rule_id)r);
        fill(&ei[n++], &ei_rule[r], info, info->severity, FALSE);
        if (info->draft_severity != info->severity) {
            has_draft[r] = TRUE;
            fill(&ei[n++], &ei_rule_draft[r], info, info->draft_severity, TRUE);
        }
    }
    expert_module_t *mod = expert_register_protocol(proto_eno_analysis);
    expert_register_field_array(mod, ei, n);
}

expert_field *eno_expert_for(eno_rule_id rule, eno_severity severity)
{
    if ((int)rule < 0 || rule >= ENO_RULE_COUNT)
        return NULL;
    const eno_rule_info *info = eno_rule_get(rule);
    if (has_draft[rule] && severity == info->draft_severity)
        return &ei_rule_draft[rule];
    return &ei_rule[rule];
}
