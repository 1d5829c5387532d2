/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How the analysis sees every TCP segment without a protocol tree.
 *
 * A post-dissector could read TCP's fields only by asking for them (wanted
 * hfids), which makes Wireshark build a full protocol tree for every
 * packet, at a cost bench/README.md gives.  TCP exports nothing else that is
 * there for every segment while the frame is dissected (its tap data only
 * reaches tap listeners after the frame).  Instead, the handle that IP's
 * "ip.proto" table has for TCP (6) is wrapped: the wrapper hands the TCP
 * header to the analysis (eno_conn_segment), while pinfo's addresses are
 * still IP's, and then calls the original TCP handle with the same tvb,
 * tree and data, so TCP dissects exactly as before.  The analysis feeds
 * the segment to the engine in its post-dissector, which Wireshark runs
 * even after an exception in TCP or a protocol above it, so that what the
 * engine is fed does not depend on them.
 *
 * The wrapper's handle carries TCP's protocol, so that the table checks
 * TCP's enabled state (TCP disabled: IP shows data, as before) and adds the
 * "tcp" layer once; the original handle is then called through a private
 * table ("enoscope.tcp") without adding a layer again: call_dissector_only()
 * would add a second "tcp" to frame.protocols.  Two handles of one
 * protocol in a Decode As table need different descriptions: Decode As
 * lists both for "IP protocol", and choosing plain "TCP" there turns the
 * analysis off for that protocol number; tshark -d ip.proto==N,tcp finds
 * both, says so, and takes this one.
 */
#include <wsutil/wslog.h>

#include "eno_plugin.h"

#define IP_PROTO_TCP 6

static dissector_table_t wrapped; /* private: IP_PROTO_TCP -> TCP's handle */
static int proto_tcp = -1;

/* The outermost TCP header of the frame.  Called through the table, the
 * wrapper's handle has added a "tcp" layer, which Wireshark numbers per
 * protocol: 1 for the first TCP header of the frame (a later one is TCP
 * carried in a tunnel over TCP).  Called without that layer, it cannot
 * tell, and takes the header. */
static gboolean first_tcp_header(packet_info *pinfo)
{
    wmem_list_frame_t *last = wmem_list_tail(pinfo->layers);
    if (last && GPOINTER_TO_INT(wmem_list_frame_data(last)) == proto_tcp)
        return pinfo->curr_proto_layer_num == 1;
    return TRUE;
}

static int dissect_tcp_with_eno(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    gboolean first = first_tcp_header(pinfo);
    /* A header quoted by ICMP is not part of its connection. */
    if (!pinfo->flags.in_error_pkt && first)
        eno_conn_segment(tvb, pinfo, tree);
    eno_option_segment outer = eno_option_segment_begin(pinfo, first);
    /* An exception in TCP skips the end: the segment stays open until the
     * next hooked header or frame, and only its own frame can use it. */
    int r = dissector_try_uint_with_data(wrapped, IP_PROTO_TCP, tvb, pinfo, tree, FALSE, data);
    eno_option_segment_end(outer);
    return r;
}

void eno_tcp_hook_register(void)
{
    wrapped = register_dissector_table("enoscope.tcp", "TCP under the TCP-ENO analysis",
                                       proto_eno_analysis, FT_UINT8, BASE_DEC);
}

void eno_tcp_hook_handoff(void)
{
    /* Plugin handoffs run after the built-in ones: TCP is registered. */
    dissector_table_t ip = find_dissector_table("ip.proto");
    dissector_handle_t tcp = ip ? dissector_get_uint_handle(ip, IP_PROTO_TCP) : NULL;
    if (!tcp) {
        ws_warning("no TCP dissector in ip.proto: the TCP-ENO connection analysis is off");
        return;
    }
    proto_tcp = dissector_handle_get_protocol_index(tcp);
    dissector_add_uint("enoscope.tcp", IP_PROTO_TCP, tcp);
    dissector_add_uint("ip.proto", IP_PROTO_TCP,
                       create_dissector_handle_with_name_and_description(
                           dissect_tcp_with_eno, proto_tcp, "tcp_eno",
                           "TCP with TCP-ENO analysis"));
}
