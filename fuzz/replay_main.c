/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A plain main() for a fuzz target, without libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file named on the command line (or every
 * file inside a named folder).  Built in the ordinary (sanitizer) build so
 * the regression inputs and the seed corpus are replayed by ctest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    gchar *buf;
    gsize len;
    GError *err = NULL;
    if (!g_file_get_contents(path, &buf, &len, &err)) {
        fprintf(stderr, "replay: %s\n", err->message);
        g_error_free(err);
        return 1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, (size_t)len);
    LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
    g_free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            bad |= replay_file(argv[i]);
            n++;
            continue;
        }
        GDir *d = g_dir_open(argv[i], 0, NULL);
        const gchar *name;
        while (d && (name = g_dir_read_name(d)) != NULL) {
            gchar *p = g_build_filename(argv[i], name, NULL);
            if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
                bad |= replay_file(p);
                n++;
            }
            g_free(p);
        }
        if (d)
            g_dir_close(d);
    }
    fprintf(stderr, "replay: %d inputs\n", n);
    return bad;
}
