/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Statistics: connections by status, reason and negotiated TEP.  On the
 * first pass the analysis taps one event each time a connection's outcome
 * changes (the first one when the connection appears); on later passes one
 * event per connection, its final outcome.  Either way each connection is
 * counted once, under its latest outcome.  Two front ends: statistics
 * tables (Wireshark's Statistics menu, tshark -z eno,table) and tshark -z
 * eno,stat.
 */
#include <stdio.h>
#include <string.h>

#include "eno_plugin.h"

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

static void tep_label(char *buf, size_t cap, const eno_outcome_key *k)
{
    if (k->tep_valid)
        snprintf(buf, cap, "0x%02x %s", k->tep, eno_tep_lookup(k->tep)->name);
    else
        snprintf(buf, cap, "none");
}

/* ---- statistics tables (Wireshark's Statistics menu, tshark -z eno,table) ----
 * Three tables of two columns, outcome and connections; a row appears with
 * its first connection.  Wireshark's statistics dialogs read a file
 * already dissected, where each connection is tapped once with its final
 * outcome, so no row falls back to zero there. */

enum { TABLE_STATUS, TABLE_REASON, TABLE_TEP, N_TABLES };
static const char *const table_names[N_TABLES] = {
    "Connections by status", "Disabled connections by reason", "Negotiated TEP"};

static stat_tap_table_item table_fields[] = {
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Outcome", "%-32s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Connections", "%u"},
};

static void tables_init(stat_tap_table_ui *ui)
{
    for (int i = 0; i < N_TABLES; i++)
        if (!stat_tap_find_table(ui, table_names[i]))
            stat_tap_add_table(ui, stat_tap_init_table(table_names[i], 2, 0, NULL));
}

static void table_apply(stat_tap_table *t, const char *label, int delta)
{
    guint row = 0;
    for (; row < t->num_elements; row++) {
        stat_tap_table_item_type *name = stat_tap_get_field_data(t, row, 0);
        if (strcmp(name->value.string_value, label) == 0)
            break;
    }
    if (row == t->num_elements) {
        if (delta <= 0)
            return;
        stat_tap_table_item_type items[2];
        memset(items, 0, sizeof items);
        items[0].type = TABLE_ITEM_STRING;
        items[0].value.string_value = g_strdup(label);
        items[1].type = TABLE_ITEM_UINT;
        stat_tap_init_table_row(t, row, 2, items);
    }
    stat_tap_table_item_type *count = stat_tap_get_field_data(t, row, 1);
    count->value.uint_value = (guint)((int)count->value.uint_value + delta);
    stat_tap_set_field_data(t, row, 1, count);
}

static void tables_apply(stat_tap_table_ui *ui, const eno_outcome_key *k, int delta)
{
    char tep[64];
    stat_tap_table *t[N_TABLES];
    for (int i = 0; i < N_TABLES; i++)
        t[i] = stat_tap_find_table(ui, table_names[i]);
    if (!t[TABLE_STATUS] || !t[TABLE_REASON] || !t[TABLE_TEP])
        return;
    table_apply(t[TABLE_STATUS], eno_status_name(k->status), delta);
    if (eno_reason_name(k->reason))
        table_apply(t[TABLE_REASON], eno_reason_name(k->reason), delta);
    if (k->tep_valid) {
        tep_label(tep, sizeof tep, k);
        table_apply(t[TABLE_TEP], tep, delta);
    }
}

static tap_packet_status tables_packet(void *p, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *data, tap_flags_t flags _U_)
{
    stat_tap_table_ui *ui = ((stat_data_t *)p)->stat_tap_data;
    const eno_stats_event *ev = (const eno_stats_event *)data;
    if (ev->has_prev)
        tables_apply(ui, &ev->prev, -1);
    tables_apply(ui, &ev->now, 1);
    return TAP_PACKET_REDRAW;
}

static void tables_reset(stat_tap_table *t)
{
    for (guint row = 0; row < t->num_elements; row++) {
        stat_tap_table_item_type *count = stat_tap_get_field_data(t, row, 1);
        count->value.uint_value = 0;
        stat_tap_set_field_data(t, row, 1, count);
    }
}

static void tables_free_item(stat_tap_table *t _U_, guint row _U_, guint column,
                             stat_tap_table_item_type *field)
{
    if (column == 0)
        g_free((char *)field->value.string_value);
}

static tap_param table_params[] = {{PARAM_FILTER, "filter", "Filter", NULL, TRUE}};

static stat_tap_table_ui table_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED, "TCP-ENO connections", "eno", "eno,table", tables_init,
    tables_packet, tables_reset, tables_free_item, NULL,
    sizeof table_fields / sizeof table_fields[0], table_fields,
    sizeof table_params / sizeof table_params[0], table_params, NULL, 0};

/* ---- tshark -z eno,stat ---- */

#define TEP_NONE (ENO_TEP_GLT + 1) /* tep[]: no TEP negotiated */

typedef struct {
    int status[ENO_STATUS_COUNT];
    int reason[ENO_REASON_COUNT];
    int tep[TEP_NONE + 1];
    int connections;
} stat_counts;

static void sc_apply(stat_counts *c, const eno_outcome_key *k, int delta)
{
    c->connections += delta;
    if ((unsigned)k->status < ENO_STATUS_COUNT)
        c->status[k->status] += delta;
    if (k->reason != ENO_REASON_NONE && (unsigned)k->reason < ENO_REASON_COUNT)
        c->reason[k->reason] += delta;
    c->tep[k->tep_valid ? (k->tep & ENO_TEP_GLT) : TEP_NONE] += delta;
}

static void sc_reset(void *p)
{
    memset(p, 0, sizeof(stat_counts));
}

static tap_packet_status sc_packet(void *p, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                   const void *data, tap_flags_t flags _U_)
{
    const eno_stats_event *ev = (const eno_stats_event *)data;
    if (ev->has_prev)
        sc_apply((stat_counts *)p, &ev->prev, -1);
    sc_apply((stat_counts *)p, &ev->now, 1);
    return TAP_PACKET_REDRAW;
}

static void sc_draw(void *p)
{
    const stat_counts *c = (const stat_counts *)p;
    printf("\n===================================================================\n");
    printf("TCP-ENO connections\n");
    printf("connections: %d\n", c->connections);
    for (unsigned i = 0; i < ENO_STATUS_COUNT; i++)
        printf("status %s: %d\n", eno_status_name(eno_status_at_rank(i)),
               c->status[eno_status_at_rank(i)]);
    for (int r = 0; r < ENO_REASON_COUNT; r++)
        if (c->reason[r])
            printf("reason %s: %d\n", eno_reason_name((eno_reason)r), c->reason[r]);
    for (int t = 0; t < TEP_NONE; t++)
        if (c->tep[t])
            printf("tep 0x%02x %s: %d\n", t, eno_tep_lookup((guint8)t)->name, c->tep[t]);
    if (c->tep[TEP_NONE])
        printf("tep none: %d\n", c->tep[TEP_NONE]);
    printf("===================================================================\n");
}

static eno_tap_init_result sc_init(const char *opt_arg, void *userdata _U_)
{
    const char *filter = NULL;
    if (opt_arg && g_str_has_prefix(opt_arg, "eno,stat,"))
        filter = opt_arg + strlen("eno,stat,");
    stat_counts *c = g_new0(stat_counts, 1);
    GString *err = register_tap_listener("eno", c, filter, 0, sc_reset, sc_packet, sc_draw, NULL);
    if (err) {
        fprintf(stderr, "tshark: couldn't register eno,stat tap: %s\n", err->str);
        g_string_free(err, TRUE);
        g_free(c);
        exit(1);
    }
    ENO_TAP_INIT_STARTED;
}

static stat_tap_ui stat_ui = {REGISTER_STAT_GROUP_GENERIC, "TCP-ENO connections", "eno,stat",
                              sc_init, 0, NULL};

void eno_stats_register(void)
{
    register_stat_tap_table_ui(&table_ui);
    register_stat_tap_ui(&stat_ui, NULL);
}
