/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario execution: per-connection sequence tracking, repeat blocks,
 * timestamps derived from line numbers (one tick per line).  Memory use does
 * not grow with the number of packets or repetitions. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define REPEAT_ISN_STEP 2654435761u

typedef struct {
    char name[GEN_NAME_MAX];
    gen_endpoint ep[2];
    uint32_t isn[2], nxt[2];
    uint32_t ts_last[2];
    uint16_t ip_id[2];
    bool nat[2];              /* path nat: A as point 2 sees it, B as point 1 does */
    gen_endpoint nat_ep[2];
    uint32_t isn_delta[2];    /* path isn: added to the endpoint's numbers at point 2 */
} conn_state;

/* A frame the path holds back: written after the next one of its point. */
typedef struct {
    bool full;
    uint64_t ts;
    uint32_t caplen, len;
    uint8_t pkt[256 + GEN_MAX_OPTS + GEN_MAX_PAYLOAD];
} held_frame;

typedef struct {
    const gen_scenario *sc;
    gen_output *out[2];       /* per point; out[1] NULL without a point 2 */
    gen_path acts[2];         /* per sender: what the path does to its segments */
    held_frame held[2];       /* per point */
    long repeat_override;
    conn_state conns[GEN_MAX_CONNS];
    size_t n_conns;
    conn_state *cur;
    uint64_t time_extra_lines; /* added to line numbers after repetitions */
    enum gen_tunnel tunnel;    /* of the segments that follow */
    uint32_t tunnel_id, tunnel_seq;
    uint8_t pkt[256 + GEN_MAX_OPTS + GEN_MAX_PAYLOAD];
    uint8_t inner[128 + GEN_MAX_OPTS + GEN_MAX_PAYLOAD];
    uint8_t payload[GEN_MAX_PAYLOAD];
} run_state;

static conn_state *find_conn(run_state *r, const char *name)
{
    for (size_t i = 0; i < r->n_conns; i++)
        if (strcmp(r->conns[i].name, name) == 0)
            return &r->conns[i];
    return NULL;
}

static bool do_conn(run_state *r, const gen_line *l, uint32_t rep)
{
    conn_state *c = find_conn(r, l->name);
    if (!l->define) {
        if (!c) {
            fprintf(stderr, "%s:%d: conn %s was never defined\n", r->sc->path, l->line, l->name);
            return false;
        }
        r->cur = c;
        return true;
    }
    if (!c) {
        if (r->n_conns == GEN_MAX_CONNS) {
            fprintf(stderr, "%s:%d: more than %d connections\n", r->sc->path, l->line,
                    GEN_MAX_CONNS);
            return false;
        }
        c = &r->conns[r->n_conns++];
    }
    memset(c, 0, sizeof *c);
    strcpy(c->name, l->name);
    memcpy(c->ep, l->ep, sizeof c->ep);
    /* Repetition rep: client port + rep % GEN_REPEAT_PORTS, client address
     * (its last 32 bits) + rep / GEN_REPEAT_PORTS, ISNs + rep * step. */
    uint32_t port = (uint32_t)l->ep[0].port + rep % GEN_REPEAT_PORTS;
    if (port > 65535) {
        fprintf(stderr, "%s:%d: client port passes 65535 in repetition %u\n", r->sc->path,
                l->line, rep);
        return false;
    }
    c->ep[0].port = (uint16_t)port;
    uint8_t *a = c->ep[0].addr + (c->ep[0].family == 6 ? 12 : 0);
    uint32_t low = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
    low += rep / GEN_REPEAT_PORTS;
    a[0] = (uint8_t)(low >> 24);
    a[1] = (uint8_t)(low >> 16);
    a[2] = (uint8_t)(low >> 8);
    a[3] = (uint8_t)low;
    for (int s = 0; s < 2; s++) {
        c->isn[s] = l->isn_def[s] + rep * REPEAT_ISN_STEP;
        c->nxt[s] = c->isn[s] + 1;
        c->ip_id[s] = (uint16_t)(0x1000 * (s + 1));
    }
    r->cur = c;
    return true;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Writes a held frame, no earlier than ts. */
static bool flush_held(run_state *r, int point, uint64_t ts)
{
    held_frame *h = &r->held[point];
    if (!h->full)
        return true;
    h->full = false;
    if (!gen_output_packet(r->out[point], ts > h->ts ? ts : h->ts, h->pkt, h->caplen, h->len)) {
        fprintf(stderr, "write error\n");
        return false;
    }
    return true;
}

/* Builds the frame of one point's copy of a segment and writes it to that
 * point's capture (or holds it back for the next one). */
static bool write_copy(run_state *r, const gen_line *l, int point, const gen_tcp_params *p,
                       uint64_t ts, bool hold)
{
    const int s = l->sender;
    const conn_state *c = r->cur;
    size_t n;
    if (r->tunnel != GEN_TUN_NONE) {
        size_t ip_len = gen_build_ip_tcp(p, r->inner);
        n = gen_tunnel_frame(r->tunnel, r->tunnel_id, r->tunnel_seq++, s, c->ep[0].family,
                             r->inner, ip_len, r->pkt);
    } else {
        n = gen_link_header(r->sc, s, c->ep[0].family, r->pkt);
        n += gen_build_ip_tcp(p, r->pkt + n);
    }
    uint32_t caplen = (uint32_t)n;
    if (caplen > r->sc->snaplen)
        caplen = r->sc->snaplen;
    if (l->has_caplen && l->caplen < caplen)
        caplen = l->caplen;
    if (r->sc->format == GEN_FMT_PCAP && ts / 1000000u > INT32_MAX) {
        /* pcap records hold 32-bit seconds, which libpcap reads back as
         * signed: a later time would come back negative. */
        fprintf(stderr, "%s:%d: the packet's time (%" PRIu64 " s) is past %d s, the latest "
                        "a pcap record holds as libpcap reads it; lower time, tick or the "
                        "repeat count, or use format pcapng\n",
                r->sc->path, l->line, ts / 1000000u, INT32_MAX);
        return false;
    }
    held_frame *h = &r->held[point];
    if (hold && !h->full) {
        h->full = true;
        h->ts = ts;
        h->caplen = caplen;
        h->len = (uint32_t)n;
        memcpy(h->pkt, r->pkt, caplen);
        return true;
    }
    if (!gen_output_packet(r->out[point], ts, r->pkt, caplen, (uint32_t)n)) {
        fprintf(stderr, "write error\n");
        return false;
    }
    return flush_held(r, point, ts + 1);
}

static bool do_segment(run_state *r, const gen_line *l)
{
    conn_state *c = r->cur;
    const int s = l->sender, peer = !s;
    /* The packet's clock since line 0; automatic TSvals count its
     * milliseconds (with the default tick of 1000 us, the line number). */
    const uint64_t t_usec = ((uint64_t)l->line + r->time_extra_lines) * r->sc->tick_usec;
    const uint64_t t_ms = t_usec / 1000u;
    uint8_t opts[GEN_MAX_OPTS];
    gen_tcp_params p;

    if (l->has_isn) {
        c->isn[s] = l->isn;
        c->nxt[s] = l->isn + 1;
    }
    memset(&p, 0, sizeof p);
    p.src = &c->ep[s];
    p.dst = &c->ep[peer];
    p.flags = l->flags;
    if (l->seq.set)
        p.seq = l->seq.relative ? c->isn[s] + l->seq.value : l->seq.value;
    else
        p.seq = (l->flags & 0x02) ? c->isn[s] : c->nxt[s];
    if (l->ack.set)
        p.ack = l->ack.relative ? c->isn[peer] + l->ack.value : l->ack.value;
    else
        p.ack = (l->flags & 0x10) ? c->nxt[peer] : 0;
    uint32_t end = p.seq + l->payload_len + ((l->flags & 0x02) ? 1 : 0) + (l->flags & 0x01);
    if ((int32_t)(end - c->nxt[s]) > 0)
        c->nxt[s] = end;

    memcpy(opts, l->opts, l->opts_len);
    if (l->ts_auto_off >= 0) {
        uint32_t tsval = (s == 0 ? 100000u : 500000u) + (uint32_t)t_ms;
        bool syn_only = (l->flags & 0x12) == 0x02;
        put32(opts + l->ts_auto_off + 2, tsval);
        put32(opts + l->ts_auto_off + 6, syn_only ? 0 : c->ts_last[peer]);
        c->ts_last[s] = tsval;
    }
    p.window = l->window;
    p.urg = l->urg;
    p.ip_id = c->ip_id[s]++;
    p.opts = opts;
    p.opts_len = l->opts_len;
    p.payload = l->payload;
    p.payload_len = l->payload_len;
    p.has_tcpsum = l->has_tcpsum;
    p.tcpsum = l->tcpsum;
    p.has_ipsum = l->has_ipsum;
    p.ipsum = l->ipsum;
    p.has_iplen = l->has_iplen;
    p.iplen = l->iplen;

    uint64_t ts = (uint64_t)r->sc->time_base * 1000000u + t_usec;
    if (!r->sc->two_points)
        return write_copy(r, l, 0, &p, ts, false);
    /* Two points: the sender's own point sees the segment as sent, the
     * other one after the path; both see it with their own addresses and
     * (point 2) sequence numbers. */
    const gen_path *a = &r->acts[s];
    int64_t clock = r->sc->path_clock;
    int64_t at[2];
    at[s] = (int64_t)ts + (s == 1 ? clock : 0);
    at[peer] = (int64_t)ts + r->sc->path_delay + (peer == 1 ? clock : 0);
    for (int point = 0; point < 2; point++) {
        bool far = point != s;
        if (!r->out[point] || a->not_at == point + 1 || (far && a->drop))
            continue;
        if (at[point] < 0) {
            fprintf(stderr, "%s:%d: path clock puts the packet before 1970\n", r->sc->path,
                    l->line);
            return false;
        }
        gen_tcp_params q = p;
        uint8_t far_opts[GEN_MAX_OPTS];
        if (point == 1 && c->nat[0])
            *(s == 0 ? &q.src : &q.dst) = &c->nat_ep[0];
        if (point == 0 && c->nat[1])
            *(s == 1 ? &q.src : &q.dst) = &c->nat_ep[1];
        if (point == 1) {
            q.seq += c->isn_delta[s];
            if (l->flags & 0x10)
                q.ack += c->isn_delta[peer];
        }
        if (far) {
            int n = gen_path_options(a, opts, l->opts_len, far_opts);
            if (n < 0) {
                fprintf(stderr, "%s:%d: the path's options pass 40 bytes\n", r->sc->path,
                        l->line);
                return false;
            }
            q.opts = far_opts;
            q.opts_len = (size_t)n;
            q.seq += a->seq_shift;
            q.ack += a->ack_shift;
            q.ip_id = (uint16_t)(q.ip_id + a->ipid_shift);
            if (a->payload_len && l->payload_len) {
                for (uint32_t i = 0; i < l->payload_len; i++)
                    r->payload[i] = l->payload ? l->payload[i] : (uint8_t)('a' + i % 26);
                gen_path_payload(a, r->payload, l->payload_len);
                q.payload = r->payload;
            }
        }
        if (!write_copy(r, l, point, &q, (uint64_t)at[point], far && a->hold))
            return false;
    }
    return true;
}

static bool do_path(run_state *r, const gen_line *l)
{
    const gen_path *a = &l->path;
    if (a->what == GEN_PATH_ACTIONS) {
        for (int s = 0; s < 2; s++)
            if (a->sender < 0 || a->sender == s)
                r->acts[s] = *a;
        return true;
    }
    if (!r->cur) {
        fprintf(stderr, "%s:%d: path nat and path isn apply to a conn: none selected\n",
                r->sc->path, l->line);
        return false;
    }
    if (a->what == GEN_PATH_NAT) {
        if (a->nat.family != r->cur->ep[0].family) {
            fprintf(stderr, "%s:%d: the NAT address is not of the conn's family\n",
                    r->sc->path, l->line);
            return false;
        }
        r->cur->nat[a->sender] = true;
        r->cur->nat_ep[a->sender] = a->nat;
    } else {
        r->cur->isn_delta[a->sender] = a->isn_delta;
    }
    return true;
}

static bool run_range(run_state *r, size_t begin, size_t end, uint32_t rep)
{
    for (size_t i = begin; i < end; i++) {
        const gen_line *l = &r->sc->lines[i];
        switch (l->kind) {
        case GEN_CONN:
            if (!do_conn(r, l, rep))
                return false;
            break;
        case GEN_TUNNEL:
            r->tunnel = l->tunnel;
            r->tunnel_id = l->tunnel_id;
            break;
        case GEN_PATH:
            if (!do_path(r, l))
                return false;
            break;
        case GEN_SEGMENT:
            if (!r->cur) {
                fprintf(stderr, "%s:%d: no connection selected\n", r->sc->path, l->line);
                return false;
            }
            if (!do_segment(r, l))
                return false;
            break;
        case GEN_REPEAT: {
            uint32_t count = r->repeat_override > 0 ? (uint32_t)r->repeat_override : l->count;
            const gen_line *e = &r->sc->lines[l->end_index];
            uint64_t span = (uint64_t)(e->line - l->line);
            for (uint32_t k = 0; k < count; k++) {
                if (!run_range(r, i + 1, l->end_index, k))
                    return false;
                if (k + 1 < count)
                    r->time_extra_lines += span;
            }
            i = l->end_index;
            break;
        }
        default:
            break;
        }
    }
    return true;
}

bool gen_run(const gen_scenario *sc, const char *out_path, const char *out2_path,
             long repeat_override)
{
    run_state *r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "out of memory\n");
        return false;
    }
    r->sc = sc;
    r->repeat_override = repeat_override;
    r->out[0] = gen_output_open(sc, out_path);
    bool ok = r->out[0] != NULL;
    if (ok && out2_path) {
        r->out[1] = gen_output_open(sc, out2_path);
        ok = r->out[1] != NULL;
    }
    if (ok)
        ok = run_range(r, 0, sc->n_lines, 0);
    for (int point = 0; point < 2; point++) {
        if (ok && r->out[point])
            ok = flush_held(r, point, 0);
        if (r->out[point] && !gen_output_close(r->out[point]))
            ok = false;
    }
    free(r);
    return ok;
}
