/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule catalog and the name tables of the engine's public API. */
#include <glib.h>
#include <string.h>

#include "helpers.h"

/* "area.name": lower-case letters, digits and underscores, one dot. */
static bool well_formed_id(const char *id)
{
    const char *dot = strchr(id, '.');
    if (!dot || dot == id || !dot[1] || strchr(dot + 1, '.'))
        return false;
    for (const char *p = id; *p; p++)
        if (p != dot && !g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '_')
            return false;
    return g_ascii_islower(id[0]) && g_ascii_islower(dot[1]);
}

static void test_ids(void)
{
    g_assert_cmpint(ENO_RULE_COUNT, >, 0);
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *r = eno_rule_get((eno_rule_id)i);
        g_assert_nonnull(r);
        g_assert_cmpint(r->rule, ==, i);
        g_assert_nonnull(r->id);
        if (!well_formed_id(r->id))
            g_test_message("badly formed rule id %s", r->id);
        g_assert_true(well_formed_id(r->id));
        for (int j = 0; j < i; j++)
            g_assert_cmpstr(eno_rule_get((eno_rule_id)j)->id, !=, r->id);
    }
}

static void test_texts(void)
{
    static const char *const areas[] = {"syntax.", "role.", "tep.", "retransmit.", "simopen.",
                                        "ack.", "enable.", "syndata.", "synackdata.",
                                        "legacy.", "capture."};
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *r = eno_rule_get((eno_rule_id)i);
        g_assert_nonnull(r->title);
        g_assert_cmpuint(strlen(r->title), >, 10);
        g_assert_nonnull(r->description);
        g_assert_cmpuint(strlen(r->description), >, strlen(r->title));
        g_assert_nonnull(r->section);
        g_assert_true(strcmp(r->section, "-") == 0 ||
                      g_regex_match_simple("^[0-9]+(\\.[0-9]+)*$", r->section, 0, 0));
        g_assert_true(r->severity >= ENO_SEV_NOTE && r->severity <= ENO_SEV_ERROR);
        g_assert_true(r->draft_severity >= ENO_SEV_NOTE && r->draft_severity <= ENO_SEV_ERROR);
        /* Rules marked unconfirmed say so in their description, and only
         * they do. */
        g_assert_cmpint(r->unconfirmed, ==, strstr(r->description, "nconfirmed") != NULL);
        bool known_area = false;
        for (size_t k = 0; k < G_N_ELEMENTS(areas); k++)
            known_area = known_area || g_str_has_prefix(r->id, areas[k]);
        g_assert_true(known_area);
    }
}

/* The severities of the rule catalog, and the draft profile's two
 * differences (docs/protocol.md, the draft encoding). */
static void test_severities(void)
{
    static const struct {
        const char *id;
        eno_severity sev, draft;
    } v[] = {
        {"syntax.option_too_short", ENO_SEV_ERROR, ENO_SEV_ERROR},
        {"syntax.multiple_global", ENO_SEV_WARNING, ENO_SEV_WARNING},
        {"syntax.no_tep", ENO_SEV_NOTE, ENO_SEV_NOTE},
        {"syntax.reserved_tep", ENO_SEV_WARNING, ENO_SEV_WARNING},
        {"role.passive_b_unset", ENO_SEV_ERROR, ENO_SEV_NOTE},
        {"tep.data_invalid", ENO_SEV_WARNING, ENO_SEV_WARNING},
        {"ack.missing", ENO_SEV_ERROR, ENO_SEV_WARNING},
        {"ack.unexpected", ENO_SEV_WARNING, ENO_SEV_WARNING},
        {"legacy.exid_encoding", ENO_SEV_NOTE, ENO_SEV_NOTE},
        {"capture.options_truncated", ENO_SEV_NOTE, ENO_SEV_NOTE},
        {"syntax.multiple_eno", ENO_SEV_ERROR, ENO_SEV_ERROR},
        {"syndata.tfo", ENO_SEV_ERROR, ENO_SEV_ERROR},
    };
    for (size_t k = 0; k < G_N_ELEMENTS(v); k++) {
        const eno_rule_info *r = eno_rule_find(v[k].id);
        g_assert_nonnull(r);
        g_assert_cmpint(eno_rule_severity(r->rule, ENO_PROFILE_RFC8547), ==, v[k].sev);
        g_assert_cmpint(eno_rule_severity(r->rule, ENO_PROFILE_DRAFT), ==, v[k].draft);
    }
    unsigned differ = 0;
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *r = eno_rule_get((eno_rule_id)i);
        differ += r->severity != r->draft_severity;
    }
    g_assert_cmpuint(differ, ==, 2);
    g_assert_cmpint(eno_rule_severity(ENO_RULE_COUNT, ENO_PROFILE_RFC8547), ==, ENO_SEV_NONE);
}

static void test_severity_names(void)
{
    for (int s = ENO_SEV_NONE; s <= ENO_SEV_ERROR; s++) {
        const char *name = eno_severity_name((eno_severity)s);
        eno_severity back = ENO_SEV_NONE;
        g_assert_true(eno_severity_parse(name, &back));
        g_assert_cmpint(back, ==, s);
    }
    g_assert_cmpstr(eno_severity_name(ENO_SEV_NOTE), ==, "note");
    g_assert_cmpstr(eno_severity_name(ENO_SEV_WARNING), ==, "warning");
    g_assert_cmpstr(eno_severity_name(ENO_SEV_ERROR), ==, "error");
    g_assert_cmpstr(eno_severity_name((eno_severity)42), ==, "unknown");
    eno_severity out = ENO_SEV_ERROR;
    g_assert_false(eno_severity_parse("Error", &out));
    g_assert_false(eno_severity_parse("fatal", &out));
    g_assert_false(eno_severity_parse("", &out));
    g_assert_false(eno_severity_parse(NULL, &out));
    g_assert_cmpint(out, ==, ENO_SEV_ERROR);
    g_assert_cmpint(ENO_SEV_NOTE, <, ENO_SEV_WARNING);
    g_assert_cmpint(ENO_SEV_WARNING, <, ENO_SEV_ERROR);
}

static void test_find(void)
{
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *r = eno_rule_get((eno_rule_id)i);
        g_assert_true(eno_rule_find(r->id) == r);
    }
    g_assert_null(eno_rule_find(NULL));
    g_assert_null(eno_rule_find(""));
    g_assert_null(eno_rule_find("syntax"));
    g_assert_null(eno_rule_find("syntax.no_tep.x"));
    g_assert_null(eno_rule_find("SYNTAX.NO_TEP"));
    g_assert_null(eno_rule_find("tcp.options.eno.syntax.no_tep"));
    g_assert_null(eno_rule_get(ENO_RULE_COUNT));
    g_assert_null(eno_rule_get((eno_rule_id)-1));
    g_assert_cmpint(eno_rule_find("ack.missing")->rule, ==, ENO_RULE_ACK_MISSING);
}

/* The section column follows the outline of RFC 8547 (section 4.1 the
 * option, 4.2 the global suboption, 4.4 suboption data, 4.5 the negotiated
 * TEP, 4.6 the handshake, 4.7 SYN data, 11 IANA), and the rules whose
 * detail is unconfirmed are marked. */
static void test_sections(void)
{
    static const struct {
        const char *id, *section;
        bool unconfirmed;
    } v[] = {
        {"syntax.option_too_short", "4.1", false},
        {"syntax.option_overrun", "4.1", false},
        {"syntax.multiple_eno", "4.1", true},
        {"syntax.length_byte_dangling", "4.4", true},
        {"syntax.data_overrun", "4.4", true},
        {"syntax.multiple_global", "4.2", true},
        {"syntax.reserved_bits", "4.2", false},
        {"syntax.no_tep", "4.5", false},
        {"syntax.duplicate_tep", "4.5", false},
        {"syntax.reserved_tep", "11", false},
        {"role.passive_b_unset", "4.2", false},
        {"tep.unoffered", "4.5", false},
        {"tep.passive_multiple", "4.5", false},
        {"tep.data_invalid", "4.5", true},
        {"retransmit.changed", "4.6", false},
        {"simopen.changed", "4.6", false},
        {"ack.missing", "4.6", false},
        {"ack.unexpected", "4.6", false},
        {"enable.plaintext", "4.6", false},
        {"enable.tep_after_disable", "4.6", false},
        {"syndata.not_allowed", "4.7", false},
        {"syndata.acked", "4.7", false},
        {"syndata.no_reset", "4.7", false},
        {"synackdata.not_allowed", "4.7", false},
        {"syndata.simopen", "4.7", false},
        {"syndata.tfo", "4.7", true},
        {"legacy.exid_encoding", "-", false},
        {"capture.options_truncated", "-", false},
    };
    g_assert_cmpuint(G_N_ELEMENTS(v), ==, ENO_RULE_COUNT);
    for (size_t k = 0; k < G_N_ELEMENTS(v); k++) {
        const eno_rule_info *r = eno_rule_find(v[k].id);
        g_assert_nonnull(r);
        g_assert_cmpstr(r->section, ==, v[k].section);
        g_assert_cmpint(r->unconfirmed, ==, v[k].unconfirmed);
    }
}

static void test_outcome_names(void)
{
    g_assert_cmpstr(eno_status_name(ENO_STATUS_ENCRYPTED), ==, "encrypted");
    g_assert_cmpstr(eno_status_name(ENO_STATUS_DISABLED), ==, "disabled");
    g_assert_cmpstr(eno_status_name(ENO_STATUS_NO_ENO), ==, "no-eno");
    g_assert_cmpstr(eno_status_name(ENO_STATUS_INCOMPLETE), ==, "incomplete");
    g_assert_null(eno_reason_name(ENO_REASON_NONE));
    g_assert_cmpstr(eno_reason_name(ENO_REASON_PEER_NO_ENO), ==, "peer-no-eno");
    g_assert_cmpstr(eno_reason_name(ENO_REASON_ROLE_CONFLICT), ==, "role-conflict");
    g_assert_cmpstr(eno_reason_name(ENO_REASON_NO_COMMON_TEP), ==, "no-common-tep");
    g_assert_cmpstr(eno_reason_name(ENO_REASON_ACK_MISSING_ENO), ==, "ack-missing-eno");
    g_assert_cmpstr(eno_reason_name(ENO_REASON_INVALID_OPTION), ==, "invalid-option");
    g_assert_cmpstr(eno_open_type_name(ENO_OPEN_THREE_WAY), ==, "three-way");
    g_assert_cmpstr(eno_open_type_name(ENO_OPEN_SIMULTANEOUS), ==, "simultaneous");
    g_assert_cmpstr(eno_open_type_name(ENO_OPEN_UNKNOWN), ==, "unknown");
    g_assert_cmpstr(eno_profile_name(ENO_PROFILE_RFC8547), ==, "rfc8547");
    g_assert_cmpstr(eno_profile_name(ENO_PROFILE_DRAFT), ==, "draft");
    g_assert_true(g_regex_match_simple("^[0-9]+\\.[0-9]+\\.[0-9]+$", eno_version(), 0, 0));
}

/* A rule's area is the first part of its id; MALFORMED is the group of
 * the syntax rules that make an option unusable (the errors), and of no
 * other rule. */
static void test_areas_and_groups(void)
{
    for (int r = 0; r < ENO_RULE_COUNT; r++) {
        const eno_rule_info *info = eno_rule_get((eno_rule_id)r);
        const char *area = eno_area_name(info->area);
        g_assert_nonnull(area);
        size_t n = strlen(area);
        g_assert_cmpint(strncmp(info->id, area, n), ==, 0);
        g_assert_cmpint(info->id[n], ==, '.');
        gboolean malformed = info->area == ENO_AREA_SYNTAX && info->severity == ENO_SEV_ERROR;
        g_assert_cmpint(info->group, ==, malformed ? ENO_GROUP_MALFORMED : ENO_GROUP_PROTOCOL);
    }
    g_assert_null(eno_area_name(ENO_AREA_COUNT));
    g_assert_cmpstr(eno_area_name(ENO_AREA_SYNACKDATA), ==, "synackdata");
}

/* Every status has one place in summaries, in the order encrypted,
 * disabled, no-eno, incomplete; every reason but NONE has a name. */
static void test_outcome_table(void)
{
    static const char *const order[] = {"encrypted", "disabled", "no-eno", "incomplete"};
    g_assert_cmpint(ENO_STATUS_COUNT, ==, G_N_ELEMENTS(order));
    gboolean seen[ENO_STATUS_COUNT] = {FALSE};
    for (unsigned i = 0; i < ENO_STATUS_COUNT; i++) {
        eno_status s = eno_status_at_rank(i);
        g_assert_false(seen[s]);
        seen[s] = TRUE;
        g_assert_cmpstr(eno_status_name(s), ==, order[i]);
    }
    g_assert_cmpint(ENO_STATUS_INCOMPLETE, ==, 0);
    g_assert_cmpint(ENO_REASON_NONE, ==, 0);
    g_assert_null(eno_reason_name(ENO_REASON_NONE));
    for (int r = 1; r < ENO_REASON_COUNT; r++)
        g_assert_nonnull(eno_reason_name((eno_reason)r));
    g_assert_null(eno_reason_name(ENO_REASON_COUNT));
    g_assert_cmpint(eno_status_tone(ENO_STATUS_ENCRYPTED), ==, ENO_TONE_GOOD);
    g_assert_cmpint(eno_status_tone(ENO_STATUS_DISABLED), ==, ENO_TONE_CAUTION);
    g_assert_cmpint(eno_status_tone(ENO_STATUS_NO_ENO), ==, ENO_TONE_QUIET);
    g_assert_cmpint(eno_status_tone(ENO_STATUS_INCOMPLETE), ==, ENO_TONE_PENDING);
}

static void test_tep_registry(void)
{
    g_assert_cmpstr(eno_tep_lookup(0x21)->name, ==, "TCPCRYPT_ECDHE_P256");
    g_assert_cmpstr(eno_tep_lookup(0x22)->name, ==, "TCPCRYPT_ECDHE_P521");
    g_assert_cmpstr(eno_tep_lookup(0x23)->name, ==, "TCPCRYPT_ECDHE_Curve25519");
    g_assert_cmpstr(eno_tep_lookup(0xa4)->name, ==, "TCPCRYPT_ECDHE_Curve448");
    g_assert_cmpint(eno_tep_lookup(0x20)->cls, ==, ENO_TEP_EXPERIMENTAL);
    g_assert_cmpint(eno_tep_lookup(0x30)->cls, ==, ENO_TEP_UNREGISTERED);
    g_assert_cmpint(eno_tep_lookup(0x25)->cls, ==, ENO_TEP_UNASSIGNED);
    g_assert_cmpint(eno_tep_lookup(0x6f)->cls, ==, ENO_TEP_UNASSIGNED);
    g_assert_cmpint(eno_tep_lookup(0x70)->cls, ==, ENO_TEP_RESERVED);
    g_assert_cmpint(eno_tep_lookup(0x7f)->cls, ==, ENO_TEP_RESERVED);
    g_assert_cmpint(eno_tep_lookup(0x21)->syn_data, ==, ENO_SYNDATA_NONE);
    for (unsigned v = 0; v < 256; v++)
        g_assert_nonnull(eno_tep_lookup((uint8_t)v)->name);
    static const uint8_t init1[] = {0x15, 0x10, 0x1a, 0x0e, 0, 0, 0, 8};
    static const uint8_t init2[] = {0x09, 0x71, 0x05, 0xe0};
    static const uint8_t tls[] = {0x16, 0x03, 0x01};
    bool a = false;
    g_assert_nonnull(eno_tep_find_opening(init1, sizeof init1, &a));
    g_assert_true(a);
    g_assert_nonnull(eno_tep_find_opening(init2, sizeof init2, &a));
    g_assert_false(a);
    g_assert_null(eno_tep_find_opening(init2, 3, &a));
    g_assert_null(eno_tep_find_opening(tls, sizeof tls, &a));
    g_assert_null(eno_tep_find_opening(NULL, 4, &a));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/catalog/ids", test_ids);
    g_test_add_func("/catalog/texts", test_texts);
    g_test_add_func("/catalog/severities", test_severities);
    g_test_add_func("/catalog/severity-names", test_severity_names);
    g_test_add_func("/catalog/find", test_find);
    g_test_add_func("/catalog/sections", test_sections);
    g_test_add_func("/names/outcome", test_outcome_names);
    g_test_add_func("/names/tep-registry", test_tep_registry);
    g_test_add_func("/catalog/areas-and-groups", test_areas_and_groups);
    g_test_add_func("/names/outcome-table", test_outcome_table);
    return g_test_run();
}
