/* SPDX-License-Identifier: GPL-2.0-or-later */
/* enogen: scenario file to pcap/pcapng.  See captures/README.md. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: enogen [-r N] (-o OUTPUT [-2 OUTPUT2] | -d DIR) SCENARIO.scn\n"
            "  -o OUTPUT  write the capture to OUTPUT (point 1's, with path lines)\n"
            "  -2 OUTPUT2 with path lines: write point 2's capture to OUTPUT2\n"
            "  -d DIR     write DIR/NAME.pcap or DIR/NAME.pcapng (NAME: scenario without .scn;\n"
            "             the extension follows the scenario's format directive)\n"
            "  -r N       run every repeat block N times instead of its stated count\n");
}

int main(int argc, char **argv)
{
    const char *out = NULL, *dir = NULL, *out2 = NULL;
    long repeat = 0;
    int c;
    while ((c = getopt(argc, argv, "o:d:r:2:h")) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'd':
            dir = optarg;
            break;
        case '2':
            out2 = optarg;
            break;
        case 'r': {
            char *end;
            repeat = strtol(optarg, &end, 10);
            if (*end || repeat < 1 || repeat > 100000000) {
                fprintf(stderr, "enogen: -r needs a count 1..100000000\n");
                return 2;
            }
            break;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc || (!out == !dir) || (out2 && !out)) {
        usage(stderr);
        return 2;
    }
    gen_scenario sc;
    if (!gen_parse(argv[optind], &sc))
        return 1;
    char *path = NULL;
    if (dir) {
        const char *base = strrchr(argv[optind], '/');
        base = base ? base + 1 : argv[optind];
        size_t blen = strlen(base);
        if (blen > 4 && strcmp(base + blen - 4, ".scn") == 0)
            blen -= 4;
        size_t room = strlen(dir) + blen + 16;
        path = malloc(room);
        if (!path) {
            gen_scenario_free(&sc);
            return 1;
        }
        snprintf(path, room, "%s/%.*s.%s", dir, (int)blen, base,
                 sc.format == GEN_FMT_PCAPNG ? "pcapng" : "pcap");
        out = path;
    }
    if (out2 && !sc.two_points) {
        fprintf(stderr, "enogen: -2 needs a scenario with path lines\n");
        gen_scenario_free(&sc);
        return 2;
    }
    bool ok = gen_run(&sc, out, out2, repeat);
    if (ok && dir)
        printf("%s\n", out);
    free(path);
    gen_scenario_free(&sc);
    return ok ? 0 : 1;
}
