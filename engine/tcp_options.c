/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Walking a TCP option list as a receiver would, for the ENO options and
 * the options that matter beside them (TCP Fast Open, other experiments). */
#include <string.h>

#include "eno/engine.h"
#include "eno/option.h"

void eno_tcp_options_scan(const uint8_t *opts, size_t len, eno_tcp_options *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (opts && i < len) {
        uint8_t kind = opts[i];
        if (kind == ENO_TCP_OPT_EOL)
            break;
        if (kind == ENO_TCP_OPT_NOP) {
            i++;
            continue;
        }
        /* Most options are neither ENO nor an experiment: the kind alone
         * says so. */
        bool maybe_eno = kind == ENO_KIND || kind == ENO_KIND_EXP1 || kind == ENO_KIND_EXP2;
        if (maybe_eno && eno_option_is_eno(opts + i, len - i)) {
            out->eno_count++;
            if (out->eno_count == 1) {
                out->eno = opts + i;
                out->eno_avail = len - i;
            } else if (out->eno_count == 2) {
                out->second_offset = i;
            }
        } else if (kind == ENO_KIND_TFO && i + 1 < len && opts[i + 1] >= 2) {
            if (!out->tfo)
                out->tfo = opts + i;
        } else if ((kind == ENO_KIND_EXP1 || kind == ENO_KIND_EXP2) && i + 3 < len &&
                   opts[i + 1] >= 4) {
            uint16_t exid = (uint16_t)(opts[i + 2] << 8 | opts[i + 3]);
            if (exid == ENO_EXID_TFO && !out->tfo)
                out->tfo = opts + i;
            if (!out->other_exid)
                out->other_exid = exid;
        }
        if (i + 1 >= len || opts[i + 1] < 2 || opts[i + 1] > len - i) {
            out->walk_stopped = true;
            break;
        }
        i += opts[i + 1];
    }
}

void eno_segment_set_options(eno_segment *seg, const uint8_t *opts, size_t len, bool truncated)
{
    eno_tcp_options sc;
    eno_tcp_options_scan(opts, len, &sc);
    seg->eno = sc.eno;
    seg->eno_avail = sc.eno_avail;
    seg->eno_count = sc.eno_count;
    seg->options_truncated = truncated;
    seg->tfo_kind = sc.tfo ? sc.tfo[0] : 0;
    seg->tfo_len = sc.tfo ? sc.tfo[1] : 0;
    seg->other_exid = sc.other_exid;
}
