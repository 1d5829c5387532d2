/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario parser: one line is a directive or one TCP segment. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_TOKENS 64

bool gen_parse_endpoint(const char *s, gen_endpoint *ep)
{
    char host[64];
    const char *colon;
    memset(ep, 0, sizeof *ep);
    if (*s == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
            return false;
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = 0;
        colon = close + 1;
        ep->family = 6;
        if (inet_pton(AF_INET6, host, ep->addr) != 1)
            return false;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof host)
            return false;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = 0;
        ep->family = 4;
        if (inet_pton(AF_INET, host, ep->addr) != 1)
            return false;
    }
    uint32_t port;
    if (!gen_parse_u32(colon + 1, 65535, &port))
        return false;
    ep->port = (uint16_t)port;
    return true;
}

static bool parse_conn(const char *path, gen_line *l, char **tok, int nt)
{
    l->kind = GEN_CONN;
    if (nt < 2 || strlen(tok[1]) >= GEN_NAME_MAX)
        return gen_fail(path, l->line, "conn needs a name (at most %d characters)", GEN_NAME_MAX - 1);
    strcpy(l->name, tok[1]);
    if (nt == 2)
        return true;
    if (nt < 4 || nt > 5)
        return gen_fail(path, l->line, "usage: conn NAME A-ADDR:PORT B-ADDR:PORT [isn=A,B]");
    if (!gen_parse_endpoint(tok[2], &l->ep[0]) || !gen_parse_endpoint(tok[3], &l->ep[1]))
        return gen_fail(path, l->line, "bad address:port (IPv6 as [addr]:port)");
    if (l->ep[0].family != l->ep[1].family)
        return gen_fail(path, l->line, "both ends must be IPv4 or both IPv6");
    l->define = true;
    l->isn_def[0] = 1000000000u;
    l->isn_def[1] = 3000000000u;
    if (nt == 5) {
        char *comma = strchr(tok[4], ',');
        if (strncmp(tok[4], "isn=", 4) != 0 || !comma)
            return gen_fail(path, l->line, "expected isn=A,B");
        *comma = 0;
        if (!gen_parse_u32(tok[4] + 4, UINT32_MAX, &l->isn_def[0]) ||
            !gen_parse_u32(comma + 1, UINT32_MAX, &l->isn_def[1]))
            return gen_fail(path, l->line, "bad ISN");
    }
    return true;
}

static bool parse_directive(const char *path, gen_scenario *sc, gen_line *l, char **tok, int nt)
{
    uint32_t v;
    const char *d = tok[0];
    if (strcmp(d, "format") == 0 && nt == 2) {
        if (strcmp(tok[1], "pcap") == 0)
            sc->format = GEN_FMT_PCAP;
        else if (strcmp(tok[1], "pcapng") == 0)
            sc->format = GEN_FMT_PCAPNG;
        else
            return gen_fail(path, l->line, "format is pcap or pcapng");
        return true;
    }
    if (strcmp(d, "link") == 0 && nt == 2) {
        if (strcmp(tok[1], "ethernet") == 0)
            sc->link = GEN_LINK_ETHERNET;
        else if (strcmp(tok[1], "sll2") == 0)
            sc->link = GEN_LINK_SLL2;
        else if (strcmp(tok[1], "raw") == 0)
            sc->link = GEN_LINK_RAW;
        else
            return gen_fail(path, l->line, "link is ethernet, sll2 or raw");
        return true;
    }
    if (strcmp(d, "vlan") == 0 && nt >= 2 && nt <= 1 + GEN_MAX_VLAN) {
        sc->n_vlan = 0;
        sc->vlan_line = l->line;
        for (int i = 1; i < nt; i++) {
            if (!gen_parse_u32(tok[i], 4095, &v))
                return gen_fail(path, l->line, "VLAN id is 0..4095");
            sc->vlan[sc->n_vlan++] = (uint16_t)v;
        }
        return true;
    }
    if (strcmp(d, "snaplen") == 0 && nt == 2) {
        if (!gen_parse_u32(tok[1], 262144, &sc->snaplen) || sc->snaplen < 64)
            return gen_fail(path, l->line, "snaplen is 64..262144");
        return true;
    }
    if (strcmp(d, "time") == 0 && nt == 2) {
        if (!gen_parse_u32(tok[1], UINT32_MAX - 100000, &sc->time_base))
            return gen_fail(path, l->line, "time is seconds since 1970");
        return true;
    }
    if (strcmp(d, "tick") == 0 && nt == 2) {
        if (!gen_parse_u32(tok[1], 1000000, &sc->tick_usec) || sc->tick_usec == 0)
            return gen_fail(path, l->line, "tick is 1..1000000 microseconds per line");
        return true;
    }
    if (strcmp(d, "conn") == 0)
        return parse_conn(path, l, tok, nt);
    if (strcmp(d, "repeat") == 0 && nt == 2) {
        l->kind = GEN_REPEAT;
        if (!gen_parse_u32(tok[1], 100000000, &l->count) || l->count == 0)
            return gen_fail(path, l->line, "repeat count is 1..100000000");
        return true;
    }
    if (strcmp(d, "tunnel") == 0)
        return gen_parse_tunnel(path, l, tok, nt);
    if (strcmp(d, "path") == 0)
        return gen_parse_path(path, sc, l, tok, nt);
    if (strcmp(d, "end") == 0 && nt == 1) {
        l->kind = GEN_END;
        return true;
    }
    return gen_fail(path, l->line, "unknown directive or wrong arguments: %s", d);
}

/* Returns 1 when the line produced a gen_line, 0 when it was empty or an
 * expectation, -1 on error. */
static int parse_line(const char *path, gen_scenario *sc, char *text, gen_line *l)
{
    char *tok[MAX_TOKENS];
    int nt = 0;
    char *hash = strchr(text, '#');
    if (hash)
        *hash = 0;
    for (char *save = NULL, *t = strtok_r(text, " \t\r\n", &save); t;
         t = strtok_r(NULL, " \t\r\n", &save)) {
        if (nt == MAX_TOKENS) {
            gen_fail(path, l->line, "too many words");
            return -1;
        }
        tok[nt++] = t;
    }
    if (nt == 0 || strcmp(tok[0], "expect") == 0 || strcmp(tok[0], "expect-connections") == 0)
        return 0;
    if (strcmp(tok[0], "A") == 0 || strcmp(tok[0], "B") == 0)
        return gen_parse_segment(path, l, tok, nt) ? 1 : -1;
    l->kind = GEN_DIRECTIVE;
    if (!parse_directive(path, sc, l, tok, nt))
        return -1;
    return l->kind == GEN_DIRECTIVE ? 0 : 1;
}

static bool check_structure(gen_scenario *sc)
{
    bool have_conn = false;
    size_t open = SIZE_MAX;
    for (size_t i = 0; i < sc->n_lines; i++) {
        gen_line *l = &sc->lines[i];
        if (l->kind == GEN_CONN)
            have_conn = true;
        if (l->kind == GEN_SEGMENT && !have_conn)
            return gen_fail(sc->path, l->line, "segment before any conn line");
        if (l->kind == GEN_REPEAT) {
            if (open != SIZE_MAX)
                return gen_fail(sc->path, l->line, "repeat blocks do not nest");
            open = i;
        }
        if (l->kind == GEN_END) {
            if (open == SIZE_MAX)
                return gen_fail(sc->path, l->line, "end without repeat");
            sc->lines[open].end_index = i;
            open = SIZE_MAX;
        }
    }
    if (open != SIZE_MAX)
        return gen_fail(sc->path, sc->lines[open].line, "repeat without end");
    for (size_t i = 0; i < sc->n_lines; i++)
        if (sc->lines[i].kind == GEN_TUNNEL && sc->lines[i].tunnel != GEN_TUN_NONE &&
            (sc->link != GEN_LINK_ETHERNET || sc->n_vlan))
            return gen_fail(sc->path, sc->lines[i].line, "tunnel needs link ethernet "
                                                         "without vlan");
    if (sc->two_points && sc->path_delay >= sc->tick_usec)
        return gen_fail(sc->path, sc->path_delay_line ? sc->path_delay_line : 1, "path delay must stay below the tick (%u us) so that "
                        "each point's packets keep their order", sc->tick_usec);
    if (sc->n_vlan && sc->link != GEN_LINK_ETHERNET)
        return gen_fail(sc->path, sc->vlan_line, "vlan needs link ethernet");
    return true;
}

bool gen_parse(const char *path, gen_scenario *sc)
{
    FILE *f = fopen(path, "r");
    char text[4096];
    size_t cap = 0;
    int lineno = 0;
    bool ok = true;

    memset(sc, 0, sizeof *sc);
    sc->path = path;
    sc->snaplen = 262144;
    sc->time_base = 1700000000u;
    sc->tick_usec = 1000;
    sc->path_delay = 100;
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return false;
    }
    while (ok && fgets(text, sizeof text, f)) {
        lineno++;
        if (!strchr(text, '\n') && !feof(f)) {
            ok = gen_fail(path, lineno, "line too long");
            break;
        }
        if (sc->n_lines == cap) {
            cap = cap ? cap * 2 : 64;
            gen_line *nl = realloc(sc->lines, cap * sizeof *nl);
            if (!nl) {
                ok = gen_fail(path, lineno, "out of memory");
                break;
            }
            sc->lines = nl;
        }
        gen_line *l = &sc->lines[sc->n_lines];
        memset(l, 0, sizeof *l);
        l->line = lineno;
        int r = parse_line(path, sc, text, l);
        if (r < 0) {
            free(l->payload);
            ok = false;
        } else if (r > 0) {
            sc->n_lines++;
        }
    }
    if (ok && ferror(f))
        ok = gen_fail(path, lineno, "read error");
    fclose(f);
    if (ok)
        ok = check_structure(sc);
    if (!ok)
        gen_scenario_free(sc);
    return ok;
}

void gen_scenario_free(gen_scenario *sc)
{
    for (size_t i = 0; i < sc->n_lines; i++)
        free(sc->lines[i].payload);
    free(sc->lines);
    sc->lines = NULL;
    sc->n_lines = 0;
}
