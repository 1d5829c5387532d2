/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading one point's capture for `compare`: every TCP segment, decoded by
 * the analyzer's decoders, kept per connection with what matching needs
 * (sequence numbers, IP ID, timestamps option, payload hash, options).
 * libpcap reads pcap files, and pcapng of one link type; wiretap the
 * rest (compressed captures, pcapng with several link types, other
 * formats), as for `check`.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "compare.h"
#include "decode.h"
#include "diag.h"
#include "input_walk.h"
#include "input_wtap.h"
#include "reader.h"
#include "stop.h"

#define TCP_OPT_TS 8

void cmp_file_clear(cmp_file *f)
{
    if (f->conns) {
        for (guint i = 0; i < f->conns->len; i++) {
            cmp_conn *c = g_ptr_array_index(f->conns, i);
            g_array_free(c->segs, TRUE);
            g_free(c);
        }
        g_ptr_array_free(f->conns, TRUE);
    }
    memset(f, 0, sizeof *f);
}

size_t cmp_opts_list(const cmp_seg *s, cmp_opt *out, size_t max)
{
    size_t n = 0, i = 0;
    while (i < s->opts_len && n < max) {
        uint8_t kind = s->opts[i];
        if (kind == ENO_TCP_OPT_EOL)
            break;
        if (kind == ENO_TCP_OPT_NOP) {
            i++;
            continue;
        }
        if (i + 1 >= s->opts_len || s->opts[i + 1] < 2 || i + s->opts[i + 1] > s->opts_len)
            break;
        out[n++] = (cmp_opt){.kind = kind, .off = (uint8_t)i, .len = s->opts[i + 1]};
        i += s->opts[i + 1];
    }
    return n;
}

int cmp_opts_eno(const cmp_seg *s, const cmp_opt *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (eno_option_is_eno(s->opts + list[i].off, list[i].len))
            return (int)i;
    return -1;
}

/* FNV-1a: a payload hash only needs to tell rewritten bytes apart. */
static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static void fill_seg(cmp_seg *s, const tcp_packet *p)
{
    const eno_tcp_header *h = &p->tcp;
    s->flags = h->bytes[13];
    s->seq = p->seg.seq;
    s->ack = p->seg.ack;
    s->payload_len = p->seg.payload_len;
    s->window = (uint16_t)(h->bytes[14] << 8 | h->bytes[15]);
    s->ip_id = p->ip_id;
    s->peer = -1;
    size_t optlen = h->hlen - ENO_TCP_MIN_HEADER;
    size_t have = h->caplen > ENO_TCP_MIN_HEADER ? h->caplen - ENO_TCP_MIN_HEADER : 0;
    s->opts_truncated = have < optlen;
    if (have > optlen)
        have = optlen;
    if (have > ENO_OPT_MAX)
        have = ENO_OPT_MAX;
    memcpy(s->opts, h->bytes + ENO_TCP_MIN_HEADER, have);
    s->opts_len = (uint8_t)have;
    if (h->caplen > h->hlen) {
        size_t cap = h->caplen - h->hlen;
        if (cap > s->payload_len)
            cap = s->payload_len;
        s->payload_cap = (uint32_t)cap;
        s->payload_hash = hash_bytes(h->bytes + h->hlen, cap);
        s->head_len = (uint8_t)(cap < ENO_PAYLOAD_HEAD ? cap : ENO_PAYLOAD_HEAD);
        memcpy(s->head, h->bytes + h->hlen, s->head_len);
    }
    cmp_opt list[ENO_OPT_MAX / 2];
    size_t n = cmp_opts_list(s, list, G_N_ELEMENTS(list));
    for (size_t i = 0; i < n; i++) {
        if (list[i].kind == TCP_OPT_TS && list[i].len == 10) {
            const uint8_t *o = s->opts + list[i].off;
            s->has_ts = true;
            s->tsval = (uint32_t)o[2] << 24 | (uint32_t)o[3] << 16 | (uint32_t)o[4] << 8 | o[5];
            s->tsecr = (uint32_t)o[6] << 24 | (uint32_t)o[7] << 16 | (uint32_t)o[8] << 8 | o[9];
        }
    }
}

typedef struct {
    cmp_file *f;
    const compare_options *opt;
    GHashTable *current;      /* flow_key -> cmp_conn *: each flow's latest connection */
    bool warned_link;         /* a wiretap capture's unsupported link type: said once */
} read_state;

static cmp_conn *new_conn(read_state *rs, const flow_key *key, int client_side, uint32_t frame)
{
    if (rs->f->conns->len >= rs->opt->max_connections) {
        if (rs->f->conns_dropped++ == 0)
            diag(rs->f->path, DIAG_WARNING, "more than %u connections: the later ones are "
                 "counted, not compared (--max-connections)", rs->opt->max_connections);
        return NULL;
    }
    cmp_conn *c = g_new0(cmp_conn, 1);
    c->key = *key;
    c->client_side = client_side;
    c->first_frame = frame;
    c->peer = -1;
    c->segs = g_array_new(FALSE, FALSE, sizeof(cmp_seg));
    flow_key_endpoint(key, client_side, c->client, sizeof c->client);
    flow_key_endpoint(key, !client_side, c->server, sizeof c->server);
    g_ptr_array_add(rs->f->conns, c);
    g_hash_table_replace(rs->current, &c->key, c);
    return c;
}

static void add_segment(read_state *rs, uint32_t frame, gint64 ts, const tcp_packet *p)
{
    flow_key key;
    int sender = flow_key_from_packet(p, &key);
    cmp_conn *c = g_hash_table_lookup(rs->current, &key);
    uint8_t flags = p->tcp.bytes[13];
    bool syn = (flags & ENO_TCP_SYN) != 0, ack = (flags & ENO_TCP_ACK) != 0;
    if (c && syn && !ack && sender == c->client_side && c->isn_known[0] &&
        c->isn[0] != p->seg.seq)
        c = NULL; /* a new SYN-only with another ISN: port reuse */
    if (!c) {
        int client;
        if (syn)
            client = ack ? !sender : sender;
        else /* mid-stream: the client is likelier the side with the higher port */
            client = p->tcp.sport > p->tcp.dport ? sender
                     : p->tcp.sport < p->tcp.dport ? !sender : sender;
        c = new_conn(rs, &key, client, frame);
        if (!c)
            return;
    }
    int dir = sender == c->client_side ? 0 : 1;
    if (syn && !c->isn_known[dir]) {
        c->isn_known[dir] = true;
        c->isn[dir] = p->seg.seq;
    }
    if (c->segs->len >= rs->opt->max_segments) {
        c->segs_dropped++;
        return;
    }
    cmp_seg s = {.frame = frame, .ts = ts, .dir = (uint8_t)dir};
    fill_seg(&s, p);
    g_array_append_val(c->segs, s);
}

/* One frame read: counted, and its TCP segment kept. */
static void frame_in(read_state *rs, int dlt, uint32_t frame, gint64 ts, const uint8_t *data,
                     size_t caplen, size_t wirelen)
{
    cmp_file *f = rs->f;
    f->frames++;
    if (ts < f->first_ts)
        f->first_ts = ts;
    if (ts > f->last_ts)
        f->last_ts = ts;
    tcp_packet pk;
    if (decode_packet(dlt, data, caplen, wirelen, &pk) != DECODE_TCP)
        return;
    f->segments++;
    add_segment(rs, frame, ts, &pk);
}

/* A frame wiretap read: as the libpcap loop's, a frame of a link type
 * that is not supported counts (and spans the capture's time) without a
 * segment; the first such is said. */
static void wtap_frame_in(void *ctx, int dlt, uint32_t frame, gint64 ts, const uint8_t *data,
                          size_t caplen, size_t wirelen)
{
    read_state *rs = ctx;
    if (!rs->warned_link && (dlt < 0 || !decode_link_supported(dlt))) {
        diag(rs->f->path, DIAG_WARNING, "frames of a link type that is not supported "
                                        "are skipped (first: frame %u)", frame);
        rs->warned_link = true;
    }
    frame_in(rs, dlt, frame, ts, data, caplen, wirelen);
}

/* True when the file starts like a capture libpcap does not open itself
 * (compressed, or another format `check` reads through wiretap). */
static bool other_capture(const char *path)
{
    unsigned char head[16];
    size_t n = 0;
    FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    return n >= 4 && input_is_capture(head, n);
}

static bool open_fault(const char *path, const char *errbuf)
{
    if (strstr(errbuf, "unknown file format"))
        diag(path, DIAG_ERROR, "not a pcap or pcapng file (unknown magic number)");
    else if (strstr(errbuf, "only got 0"))
        diag(path, DIAG_ERROR, "the input is empty");
    else
        diag(path, DIAG_ERROR, "cannot read the capture: %s", errbuf);
    return false;
}

static bool read_other(const char *path, const compare_options *opt, cmp_file *f,
                       bool *partial)
{
    read_state rs = {.f = f, .opt = opt,
                     .current = g_hash_table_new(flow_key_hash, flow_key_equal)};
    bool opened;
    bool ok = input_wtap_each(path, wtap_frame_in, &rs, &opened);
    g_hash_table_destroy(rs.current);
    *partial = !ok && opened;
    return ok;
}

bool cmp_read(const char *path, const compare_options *opt, cmp_file *f, bool *partial)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    memset(f, 0, sizeof *f);
    f->path = path;
    f->conns = g_ptr_array_new();
    f->first_ts = G_MAXINT64;
    f->last_ts = 0;
    *partial = false;
    pcap_t *p;
    /* Standard input may be a pipe that stays open: a stop must reach its
     * reads. */
    bool from_stdin = strcmp(path, "-") == 0;
    stop_reader sr;
    if (from_stdin) {
        stop_reader_begin(&sr);
        p = stop_requested() ? NULL : pcap_fopen_offline(stdin, errbuf);
    } else {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            diag(path, DIAG_ERROR, "cannot open: %s", g_strerror(errno));
            return false;
        }
        if (S_ISDIR(sb.st_mode)) {
            diag(path, DIAG_ERROR, "is a directory, not a capture file");
            return false;
        }
        if (S_ISREG(sb.st_mode) && sb.st_size == 0) {
            diag(path, DIAG_ERROR, "the file is empty");
            return false;
        }
        p = pcap_open_offline(path, errbuf);
    }
    if (!p) {
        if (from_stdin)
            stop_reader_end(&sr);
        if (stop_requested())
            return true;
        /* Compressed captures, pcapng with several link types, the other
         * formats: wiretap reads them, as for `check`. */
        if (!from_stdin && strstr(errbuf, "unknown file format") && other_capture(path))
            return read_other(path, opt, f, partial);
        return open_fault(path, errbuf);
    }
    int dlt = pcap_datalink(p);
    if (!decode_link_supported(dlt))
        diag(path, DIAG_WARNING, "link type %d is not supported; its frames are skipped", dlt);
    read_state rs = {.f = f, .opt = opt,
                     .current = g_hash_table_new(flow_key_hash, flow_key_equal)};
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc = 1;
    uint32_t frame = 0;
    while (!stop_requested() && (rc = pcap_next_ex(p, &hdr, &data)) == 1) {
        frame++;
        size_t caplen = hdr->caplen < hdr->len ? hdr->caplen : hdr->len;
        frame_in(&rs, dlt, frame, reader_stamp_usec(&hdr->ts), data, caplen, hdr->len);
    }
    if (from_stdin)
        stop_reader_end(&sr);
    g_hash_table_destroy(rs.current);
    bool ok = rc == PCAP_ERROR_BREAK || stop_requested();
    if (!ok) {
        diag(path, DIAG_ERROR, "truncated or corrupt capture after frame %u: %s", frame,
             pcap_geterr(p));
        *partial = true;
    }
    pcap_close(p);
    return ok;
}
