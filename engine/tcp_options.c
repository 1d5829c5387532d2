/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Walking a TCP option list to find ENO options, as a receiver would. */
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
        if (eno_option_is_eno(opts + i, len - i)) {
            out->eno_count++;
            if (out->eno_count == 1) {
                out->eno = opts + i;
                out->eno_avail = len - i;
            } else if (out->eno_count == 2) {
                out->second_offset = i;
            }
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
}
