/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capture writing: pcap through libpcap's dump functions; pcapng (which
 * libpcap 1.10 cannot write) as SHB + IDB + EPB blocks, little-endian. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct gen_output {
    enum gen_format format;
    const char *path;
    pcap_t *dead;
    pcap_dumper_t *dumper;
    FILE *ng;
};

static void le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
    le16(p, (uint16_t)v);
    le16(p + 2, (uint16_t)(v >> 16));
}

static bool ng_header(gen_output *o, const gen_scenario *sc)
{
    uint8_t shb[28], idb[20];
    le32(shb, 0x0A0D0D0A);
    le32(shb + 4, sizeof shb);
    le32(shb + 8, 0x1A2B3C4D);  /* byte-order magic */
    le16(shb + 12, 1);          /* version 1.0 */
    le16(shb + 14, 0);
    memset(shb + 16, 0xff, 8);  /* section length unknown */
    le32(shb + 24, sizeof shb);

    le32(idb, 1);
    le32(idb + 4, sizeof idb);
    le16(idb + 8, (uint16_t)gen_link_linktype(sc->link));
    le16(idb + 10, 0);
    le32(idb + 12, sc->snaplen);
    le32(idb + 16, sizeof idb); /* no options: microsecond timestamps */
    return fwrite(shb, sizeof shb, 1, o->ng) == 1 && fwrite(idb, sizeof idb, 1, o->ng) == 1;
}

gen_output *gen_output_open(const gen_scenario *sc, const char *path)
{
    gen_output *o = calloc(1, sizeof *o);
    if (!o) {
        fprintf(stderr, "out of memory\n");
        return NULL;
    }
    o->format = sc->format;
    o->path = path;
    if (sc->format == GEN_FMT_PCAPNG) {
        o->ng = fopen(path, "wb");
        if (!o->ng || !ng_header(o, sc)) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            if (o->ng)
                fclose(o->ng);
            free(o);
            return NULL;
        }
        return o;
    }
    o->dead = pcap_open_dead_with_tstamp_precision(gen_link_dlt(sc->link), (int)sc->snaplen,
                                                   PCAP_TSTAMP_PRECISION_MICRO);
    if (!o->dead) {
        fprintf(stderr, "pcap_open_dead failed\n");
        free(o);
        return NULL;
    }
    o->dumper = pcap_dump_open(o->dead, path);
    if (!o->dumper) {
        fprintf(stderr, "%s: %s\n", path, pcap_geterr(o->dead));
        pcap_close(o->dead);
        free(o);
        return NULL;
    }
    return o;
}

bool gen_output_packet(gen_output *o, uint64_t ts_usec, const uint8_t *data, uint32_t caplen,
                       uint32_t len)
{
    if (o->format == GEN_FMT_PCAP) {
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof h);
        h.ts.tv_sec = (time_t)(ts_usec / 1000000);
        h.ts.tv_usec = (suseconds_t)(ts_usec % 1000000);
        h.caplen = caplen;
        h.len = len;
        pcap_dump((u_char *)o->dumper, &h, data);
        return true;
    }
    uint8_t epb[28], trailer[4], pad[4] = {0};
    uint32_t padded = (caplen + 3) & ~3u;
    uint32_t total = (uint32_t)sizeof epb + padded + (uint32_t)sizeof trailer;
    le32(epb, 6);
    le32(epb + 4, total);
    le32(epb + 8, 0);                      /* interface 0 */
    le32(epb + 12, (uint32_t)(ts_usec >> 32));
    le32(epb + 16, (uint32_t)ts_usec);
    le32(epb + 20, caplen);
    le32(epb + 24, len);
    le32(trailer, total);
    return fwrite(epb, sizeof epb, 1, o->ng) == 1 && fwrite(data, 1, caplen, o->ng) == caplen &&
           fwrite(pad, 1, padded - caplen, o->ng) == padded - caplen &&
           fwrite(trailer, sizeof trailer, 1, o->ng) == 1;
}

bool gen_output_close(gen_output *o)
{
    bool ok = true;
    if (o->format == GEN_FMT_PCAP) {
        if (pcap_dump_flush(o->dumper) != 0)
            ok = false;
        pcap_dump_close(o->dumper);
        pcap_close(o->dead);
    } else {
        ok = fflush(o->ng) == 0 && !ferror(o->ng);
        if (fclose(o->ng) != 0)
            ok = false;
    }
    if (!ok)
        fprintf(stderr, "%s: write error\n", o->path);
    free(o);
    return ok;
}
