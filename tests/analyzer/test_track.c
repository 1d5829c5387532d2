/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracker on hand-made segments: a connection kept in the compact form
 * is judged as the engine judges its segments; the cap drops the oldest
 * live connections and keeps their records for late segments up to the
 * cap; many connections are reported by first frame at the end; port
 * reuse and idle expiry.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "eno/eno.h"
#include "track.h"

typedef struct {
    GArray *frames;           /* first frames, as reported */
    GArray *results;          /* eno_result, as reported */
} reports;

static void sink(void *ctx, const conn_info *ci, const eno_result *r)
{
    reports *rep = ctx;
    g_array_append_val(rep->frames, ci->first_frame);
    g_array_append_vals(rep->results, r, 1);
}

static void reports_init(reports *rep)
{
    rep->frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    rep->results = g_array_new(FALSE, TRUE, sizeof(eno_result));
}

static void reports_free(reports *rep)
{
    g_array_free(rep->frames, TRUE);
    g_array_free(rep->results, TRUE);
}

/* One segment from client n (10.0.x.y:port) to 10.9.0.1:443 (to_server)
 * or back; options as hex. */
typedef struct {
    uint8_t bytes[60];
    tcp_packet p;
} segment;

static void make(segment *s, uint32_t n, bool to_server, const char *flags, uint32_t seq,
                 uint32_t ack, const char *opts)
{
    memset(s, 0, sizeof *s);
    uint8_t opt[40];
    size_t olen = 0;
    for (const char *h = opts; h && *h;) {
        if (*h == ' ') {
            h++;
            continue;
        }
        unsigned v;
        g_assert_true(sscanf(h, "%2x", &v) == 1);
        opt[olen++] = (uint8_t)v;
        h += 2;
    }
    while (olen % 4)
        opt[olen++] = 0;
    uint8_t fl = 0;
    for (const char *f = flags; *f; f++)
        fl |= *f == 'S' ? 0x02 : *f == 'A' ? 0x10 : *f == 'F' ? 0x01 : *f == 'R' ? 0x04 : 0;
    uint16_t cport = (uint16_t)(20000 + n % 30000), sport = to_server ? cport : 443,
             dport = to_server ? 443 : cport;
    uint8_t *b = s->bytes;
    b[0] = (uint8_t)(sport >> 8);
    b[1] = (uint8_t)sport;
    b[2] = (uint8_t)(dport >> 8);
    b[3] = (uint8_t)dport;
    for (int k = 0; k < 4; k++) {
        b[4 + k] = (uint8_t)(seq >> (24 - 8 * k));
        b[8 + k] = (uint8_t)(ack >> (24 - 8 * k));
    }
    b[12] = (uint8_t)((20 + olen) / 4 << 4);
    b[13] = fl;
    memcpy(b + 20, opt, olen);
    size_t len = 20 + olen;
    g_assert_cmpint(eno_tcp_parse_header(b, len, len, &s->p.tcp, &s->p.seg), ==, ENO_TCP_OK);
    s->p.family = 4;
    uint8_t client[4] = {10, 0, (uint8_t)(n / 30000 >> 8), (uint8_t)(n / 30000)};
    uint8_t server[4] = {10, 9, 0, 1};
    memcpy(s->p.src, to_server ? client : server, 4);
    memcpy(s->p.dst, to_server ? server : client, 4);
}

static void feed(track *t, uint32_t frame, gint64 ts, uint32_t n, bool to_server,
                 const char *flags, uint32_t seq, uint32_t ack, const char *opts)
{
    segment s;
    make(&s, n, to_server, flags, seq, ack, opts);
    track_segment(t, frame, ts, &s.p);
}

/* Handshakes through the tracker, whose connections spend their first
 * segment in the compact form, against the engine fed directly. */
static void test_same_as_engine(void)
{
    static const struct {
        const char *syn, *synack, *ack;
    } hs[] = {
        {"45 04 22 21", "45 03 21", "45 02"},
        {"", "", ""},
        {"fe 05 45 4e 21", "fe 05 45 4e 01", ""},
        {"45 04 22 21", "", ""},
        {"22 02 45 03 21", "45 03 21", "45 02"},
    };
    for (size_t k = 0; k < G_N_ELEMENTS(hs); k++) {
        reports rep;
        reports_init(&rep);
        scan_stats st = {0};
        track *t = track_new("x", 100, G_GINT64_CONSTANT(300000000), sink, &rep, &st);
        segment seg[4];
        make(&seg[0], 1, true, "S", 1000, 0, hs[k].syn);
        make(&seg[1], 1, false, "SA", 5000, 1001, hs[k].synack);
        make(&seg[2], 1, true, "A", 1001, 5001, hs[k].ack);
        make(&seg[3], 1, true, "R", 1001, 0, "");
        eno_conn *c = g_malloc(eno_conn_size());
        eno_conn_init(c);
        for (int i = 0; i < 4; i++) {
            track_segment(t, (uint32_t)i + 1, i, &seg[i].p);
            eno_segment es = seg[i].p.seg;
            es.frame = (uint32_t)i + 1;
            es.dir = i == 1;
            eno_tcp_parse_options(&seg[i].p.tcp, &es);
            eno_conn_add(c, &es);
        }
        track_finish(t);
        g_assert_cmpuint(rep.results->len, ==, 1);
        static eno_result want;
        memset(&want, 0, sizeof want);
        eno_conn_evaluate(c, &want);
        const eno_result *got = &g_array_index(rep.results, eno_result, 0);
        g_assert_true(memcmp(&got->outcome, &want.outcome, sizeof want.outcome) == 0);
        g_assert_cmpuint(got->n_findings, ==, want.n_findings);
        for (size_t f = 0; f < want.n_findings; f++)
            g_assert_cmpint(got->findings[f].rule, ==, want.findings[f].rule);
        g_free(c);
        track_free(t);
        reports_free(&rep);
    }
}

/* A cap of 100: 250 SYNs drop the 150 oldest live ones, which are not
 * reported; the records of the last 100 dropped take their late segments,
 * older ones are gone (their segments are mid-stream); the 100 live ones
 * are reported at the end by first frame. */
static void test_cap_eviction(void)
{
    /* Compact forms in the entry, on the heap (the draft-era option takes
     * more than the entry holds), and without ENO. */
    static const char *const syn_option[] = {"45 04 22 21", "fe 05 45 4e 21", ""};
    reports rep;
    reports_init(&rep);
    scan_stats st = {0};
    track *t = track_new("x", 100, G_GINT64_CONSTANT(300000000), sink, &rep, &st);
    uint32_t frame = 0;
    for (uint32_t n = 0; n < 250; n++, frame++)
        feed(t, frame + 1, frame + 1, n, true, "S", 1000 + n, 0, syn_option[n % 3]);
    g_assert_cmpuint(st.dropped, ==, 150);
    g_assert_cmpuint(rep.frames->len, ==, 0);
    /* Dropped, record kept: late. */
    frame++;
    feed(t, frame, frame, 149, false, "SA", 9, 1150, "");
    g_assert_cmpuint(st.late, ==, 1);
    /* Dropped, record gone: mid-stream. */
    frame++;
    feed(t, frame, frame, 10, false, "A", 9, 1011, "");
    g_assert_cmpuint(st.midstream, ==, 1);
    /* A SYN-ACK answers a live one: it is still live, now a whole eno_conn. */
    frame++;
    feed(t, frame, frame, 201, false, "SA", 9, 1202, "45 03 21");
    g_assert_cmpuint(st.late, ==, 1);
    track_finish(t);
    g_assert_cmpuint(rep.frames->len, ==, 100);
    for (uint32_t k = 0; k < 100; k++)
        g_assert_cmpuint(g_array_index(rep.frames, uint32_t, k), ==, 151 + k);
    const eno_result *r = &g_array_index(rep.results, eno_result, 201 - 150);
    g_assert_cmpuint(r->synack_frame[1], ==, frame);
    g_assert_cmpuint(r->syn_frame[0], ==, 202);
    g_assert_true(r->host[0].eno);
    track_free(t);
    reports_free(&rep);
}

/* Port reuse on a compact connection, idle expiry of compact ones, and
 * many connections (the store grows) reported in first-frame order. */
static void test_reuse_expiry_growth(void)
{
    reports rep;
    reports_init(&rep);
    scan_stats st = {0};
    const gint64 idle = 1000;
    track *t = track_new("x", 100000, idle, sink, &rep, &st);
    feed(t, 1, 0, 7, true, "S", 1000, 0, "45 04 22 21");
    feed(t, 2, 1, 7, true, "S", 1000, 0, "45 04 22 21");   /* retransmitted */
    feed(t, 3, 2, 7, true, "S", 77777, 0, "");             /* reused */
    g_assert_cmpuint(rep.frames->len, ==, 1);
    g_assert_cmpuint(g_array_index(rep.frames, uint32_t, 0), ==, 1);
    g_assert_cmpuint(g_array_index(rep.results, eno_result, 0).syn_frame[0], ==, 1);
    /* Past the idle timeout: the reused one expires (frame 3). */
    feed(t, 4, 2 + idle + 1, 8, true, "S", 1, 0, "");
    g_assert_cmpuint(st.expired, ==, 1);
    g_assert_cmpuint(g_array_index(rep.frames, uint32_t, 1), ==, 3);
    /* Its record went with it (idle as long): the same SYN starts anew. */
    feed(t, 5, 2 + idle + 2, 7, true, "S", 77777, 0, "");
    g_assert_cmpuint(st.late, ==, 0);
    for (uint32_t n = 0; n < 20000; n++)
        feed(t, 6 + n, 2 + idle + 3, 100 + n, true, "S", n, 0, n % 5 ? "" : "45 03 21");
    track_tick(t, 2 + idle + 3, 1);
    g_assert_cmpuint(rep.frames->len, ==, 2);
    track_finish(t);
    g_assert_cmpuint(rep.frames->len, ==, 2 + 2 + 20000);
    g_assert_cmpuint(g_array_index(rep.frames, uint32_t, 2), ==, 4);
    g_assert_cmpuint(g_array_index(rep.frames, uint32_t, 3), ==, 5);
    for (uint32_t k = 4; k < rep.frames->len; k++)
        g_assert_cmpuint(g_array_index(rep.frames, uint32_t, k), ==, 6 + (k - 4));
    g_assert_cmpuint(st.dropped, ==, 0);
    track_free(t);
    reports_free(&rep);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/track/same-as-engine", test_same_as_engine);
    g_test_add_func("/track/cap-eviction", test_cap_eviction);
    g_test_add_func("/track/reuse-expiry-growth", test_reuse_expiry_growth);
    return g_test_run();
}
