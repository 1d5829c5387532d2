/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing the rule catalog, derived from the engine's registry (rules.def). */
#include <string.h>

#include <json-glib/json-glib.h>

#include "color.h"
#include "rules_cmd.h"

static void wrapped(FILE *out, const char *text, const char *indent, size_t width)
{
    gchar **words = g_strsplit(text, " ", -1);
    size_t col = 0;
    for (gchar **w = words; *w; w++) {
        size_t n = strlen(*w);
        if (col && col + 1 + n > width) {
            fputc('\n', out);
            col = 0;
        }
        if (col == 0) {
            fputs(indent, out);
            col = strlen(indent);
        } else {
            fputc(' ', out);
            col++;
        }
        fputs(*w, out);
        col += n;
    }
    fputc('\n', out);
    g_strfreev(words);
}

static void text_rule(FILE *out, const eno_rule_info *r, bool long_form, bool color)
{
    const char *sev = color ? color_severity(r->severity) : "";
    const char *reset = color ? color_reset : "";
    fprintf(out, "%-28s %s%-7s%s draft:%-7s %-4s %s%s\n", r->id, sev,
            eno_severity_name(r->severity), reset, eno_severity_name(r->draft_severity),
            r->section, r->title, r->unconfirmed ? " (unconfirmed)" : "");
    if (long_form) {
        wrapped(out, r->description, "    ", 78);
        fputc('\n', out);
    }
}

static void json_rule(FILE *out, JsonGenerator *gen, const eno_rule_info *r)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, "rule");
    json_builder_set_member_name(b, "id");
    json_builder_add_string_value(b, r->id);
    json_builder_set_member_name(b, "severity");
    json_builder_add_string_value(b, eno_severity_name(r->severity));
    json_builder_set_member_name(b, "draft_severity");
    json_builder_add_string_value(b, eno_severity_name(r->draft_severity));
    json_builder_set_member_name(b, "section");
    json_builder_add_string_value(b, r->section);
    json_builder_set_member_name(b, "unconfirmed");
    json_builder_add_boolean_value(b, r->unconfirmed);
    json_builder_set_member_name(b, "title");
    json_builder_add_string_value(b, r->title);
    json_builder_set_member_name(b, "description");
    json_builder_add_string_value(b, r->description);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    gchar *text = json_generator_to_data(gen, NULL);
    fprintf(out, "%s\n", text);
    g_free(text);
    json_node_unref(root);
    g_object_unref(b);
}

void rules_print(FILE *out, out_format format, bool long_form, bool color)
{
    JsonGenerator *gen = format == FORMAT_JSON ? json_generator_new() : NULL;
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *r = eno_rule_get((eno_rule_id)i);
        if (gen)
            json_rule(out, gen, r);
        else
            text_rule(out, r, long_form, color);
    }
    if (gen)
        g_object_unref(gen);
}
