/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reader hands the tracking thread only the first decode_prefix_len
 * bytes of each frame: decoding them must give what decoding the whole
 * frame gives, for every frame of every capture in the corpus (and of any
 * capture named on the command line), and for every cut of those frames. */
#include <string.h>

#include <glib.h>
#include <pcap/pcap.h>

#include "decode.h"
#include "eno/engine.h"

static const char *captures_dir;

static void expect_same(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
                        const char *where)
{
    tcp_packet whole, part;
    size_t n = decode_prefix_len(dlt, data, caplen);
    g_assert_cmpuint(n, <=, caplen);
    decode_status a = decode_packet(dlt, data, caplen, wirelen, &whole);
    decode_status b = decode_packet(dlt, data, n, wirelen, &part);
    if (a != b)
        g_error("%s: status %d on the whole frame, %d on its first %zu bytes", where, a, b, n);
    if (a != DECODE_TCP)
        return;
    g_assert_cmpuint(whole.family, ==, part.family);
    g_assert_cmpmem(whole.src, 16, part.src, 16);
    g_assert_cmpmem(whole.dst, 16, part.dst, 16);
    g_assert_cmpuint(whole.tcp.sport, ==, part.tcp.sport);
    g_assert_cmpuint(whole.tcp.dport, ==, part.tcp.dport);
    g_assert_cmpuint(whole.first_fragment, ==, part.first_fragment);
    /* The segment the engine is given. */
    eno_segment sw = whole.seg, sp = part.seg;
    eno_tcp_parse_options(&whole.tcp, &sw);
    eno_tcp_parse_options(&part.tcp, &sp);
    g_assert_cmpuint(sw.flags, ==, sp.flags);
    g_assert_cmpuint(sw.seq, ==, sp.seq);
    g_assert_cmpuint(sw.ack, ==, sp.ack);
    g_assert_cmpuint(sw.payload_len, ==, sp.payload_len);
    g_assert_cmpuint(sw.eno_count, ==, sp.eno_count);
    g_assert_cmpuint(sw.eno_avail, ==, sp.eno_avail);
    g_assert_cmpuint(sw.options_truncated, ==, sp.options_truncated);
    if (sw.eno)
        g_assert_cmpmem(sw.eno, sw.eno_avail, sp.eno, sp.eno_avail);
    g_assert_cmpuint(sw.payload_caplen, ==, sp.payload_caplen);
    if (sw.payload_caplen)
        g_assert_cmpmem(sw.payload, sw.payload_caplen, sp.payload, sp.payload_caplen);
}

static guint check_file(const char *path)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, err);
    if (!p)
        g_error("%s: %s", path, err);
    int dlt = pcap_datalink(p);
    struct pcap_pkthdr *h;
    const u_char *data;
    guint frames = 0;
    while (pcap_next_ex(p, &h, &data) == 1) {
        frames++;
        gchar *where = g_strdup_printf("%s frame %u", path, frames);
        size_t caplen = MIN(h->caplen, h->len);
        expect_same(dlt, data, caplen, h->len, where);
        /* Every shorter capture of the same frame, as a snapshot length
         * would cut it. */
        for (size_t cut = 0; cut < caplen; cut++)
            expect_same(dlt, data, cut, h->len, where);
        g_free(where);
    }
    pcap_close(p);
    return frames;
}

static void expect_same_cuts(int dlt, const uint8_t *frame, size_t len, const char *what)
{
    for (size_t cut = 0; cut <= len; cut++)
        expect_same(dlt, frame, cut, len, what);
}

/* Headers the corpus lacks: IPv6 extension headers before TCP, three VLAN
 * tags, IPv4 and TCP with the longest options. */
static void test_built(void)
{
    uint8_t f[400];
    memset(f, 0, sizeof f);
    /* Ethernet, IPv6, hop-by-hop options (8 bytes), TCP with 12 option
     * bytes, 100 bytes of payload. */
    memcpy(f + 12, "\x86\xdd", 2);
    uint8_t *ip = f + 14;
    ip[0] = 0x60;
    ip[4] = 0, ip[5] = 8 + 32 + 100;
    ip[6] = 0; /* hop-by-hop */
    ip[40] = 6;
    uint8_t *t = ip + 48;
    t[12] = 8 << 4;
    t[13] = 0x18;
    for (int i = 0; i < 100; i++)
        t[32 + i] = (uint8_t)i;
    expect_same_cuts(DLT_EN10MB, f, 14 + 48 + 32 + 100, "IPv6 with a hop-by-hop header");

    /* Ethernet with three 802.1Q tags, then IPv4 and TCP. */
    memset(f, 0, sizeof f);
    for (int i = 0; i < 3; i++)
        memcpy(f + 12 + 4 * i, "\x81\x00\x00\x05", 4);
    memcpy(f + 24, "\x08\x00", 2);
    ip = f + 26;
    ip[0] = 0x45, ip[3] = 20 + 20 + 50, ip[9] = 6;
    ip[20 + 12] = 5 << 4;
    expect_same_cuts(DLT_EN10MB, f, 26 + 90, "three VLAN tags");

    /* Raw IPv4 with 40 bytes of IP options, TCP with 40 option bytes. */
    memset(f, 0, sizeof f);
    f[0] = 0x4f, f[2] = 0x01, f[3] = 0x2c, f[9] = 6; /* total 300 */
    f[60 + 12] = 15 << 4;
    f[60 + 20] = 69, f[60 + 21] = 3, f[60 + 22] = 0x21;
    for (int i = 0; i < 180; i++)
        f[120 + i] = (uint8_t)(i * 3);
    expect_same_cuts(DLT_RAW, f, 300, "longest IPv4 and TCP options");
    /* Lengths that contradict the frame. */
    f[60 + 12] = 2 << 4;
    expect_same_cuts(DLT_RAW, f, 300, "TCP data offset below 5");
    f[0] = 0x43;
    expect_same_cuts(DLT_RAW, f, 300, "IPv4 header length below 5");
}

static void collect(const char *dir, GPtrArray *out)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        gchar *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR))
            collect(path, out);
        else if (g_str_has_suffix(name, ".pcap") || g_str_has_suffix(name, ".pcapng"))
            g_ptr_array_add(out, g_strdup(path));
        g_free(path);
    }
    g_dir_close(d);
}

static void test_corpus(void)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    collect(captures_dir, files);
    guint frames = 0;
    for (guint i = 0; i < files->len; i++)
        frames += check_file(g_ptr_array_index(files, i));
    g_assert_cmpuint(files->len, >, 50);
    g_assert_cmpuint(frames, >, 300);
    g_ptr_array_free(files, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (argc != 2) {
        g_printerr("usage: test_decode_prefix CAPTURES-FOLDER\n");
        return 2;
    }
    captures_dir = argv[1];
    g_test_add_func("/decode/prefix-equals-whole", test_corpus);
    g_test_add_func("/decode/prefix-equals-whole-built", test_built);
    return g_test_run();
}
