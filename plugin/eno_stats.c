/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Statistics: connections by status, reason and negotiated TEP.  The
 * analysis taps one event each time a connection's outcome changes (the
 * first one when the connection appears), so each connection is counted
 * once, under its latest outcome.  Two front ends: a stats tree (Wireshark's
 * Statistics menu, tshark -z eno,tree) and tshark -z eno,stat.
 */
#include <stdio.h>
#include <string.h>

#include "eno_plugin.h"

#include <epan/stat_tap_ui.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

static const char *const node_status = "Status";
static const char *const node_reason = "Disabled, by reason";
static const char *const node_tep = "Negotiated TEP";

static void tep_label(char *buf, size_t cap, const eno_outcome_key *k)
{
    if (k->tep_valid)
        snprintf(buf, cap, "0x%02x %s", k->tep, eno_tep_lookup(k->tep)->name);
    else
        snprintf(buf, cap, "none");
}

/* ---- stats tree ---- */

static int st_status = -1, st_reason = -1, st_tep = -1;

static void st_init(stats_tree *st)
{
    st_status = stats_tree_create_node(st, node_status, 0, STAT_DT_INT, TRUE);
    st_reason = stats_tree_create_node(st, node_reason, 0, STAT_DT_INT, TRUE);
    st_tep = stats_tree_create_node(st, node_tep, 0, STAT_DT_INT, TRUE);
}

static void st_apply(stats_tree *st, const eno_outcome_key *k, int delta)
{
    char tep[64];
    const char *reason = eno_reason_name(k->reason);
    increase_stat_node(st, node_status, 0, TRUE, delta);
    increase_stat_node(st, eno_status_name(k->status), st_status, FALSE, delta);
    if (reason) {
        increase_stat_node(st, node_reason, 0, TRUE, delta);
        increase_stat_node(st, reason, st_reason, FALSE, delta);
    }
    tep_label(tep, sizeof tep, k);
    increase_stat_node(st, node_tep, 0, TRUE, delta);
    increase_stat_node(st, tep, st_tep, FALSE, delta);
}

static tap_packet_status st_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                   const void *p, tap_flags_t flags _U_)
{
    const eno_stats_event *ev = (const eno_stats_event *)p;
    if (ev->has_prev)
        st_apply(st, &ev->prev, -1);
    st_apply(st, &ev->now, 1);
    return TAP_PACKET_REDRAW;
}

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
    stats_tree_register_plugin("eno", "eno", "TCP-ENO connections", 0, st_packet, st_init, NULL);
    register_stat_tap_ui(&stat_ui, NULL);
}
