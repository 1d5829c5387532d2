/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The negotiation against an independent model of its rules
 * (docs/protocol.md, negotiation), and
 * random segment streams that must never crash or give a malformed result.
 */
#include <glib.h>
#include <string.h>

#include "helpers.h"
/* White-box: these tests keep connection states on the stack. */
#include "conn_internal.h"

typedef struct {
    bool present;        /* sends an ENO option */
    bool explicit_global;
    bool a, b;
    size_t n;            /* TEP suboptions */
    uint8_t tep[5];
    uint8_t data_len[5]; /* 0: none; else carried behind a length byte */
    size_t global_at;    /* position of the global suboption among the TEPs */
} m_host;

static void m_random_host(m_host *h)
{
    memset(h, 0, sizeof *h);
    h->present = g_test_rand_int_range(0, 10) != 0;
    h->explicit_global = g_test_rand_int_range(0, 4) != 0;
    h->b = h->explicit_global && g_test_rand_bit();
    h->a = h->explicit_global && g_test_rand_bit();
    h->n = (size_t)g_test_rand_int_range(0, 5);
    for (size_t i = 0; i < h->n; i++) {
        h->tep[i] = (uint8_t)g_test_rand_int_range(0x20, 0x27);
        h->data_len[i] = g_test_rand_int_range(0, 4) == 0 ? (uint8_t)g_test_rand_int_range(1, 10)
                                                           : 0;
    }
    h->global_at = (size_t)g_test_rand_int_range(0, (int)h->n + 1);
    /* Keep the option inside the 40 bytes of TCP option space. */
    size_t size = 3 + h->n;
    for (size_t i = 0; i < h->n; i++)
        size += h->data_len[i] ? 1u + h->data_len[i] : 0;
    for (size_t i = 0; i < h->n && size > ENO_OPT_MAX; i++) {
        size -= h->data_len[i] ? 1u + h->data_len[i] : 0;
        h->data_len[i] = 0;
    }
}

static size_t m_encode(const m_host *h, uint8_t *out)
{
    static const uint8_t data[16] = {0};
    eno_builder b;
    eno_builder_init(&b, ENO_ENC_KIND69, 0);
    for (size_t i = 0; i <= h->n; i++) {
        if (i == h->global_at && h->explicit_global)
            eno_builder_global(&b, h->a, h->b, 0);
        if (i < h->n)
            eno_builder_tep(&b, h->tep[i], false, data, h->data_len[i], h->data_len[i] > 0);
    }
    size_t n = eno_builder_finish(&b);
    g_assert_cmpuint(n, >=, 2);
    memcpy(out, b.buf, n);
    return n;
}

static bool m_lists(const m_host *h, uint8_t tep)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->tep[i] == tep)
            return true;
    return false;
}

static unsigned m_duplicates(const m_host *h)
{
    unsigned d = 0;
    for (size_t i = 0; i < h->n; i++)
        for (size_t j = 0; j < i; j++)
            if (h->tep[j] == h->tep[i]) {
                d++;
                break;
            }
    return d;
}

static unsigned m_bad_data(const m_host *h)
{
    unsigned d = 0;
    for (size_t i = 0; i < h->n; i++)
        d += h->tep[i] >= 0x21 && h->tep[i] <= 0x24 && h->data_len[i] && h->data_len[i] != 9;
    return d;
}

static void test_model_three_way(void)
{
    for (int iter = 0; iter < 20000; iter++) {
        m_host act, pas; /* endpoint 0 opens actively */
        m_random_host(&act);
        m_random_host(&pas);
        bool ack_eno = g_test_rand_bit();
        uint8_t oa[64], ob[64];
        size_t na = m_encode(&act, oa), nb = m_encode(&pas, ob);

        eno_segment s[3];
        memset(s, 0, sizeof s);
        static const uint8_t empty[] = {0x45, 0x02};
        s[0] = (eno_segment){.frame = 1, .dir = 0, .flags = ENO_TCP_SYN, .seq = 10};
        s[1] = (eno_segment){.frame = 2, .dir = 1, .flags = ENO_TCP_SYN | ENO_TCP_ACK, .seq = 90,
                             .ack = 11};
        s[2] = (eno_segment){.frame = 3, .dir = 0, .flags = ENO_TCP_ACK, .seq = 11, .ack = 91};
        if (act.present)
            s[0].eno = oa, s[0].eno_avail = na, s[0].eno_count = 1;
        if (pas.present)
            s[1].eno = ob, s[1].eno_avail = nb, s[1].eno_count = 1;
        if (ack_eno)
            s[2].eno = empty, s[2].eno_avail = 2, s[2].eno_count = 1;
        eno_result r;
        eno_negotiate(s, 3, &r);

        /* The model. */
        eno_status st;
        eno_reason why = ENO_REASON_NONE;
        int host_a = -1, tep = -1;
        unsigned n_unoffered = 0, n_multiple = 0, n_missing = 0, n_unexpected = 0;
        unsigned n_b_unset = pas.present && !pas.b;
        unsigned n_no_tep = (act.present && !act.n) + (pas.present && !pas.n);
        unsigned n_dup = (act.present ? m_duplicates(&act) : 0) +
                         (pas.present ? m_duplicates(&pas) : 0);
        unsigned n_data = (act.present ? m_bad_data(&act) : 0) +
                          (pas.present ? m_bad_data(&pas) : 0);
        if (!act.present && !pas.present) {
            st = ENO_STATUS_NO_ENO;
        } else if (!act.present || !pas.present) {
            st = ENO_STATUS_DISABLED;
            why = ENO_REASON_PEER_NO_ENO;
        } else if (act.b == pas.b) {
            st = ENO_STATUS_DISABLED;
            why = ENO_REASON_ROLE_CONFLICT;
        } else {
            host_a = act.b ? 1 : 0;
            const m_host *A = host_a == 0 ? &act : &pas, *B = host_a == 0 ? &pas : &act;
            for (size_t i = B->n; i-- > 0 && tep < 0;)
                if (m_lists(A, B->tep[i]))
                    tep = B->tep[i];
            if (host_a == 0) {
                for (size_t i = 0; i < pas.n; i++)
                    n_unoffered += !m_lists(&act, pas.tep[i]);
                n_multiple = pas.n > 1;
            }
            if (tep < 0) {
                st = ENO_STATUS_DISABLED;
                why = ENO_REASON_NO_COMMON_TEP;
            } else if (ack_eno) {
                st = ENO_STATUS_ENCRYPTED;
            } else {
                st = ENO_STATUS_DISABLED;
                why = ENO_REASON_ACK_MISSING_ENO;
                n_missing = host_a == 0;
            }
        }
        if (st == ENO_STATUS_DISABLED && why != ENO_REASON_ACK_MISSING_ENO && ack_eno &&
            host_a <= 0)
            n_unexpected = 1;

        bool ok = r.status == st && r.reason == why && r.host_a == host_a &&
                  r.tep_valid == (tep >= 0) && (tep < 0 || r.tep == tep) &&
                  t_count(&r, ENO_RULE_ROLE_PASSIVE_B_UNSET) == n_b_unset &&
                  t_count(&r, ENO_RULE_SYNTAX_NO_TEP) == n_no_tep &&
                  t_count(&r, ENO_RULE_SYNTAX_DUPLICATE_TEP) == n_dup &&
                  t_count(&r, ENO_RULE_TEP_DATA_INVALID) == n_data &&
                  t_count(&r, ENO_RULE_TEP_UNOFFERED) == n_unoffered &&
                  t_count(&r, ENO_RULE_TEP_PASSIVE_MULTIPLE) == n_multiple &&
                  t_count(&r, ENO_RULE_ACK_MISSING) == n_missing &&
                  t_count(&r, ENO_RULE_ACK_UNEXPECTED) == n_unexpected &&
                  r.n_findings == n_b_unset + n_no_tep + n_dup + n_data + n_unoffered +
                                      n_multiple + n_missing + n_unexpected;
        if (!ok) {
            char h0[3 * 64 + 1] = "-", h1[3 * 64 + 1] = "-";
            for (size_t i = 0; act.present && i < na; i++)
                g_snprintf(h0 + 3 * i, 4, "%02x ", oa[i]);
            for (size_t i = 0; pas.present && i < nb; i++)
                g_snprintf(h1 + 3 * i, 4, "%02x ", ob[i]);
            g_test_message("SYN %s SYN-ACK %s ACK %s: model %s/%s A=%d tep %d", h0, h1,
                           ack_eno ? "45 02" : "-", eno_status_name(st),
                           eno_reason_name(why) ? eno_reason_name(why) : "-", host_a, tep);
            t_dump(&r);
        }
        g_assert_true(ok);
    }
}

static void test_model_simultaneous(void)
{
    for (int iter = 0; iter < 20000; iter++) {
        m_host syn[2], sa[2];
        uint8_t os[2][64], oa[2][64];
        size_t ns[2], na[2];
        bool sa_present[2], changed[2];
        eno_segment s[4];
        memset(s, 0, sizeof s);
        for (int d = 0; d < 2; d++) {
            m_random_host(&syn[d]);
            ns[d] = m_encode(&syn[d], os[d]);
            int pick = g_test_rand_int_range(0, 10);
            sa[d] = syn[d];
            if (pick == 0)
                sa[d].present = false;
            else if (pick == 1)
                m_random_host(&sa[d]);
            na[d] = m_encode(&sa[d], oa[d]);
            sa_present[d] = sa[d].present;
            changed[d] = sa[d].present && (!syn[d].present || na[d] != ns[d] ||
                                           memcmp(oa[d], os[d], na[d]) != 0);
            s[d] = (eno_segment){.frame = (uint32_t)d + 1, .dir = d, .flags = ENO_TCP_SYN,
                                 .seq = d ? 500u : 10u};
            s[2 + d] = (eno_segment){.frame = (uint32_t)d + 3, .dir = d,
                                     .flags = ENO_TCP_SYN | ENO_TCP_ACK, .seq = s[d].seq,
                                     .ack = d ? 11u : 501u};
            if (syn[d].present)
                s[d].eno = os[d], s[d].eno_avail = ns[d], s[d].eno_count = 1;
            if (sa[d].present)
                s[2 + d].eno = oa[d], s[2 + d].eno_avail = na[d], s[2 + d].eno_count = 1;
        }
        eno_result r;
        eno_negotiate(s, 4, &r);

        eno_status st;
        eno_reason why = ENO_REASON_NONE;
        int host_a = -1, tep = -1;
        unsigned n_no_tep = 0, n_dup = 0, n_data = 0, n_changed = 0;
        for (int d = 0; d < 2; d++) {
            if (syn[d].present) {
                n_no_tep += !syn[d].n;
                n_dup += m_duplicates(&syn[d]);
                n_data += m_bad_data(&syn[d]);
            }
            if (changed[d]) {
                n_changed++;
                n_no_tep += !sa[d].n;
                n_dup += m_duplicates(&sa[d]);
            }
        }
        if (!syn[0].present && !syn[1].present) {
            st = ENO_STATUS_NO_ENO;
        } else if (!syn[0].present || !syn[1].present) {
            st = ENO_STATUS_DISABLED;
            why = ENO_REASON_PEER_NO_ENO;
        } else if (syn[0].b == syn[1].b) {
            st = ENO_STATUS_DISABLED;
            why = ENO_REASON_ROLE_CONFLICT;
        } else {
            host_a = syn[0].b ? 1 : 0;
            const m_host *A = &syn[host_a], *B = &syn[!host_a];
            for (size_t i = B->n; i-- > 0 && tep < 0;)
                if (m_lists(A, B->tep[i]))
                    tep = B->tep[i];
            if (tep < 0) {
                st = ENO_STATUS_DISABLED;
                why = ENO_REASON_NO_COMMON_TEP;
            } else if (sa_present[0] && sa_present[1]) {
                st = ENO_STATUS_ENCRYPTED;
            } else {
                st = ENO_STATUS_DISABLED;
                why = ENO_REASON_ACK_MISSING_ENO;
            }
        }
        bool ok = r.open == ENO_OPEN_SIMULTANEOUS && r.status == st && r.reason == why &&
                  r.host_a == host_a && r.tep_valid == (tep >= 0) && (tep < 0 || r.tep == tep) &&
                  t_count(&r, ENO_RULE_SYNTAX_NO_TEP) == n_no_tep &&
                  t_count(&r, ENO_RULE_SYNTAX_DUPLICATE_TEP) == n_dup &&
                  t_count(&r, ENO_RULE_TEP_DATA_INVALID) == n_data &&
                  t_count(&r, ENO_RULE_SIMOPEN_CHANGED) == n_changed &&
                  r.n_findings == n_no_tep + n_dup + n_data + n_changed;
        if (!ok) {
            g_test_message("model %s/%s A=%d tep %d changed %d %d", eno_status_name(st),
                           eno_reason_name(why) ? eno_reason_name(why) : "-", host_a, tep,
                           changed[0], changed[1]);
            t_dump(&r);
        }
        g_assert_true(ok);
    }
}


/* ---- random segments ---- */

static const char *const rand_opts[] = {
    "",
    "45",
    "fd 02 45 4e",
    "45 02",
    "45 04 21 22",
    "45 04 01 22",
    "45 03 00",
    "45 05 01 21 22",
    "45 04 00 22",
    "45 06 21 80 a2 07",
    "45 05 21 80",
    "45 06 21",
    "45 01",
    "fd 06 45 4e 21 22",
    "fd 05 45 4e a1",
    "fd 04 45 4e",
    "fd 03 45 4e",
    "45 0d 21 a2 01 02 03 04 05 06 07 08 09",
    ("45 28 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37 38 39 3a 3b 3c "
     "3d 3e 3f 40 41 42 43 44 45 46"),
};

static void test_random_segments(void)
{
    static const char *const flag_sets[] = {"S", "SA", "A", "PA", "FA", "R", "S", "SA"};
    static const char *const payloads[] = {NULL, INIT1, INIT2, PLAIN, "16 03 01"};
    for (int iter = 0; iter < 20000; iter++) {
        t_hs h;
        t_init(&h);
        size_t n = (size_t)g_test_rand_int_range(1, 12);
        for (size_t i = 0; i < n; i++) {
            t_seg g[2] = {{0}, END};
            g[0].dir = g_test_rand_bit();
            g[0].flags = flag_sets[g_test_rand_int_range(0, G_N_ELEMENTS(flag_sets))];
            g[0].eno = rand_opts[g_test_rand_int_range(0, G_N_ELEMENTS(rand_opts))];
            g[0].payload = payloads[g_test_rand_int_range(0, G_N_ELEMENTS(payloads))];
            g[0].paylen = g[0].payload && g_test_rand_bit() ? 500 : 0;
            g[0].truncated = g_test_rand_int_range(0, 10) == 0;
            g[0].ack_delta = g_test_rand_int_range(0, 4) == 0 ? g_test_rand_int_range(0, 5) : 0;
            g[0].seq_delta = g_test_rand_int_range(0, 8) == 0 ? 1000 : 0;
            t_build(&h, g);
            if (g_test_rand_int_range(0, 5) == 0)
                h.seg[h.n - 1].eno_count = 2;
            if (h.seg[h.n - 1].eno && g_test_rand_int_range(0, 5) == 0)
                h.seg[h.n - 1].eno_avail += 8; /* option space beyond the option */
        }
        /* Streaming, as a front end does it. */
        eno_conn c;
        eno_result r;
        eno_conn_init(&c);
        for (size_t i = 0; i < h.n; i++) {
            if (eno_conn_add(&c, &h.seg[i]) == ENO_ADD_NEW_CONNECTION) {
                eno_conn_evaluate(&c, &r);
                t_check_result(&r, (uint32_t)h.n);
                eno_conn_init(&c);
                g_assert_cmpint(eno_conn_add(&c, &h.seg[i]), ==, ENO_ADD_OK);
            }
        }
        eno_conn_evaluate(&c, &r);
        t_check_result(&r, (uint32_t)h.n);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/model/three-way", test_model_three_way);
    g_test_add_func("/model/simultaneous", test_model_simultaneous);
    g_test_add_func("/model/random-segments", test_random_segments);
    return g_test_run();
}
