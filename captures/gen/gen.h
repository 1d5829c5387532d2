/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enogen: compiles a readable scenario file (captures/README.md) into a
 * pcap or pcapng capture.  The scenario is parsed whole (it is small), then
 * executed line by line; packets are written as they are built.
 */
#ifndef ENOGEN_GEN_H
#define ENOGEN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GEN_MAX_OPTS 40       /* TCP option space */
#define GEN_MAX_CONNS 256
#define GEN_NAME_MAX 32
#define GEN_MAX_VLAN 2
#define GEN_MAX_PAYLOAD 65000
#define GEN_REPEAT_PORTS 16384 /* client ports per client address in a repeat block */

enum gen_link { GEN_LINK_ETHERNET, GEN_LINK_SLL2, GEN_LINK_RAW };
enum gen_format { GEN_FMT_PCAP, GEN_FMT_PCAPNG };

typedef struct {
    int family;               /* 4 or 6 */
    uint8_t addr[16];         /* IPv4 in the first 4 bytes */
    uint16_t port;
} gen_endpoint;

enum gen_line_kind {
    GEN_SEGMENT, GEN_CONN, GEN_REPEAT, GEN_END, GEN_DIRECTIVE, GEN_TUNNEL, GEN_PATH
};

/* What the path between the two capture points does (a `path` line).  A
 * sits on point 1's side, B on point 2's; a segment passes its sender's
 * point first and the other after the path acted on it. */
#define GEN_MAX_STRIP 8
enum gen_path_what { GEN_PATH_ACTIONS, GEN_PATH_NAT, GEN_PATH_ISN };
typedef struct {
    enum gen_path_what what;
    int sender;               /* ACTIONS: -1 both, 0 A, 1 B; NAT, ISN: the endpoint */
    bool drop, hold, strip_eno, rewrite_eno, replace_eno, add_eno, clamp, ts_shift;
    uint8_t not_at;           /* 0, or the point (1, 2) that does not capture it */
    uint8_t eno[GEN_MAX_OPTS]; /* rewrite, add: contents; replace: the whole option */
    size_t eno_len;
    uint8_t strip[GEN_MAX_STRIP]; /* option kinds replaced by NOPs */
    size_t n_strip;
    uint16_t mss;
    int32_t ts_delta;
    uint32_t seq_shift, ack_shift; /* added to this segment's numbers */
    uint16_t ipid_shift;      /* added to the IPv4 identification */
    uint8_t payload[GEN_MAX_OPTS]; /* written over the payload's first bytes */
    size_t payload_len;
    gen_endpoint nat;         /* NAT: the endpoint as the far point sees it */
    uint32_t isn_delta;       /* ISN: added at point 2 */
} gen_path;

/* Encapsulations of the segments that follow a `tunnel` line. */
enum gen_tunnel {
    GEN_TUN_NONE, GEN_TUN_GRE, GEN_TUN_GRE_KEY, GEN_TUN_GRE_SEQ, GEN_TUN_GRE_CSUM,
    GEN_TUN_GRE_TEB, GEN_TUN_ERSPAN2, GEN_TUN_ERSPAN3, GEN_TUN_VXLAN, GEN_TUN_GENEVE,
    GEN_TUN_IPIP, GEN_TUN_MPLS, GEN_TUN_PPPOE,
};

/* A relative or absolute sequence/ack value: "+N" is relative to an ISN. */
typedef struct {
    bool set, relative;
    uint32_t value;
} gen_num;

typedef struct {
    int line;                 /* 1-based line number in the scenario */
    enum gen_line_kind kind;

    /* GEN_SEGMENT */
    int sender;               /* 0 = A, 1 = B */
    uint8_t flags;            /* TCP flags byte */
    gen_num seq, ack;
    bool has_isn;
    uint32_t isn;
    uint16_t window;
    uint8_t opts[GEN_MAX_OPTS];
    size_t opts_len;          /* padded to a multiple of 4 */
    int ts_auto_off;          /* offset of an automatic timestamps option, -1 none */
    uint8_t *payload;         /* NULL with payload_len > 0: filler pattern */
    uint32_t payload_len;
    bool has_tcpsum, has_ipsum, has_iplen, has_caplen, has_urg, has_window;
    uint16_t tcpsum, ipsum, iplen, urg;
    uint32_t caplen;

    /* GEN_CONN */
    char name[GEN_NAME_MAX];
    bool define;              /* addresses given: (re)define the connection */
    gen_endpoint ep[2];
    uint32_t isn_def[2];

    /* GEN_TUNNEL */
    enum gen_tunnel tunnel;
    uint32_t tunnel_id;

    /* GEN_PATH */
    gen_path path;

    /* GEN_REPEAT */
    uint32_t count;
    size_t end_index;         /* index of the matching GEN_END line */
} gen_line;

typedef struct {
    const char *path;
    enum gen_format format;
    enum gen_link link;
    unsigned n_vlan;
    uint16_t vlan[GEN_MAX_VLAN]; /* outermost first */
    int vlan_line;
    uint32_t snaplen;
    uint32_t time_base;       /* seconds of line 0 */
    uint32_t tick_usec;       /* time per scenario line, microseconds */
    bool two_points;          /* path lines: there is a point 2 */
    uint32_t path_delay;      /* microseconds from one point to the other */
    int path_delay_line;
    int64_t path_clock;       /* point 2's clock minus point 1's, microseconds */
    size_t n_lines;
    gen_line *lines;
} gen_scenario;

/* parse.c: reads path into sc; on error prints "path:line: message" and
 * returns false. */
bool gen_parse(const char *path, gen_scenario *sc);
void gen_scenario_free(gen_scenario *sc);

/* tcpip.c: builds an IPv4 or IPv6 packet carrying one TCP segment. */
typedef struct {
    const gen_endpoint *src, *dst;
    uint8_t flags;
    uint32_t seq, ack;
    uint16_t window, urg, ip_id;
    const uint8_t *opts;
    size_t opts_len;
    const uint8_t *payload;   /* NULL: filler pattern */
    uint32_t payload_len;
    bool has_tcpsum, has_ipsum, has_iplen;
    uint16_t tcpsum, ipsum, iplen;
} gen_tcp_params;

/* Returns the packet length written to out (room: 60 + 40 + payload). */
size_t gen_build_ip_tcp(const gen_tcp_params *p, uint8_t *out);

/* link.c: writes the link-layer header for a packet from endpoint `sender`
 * (0 = A, 1 = B); returns its length. */
size_t gen_link_header(const gen_scenario *sc, int sender, int family, uint8_t *out);
int gen_link_linktype(enum gen_link link);   /* LINKTYPE_* value */
int gen_link_dlt(enum gen_link link);        /* libpcap DLT_* value */

/* tunnel.c: parses `tunnel KIND [ID]` into l; wraps the IP packet ip
 * (ip_len bytes, of family 4 or 6) from endpoint sender in the tunnel's
 * headers, Ethernet first; returns the frame length written to out (room:
 * 128 bytes more than the packet).  seq counts the tunnel's packets. */
bool gen_parse_tunnel(const char *path, gen_line *l, char **tok, int nt);
size_t gen_tunnel_frame(enum gen_tunnel t, uint32_t id, uint32_t seq, int sender, int family,
                        const uint8_t *ip, size_t ip_len, uint8_t *out);

/* output.c: pcap (libpcap) or pcapng (written here). */
typedef struct gen_output gen_output;
gen_output *gen_output_open(const gen_scenario *sc, const char *path);
bool gen_output_packet(gen_output *o, uint64_t ts_usec, const uint8_t *data, uint32_t caplen,
                       uint32_t len);
bool gen_output_close(gen_output *o);

/* path.c: parses a `path` line (file settings go to sc); rewrites the
 * option list in[0..n) as the path does to a segment (syn: it has SYN),
 * into out (room GEN_MAX_OPTS); returns the new length, -1 when it passes
 * 40 bytes.  Overwrites the payload's first bytes as the path does. */
bool gen_parse_path(const char *path, gen_scenario *sc, gen_line *l, char **tok, int nt);
int gen_path_options(const gen_path *a, const uint8_t *in, size_t n, uint8_t *out);
void gen_path_payload(const gen_path *a, uint8_t *payload, uint32_t len);

/* run.c: executes the scenario; repeat_override > 0 replaces every repeat
 * block's count.  out2_path: point 2's capture (path lines), or NULL. */
bool gen_run(const gen_scenario *sc, const char *out_path, const char *out2_path,
             long repeat_override);

#endif
