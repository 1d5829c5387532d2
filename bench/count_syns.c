/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The benchmark's baseline: a bare libpcap read loop that counts TCP
 * segments with SYN set (Ethernet with VLAN tags, SLL2 and raw IP; IPv4 and
 * IPv6 without extension headers).  It does no more than any analyzer must:
 * read every record and find the TCP flags.
 */
#define _DEFAULT_SOURCE /* pcap.h uses the BSD u_char family */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

static const uint8_t *ip_start(int linktype, const uint8_t *p, uint32_t caplen, uint32_t *left)
{
    uint32_t off;
    uint16_t type;
    switch (linktype) {
    case DLT_EN10MB:
        off = 12;
        for (;;) {
            if (caplen < off + 2)
                return NULL;
            type = (uint16_t)(p[off] << 8 | p[off + 1]);
            off += 2;
            if (type != 0x8100 && type != 0x88a8)
                break;
            off += 2;
        }
        break;
    case 276: /* LINKTYPE_LINUX_SLL2 */
        off = 20;
        break;
    case DLT_RAW:
    case 228: /* LINKTYPE_IPV4 */
    case 229: /* LINKTYPE_IPV6 */
        off = 0;
        break;
    default:
        return NULL;
    }
    if (caplen <= off)
        return NULL;
    *left = caplen - off;
    return p + off;
}

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    unsigned long packets = 0, syns = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: count_syns FILE\n");
        return 2;
    }
    pcap_t *pc = pcap_open_offline(argv[1], err);
    if (!pc) {
        fprintf(stderr, "count_syns: %s\n", err);
        return 2;
    }
    int linktype = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const u_char *p;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &p)) == 1) {
        uint32_t left;
        packets++;
        const uint8_t *ip = ip_start(linktype, p, h->caplen, &left);
        if (!ip || left < 1)
            continue;
        uint32_t thl;
        uint8_t proto;
        if ((ip[0] >> 4) == 4) {
            thl = (uint32_t)(ip[0] & 15) * 4;
            if (left < 20)
                continue;
            proto = ip[9];
        } else if ((ip[0] >> 4) == 6) {
            thl = 40;
            if (left < 40)
                continue;
            proto = ip[6];
        } else {
            continue;
        }
        if (proto == 6 && left >= thl + 14 && (ip[thl + 13] & 0x02))
            syns++;
    }
    if (rc == PCAP_ERROR)
        fprintf(stderr, "count_syns: %s\n", pcap_geterr(pc));
    pcap_close(pc);
    printf("%lu packets, %lu SYN segments\n", packets, syns);
    return rc == PCAP_ERROR ? 2 : 0;
}
