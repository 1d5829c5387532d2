/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the configuration file (config.h). */
#include <string.h>

#include "cli.h"
#include "config.h"
#include "diag.h"

#define DEFAULT_CONFIG ".enoscope.conf"

static bool fail(const char *path, GError *err)
{
    diag(path, DIAG_ERROR, "%s", err->message);
    g_error_free(err);
    return false;
}

static bool string_key(GKeyFile *kf, const char *key, gchar **out, GError **err)
{
    *out = g_key_file_get_string(kf, "check", key, err);
    return *err == NULL;
}

static bool list_key(GKeyFile *kf, const char *key, gchar ***out, GError **err)
{
    *out = g_key_file_get_string_list(kf, "check", key, NULL, err);
    return *err == NULL;
}

bool config_load(const char *path, check_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    if (!path) {
        if (!g_file_test(DEFAULT_CONFIG, G_FILE_TEST_EXISTS))
            return true;
        path = DEFAULT_CONFIG;
    }
    cfg->path = g_strdup(path);
    GKeyFile *kf = g_key_file_new();
    GError *err = NULL;
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
        g_key_file_free(kf);
        return fail(path, err);
    }
    bool ok = true;
    gsize n_groups;
    gchar **groups = g_key_file_get_groups(kf, &n_groups);
    for (gchar **g = groups; ok && *g; g++) {
        if (strcmp(*g, "check") != 0 && strcmp(*g, "severity") != 0) {
            diag(path, DIAG_ERROR, "unknown group [%s] (use [check] and [severity])", *g);
            ok = false;
        }
    }
    g_strfreev(groups);
    static const char *const known[] = {"select", "ignore", "fail-on", "connections", "format",
                                        "color", NULL};
    gchar **keys = g_key_file_has_group(kf, "check")
                   ? g_key_file_get_keys(kf, "check", NULL, NULL) : NULL;
    for (gchar **k = keys; ok && k && *k; k++) {
        if (!g_strv_contains(known, *k)) {
            diag(path, DIAG_ERROR, "unknown key \"%s\" in [check] (use select, ignore, "
                                   "fail-on, connections, format or color)", *k);
            ok = false;
        }
    }
    g_strfreev(keys);
    if (ok && g_key_file_has_group(kf, "check")) {
#define OPTIONAL(call, key) (g_key_file_has_key(kf, "check", key, NULL) ? (call) : true)
        ok = OPTIONAL(list_key(kf, "select", &cfg->select, &err), "select") &&
             OPTIONAL(list_key(kf, "ignore", &cfg->ignore, &err), "ignore") &&
             OPTIONAL(string_key(kf, "fail-on", &cfg->fail_on, &err), "fail-on") &&
             OPTIONAL(string_key(kf, "connections", &cfg->connections, &err), "connections") &&
             OPTIONAL(string_key(kf, "format", &cfg->format, &err), "format") &&
             OPTIONAL(string_key(kf, "color", &cfg->color, &err), "color");
#undef OPTIONAL
        if (!ok)
            ok = fail(path, err);
    }
    if (ok && g_key_file_has_group(kf, "severity")) {
        gsize n;
        gchar **rules = g_key_file_get_keys(kf, "severity", &n, NULL);
        cfg->severity = g_new0(gchar *, n + 1);
        for (gsize i = 0; i < n; i++) {
            gchar *level = g_key_file_get_string(kf, "severity", rules[i], NULL);
            cfg->severity[i] = g_strdup_printf("%s=%s", rules[i], level ? level : "");
            g_free(level);
        }
        g_strfreev(rules);
    }
    g_key_file_free(kf);
    return ok;
}

void config_free(check_config *cfg)
{
    g_free(cfg->path);
    g_strfreev(cfg->select);
    g_strfreev(cfg->ignore);
    g_free(cfg->fail_on);
    g_free(cfg->connections);
    g_free(cfg->format);
    g_free(cfg->color);
    g_strfreev(cfg->severity);
}
