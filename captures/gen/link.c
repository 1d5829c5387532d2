/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Link-layer headers: Ethernet (with 802.1Q / 802.1ad tags), Linux cooked
 * capture v2 (SLL2), raw IP. */
#include <pcap/pcap.h>
#include <string.h>

#include "gen.h"

#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
#define LINKTYPE_LINUX_SLL2 276

/* Locally administered MAC addresses: 02:00:00:00:00:0a for A, ..:0b for B. */
static void mac_of(int sender, uint8_t *out)
{
    static const uint8_t base[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
    memcpy(out, base, 6);
    out[5] = (uint8_t)(0x0a + sender);
}

size_t gen_link_header(const gen_scenario *sc, int sender, int family, uint8_t *out)
{
    const uint16_t ethertype = family == 6 ? 0x86dd : 0x0800;
    size_t n = 0;

    switch (sc->link) {
    case GEN_LINK_ETHERNET:
        mac_of(!sender, out);
        mac_of(sender, out + 6);
        n = 12;
        for (unsigned i = 0; i < sc->n_vlan; i++) {
            /* With two tags the outer one is an 802.1ad service tag. */
            uint16_t tpid = (sc->n_vlan > 1 && i == 0) ? 0x88a8 : 0x8100;
            out[n++] = (uint8_t)(tpid >> 8);
            out[n++] = (uint8_t)tpid;
            out[n++] = (uint8_t)(sc->vlan[i] >> 8);
            out[n++] = (uint8_t)sc->vlan[i];
        }
        out[n++] = (uint8_t)(ethertype >> 8);
        out[n++] = (uint8_t)ethertype;
        return n;
    case GEN_LINK_SLL2:
        /* Recorded on host A: A's packets are outgoing, B's are to us. */
        memset(out, 0, 20);
        out[0] = (uint8_t)(ethertype >> 8);
        out[1] = (uint8_t)ethertype;
        out[7] = 2;        /* interface index */
        out[9] = 1;        /* ARPHRD_ETHER */
        out[10] = sender == 0 ? 4 : 0; /* PACKET_OUTGOING / PACKET_HOST */
        out[11] = 6;       /* address length */
        mac_of(sender, out + 12);
        return 20;
    case GEN_LINK_RAW:
        return 0;
    }
    return 0;
}

int gen_link_linktype(enum gen_link link)
{
    switch (link) {
    case GEN_LINK_SLL2:
        return LINKTYPE_LINUX_SLL2;
    case GEN_LINK_RAW:
        return LINKTYPE_RAW;
    default:
        return LINKTYPE_ETHERNET;
    }
}

int gen_link_dlt(enum gen_link link)
{
    switch (link) {
    case GEN_LINK_SLL2:
        return DLT_LINUX_SLL2;
    case GEN_LINK_RAW:
        return DLT_RAW;
    default:
        return DLT_EN10MB;
    }
}
