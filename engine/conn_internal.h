/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the engine's connection files; not public. */
#ifndef ENO_CONN_INTERNAL_H
#define ENO_CONN_INTERNAL_H

#include <stdbool.h>

#include "eno/engine.h"

bool eno_record_same_option(const eno_seg_record *x, const eno_seg_record *y);
/* Both SYN exchanges (SYN-only and SYN-ACK, or both pairs) were seen. */
bool eno_handshake_seen(const eno_conn *c);
/* No SYN or SYN-ACK of the connection carried an ENO option. */
bool eno_conn_no_eno_at_all(const eno_conn *c);

#endif
