/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live capture, with tcpdump's habits: the whole packet (snapshot length
 * 262144), promiscuous mode, the filter run in the kernel, packets handed
 * over at once (immediate mode).  The read times out now and then so that
 * a signal's pcap_breakloop is seen; the capture clock keeps running in
 * the pipeline's ticker while the link is quiet.
 */
#include <string.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "diag.h"
#include "input_live.h"
#include "pipeline.h"
#include "reader.h"
#include "stop.h"
#include "track.h"

#define SNAPLEN 262144
#define TIMEOUT_MS 200

static void start_fault(pcap_t *p, const char *dev, int rc)
{
    switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
        diag(dev, DIAG_ERROR, "no permission to capture on this interface: run enoscope as root, "
                          "or give it the capabilities CAP_NET_RAW and CAP_NET_ADMIN "
                          "(setcap cap_net_raw,cap_net_admin=eip) (%s)", pcap_geterr(p));
        break;
    case PCAP_ERROR_NO_SUCH_DEVICE:
        diag(dev, DIAG_ERROR, "no such interface (%s)", pcap_geterr(p));
        break;
    case PCAP_ERROR_IFACE_NOT_UP:
        diag(dev, DIAG_ERROR, "the interface is not up");
        break;
    default:
        diag(dev, DIAG_ERROR, "cannot capture: %s", pcap_geterr(p));
    }
}

bool input_live_run(const check_options *opt, report *rp, scan_stats *st, bool *usage)
{
    const char *dev = opt->interface;
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    *usage = false;
    pcap_t *p = pcap_create(dev, errbuf);
    if (!p) {
        diag(dev, DIAG_ERROR, "cannot capture: %s", errbuf);
        return false;
    }
    /* These fail only on an activated handle; checked all the same. */
    if (pcap_set_snaplen(p, SNAPLEN) != 0 || pcap_set_promisc(p, 1) != 0 ||
        pcap_set_timeout(p, TIMEOUT_MS) != 0 || pcap_set_immediate_mode(p, 1) != 0) {
        diag(dev, DIAG_ERROR, "cannot set up the capture: %s", pcap_geterr(p));
        pcap_close(p);
        return false;
    }
    int rc = pcap_activate(p);
    if (rc < 0) {
        start_fault(p, dev, rc);
        pcap_close(p);
        return false;
    }
    if (rc > 0)
        diag(dev, DIAG_WARNING, "%s", pcap_geterr(p));
    int dlt = pcap_datalink(p);
    if (opt->filter) {
        struct bpf_program prog;
        if (pcap_compile(p, &prog, opt->filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
            pcap_setfilter(p, &prog) != 0) {
            diag(dev, DIAG_ERROR, "invalid filter expression \"%s\": %s", opt->filter,
                 pcap_geterr(p));
            pcap_close(p);
            *usage = true;
            return false;
        }
        pcap_freecode(&prog);
    }
    if (!decode_link_supported(dlt)) {
        const char *name = pcap_datalink_val_to_name(dlt);
        diag(dev, DIAG_WARNING, "link type %d (%s) is not supported; its "
                        "frames are skipped", dlt, name ? name : "unknown");
    }
    /* As tcpdump says where it listens (on stderr, output stays clean). */
    fprintf(stderr, "enoscope: listening on %s, link type %s, snapshot length %d bytes\n",
            dev, pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "unknown",
            SNAPLEN);
    st->files++;
    scan_stats *tally = scan_stats_new_aligned();
    track *t = track_new(dev, opt->max_connections, opt->idle_usec, reader_sink_report, rp, tally);
    pipeline *pl = pipeline_start(t, tally, true);
    stop_set_live(p);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint32_t frame = 0;
    guint64 packets = 0, unsupported = 0;
    while (!stop_requested() && (opt->count == 0 || packets < opt->count) &&
           (rc = pcap_next_ex(p, &hdr, &data)) >= 0) {
        if (rc == 0)
            continue;               /* the timeout: look at the stop flag */
        frame++;
        packets++;
        if (!decode_link_supported(dlt)) {
            unsupported++;
            continue;
        }
        size_t caplen = hdr->caplen < hdr->len ? hdr->caplen : hdr->len;
        pipeline_push(pl, dlt, frame, reader_stamp_usec(&hdr->ts), data, caplen, hdr->len);
    }
    stop_set_live(NULL);
    bool ok = rc >= 0 || rc == PCAP_ERROR_BREAK || stop_requested();
    if (!ok)
        diag(dev, DIAG_ERROR, "the capture failed after frame %u: %s", frame, pcap_geterr(p));
    struct pcap_stat ps;
    if (pcap_stats(p, &ps) == 0 && ps.ps_drop)
        diag(dev, DIAG_WARNING, "%u packets dropped by the kernel", ps.ps_drop);
    pipeline_finish(pl);
    track_finish(t);
    track_free(t);
    st->packets += packets;
    st->unsupported_link += unsupported;
    scan_stats_add(st, tally);
    scan_stats_free_aligned(tally);
    pcap_close(p);
    return ok;
}
