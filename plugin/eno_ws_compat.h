/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The differences between the Wireshark versions the plugin builds for:
 * 4.0 (Debian 12), 4.4 (Debian 13) and 4.6 (Debian unstable).
 *
 * The plugin is written against the newest API; for an older Wireshark this
 * header supplies the newer names on top of the old functions.  Newer
 * Wireshark releases mark the old names deprecated (a warning, an error with
 * -Werror) or drop them, so the old names must not be used directly.
 * Each threshold is the first of the three versions that has the new name.
 */
#ifndef ENO_WS_COMPAT_H
#define ENO_WS_COMPAT_H

#include <ws_version.h>

#include <epan/packet.h>
#include <epan/tvbuff.h>
#include <wsutil/pint.h>

#define ENO_WS_AT_LEAST(major, minor)                                                     \
    (WIRESHARK_VERSION_MAJOR > (major) ||                                                 \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* 4.4 renamed the GLib-typed getters (tvb_get_guint8 is deprecated there). */
#if !ENO_WS_AT_LEAST(4, 4)
#define tvb_get_uint8(tvb, offset) tvb_get_guint8((tvb), (offset))
#endif

/* 4.4 lets a plugin say what it holds (plugin_describe, wsutil/plugins.h);
 * without it Wireshark lists the plugin's type as "unknown". */
#if ENO_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define ENO_WS_HAS_PLUGIN_DESCRIBE 1
#else
#define ENO_WS_HAS_PLUGIN_DESCRIBE 0
#endif

/* 4.6 renamed the unsigned big-endian readers (pntoh16 and pntoh32 are gone)
 * and deprecated dissector_try_uint_new for dissector_try_uint_with_data,
 * which takes the same arguments. */
#if !ENO_WS_AT_LEAST(4, 6)
#define pntohu16(p) pntoh16(p)
#define pntohu32(p) pntoh32(p)
#define dissector_try_uint_with_data(table, value, tvb, pinfo, tree, add_proto_name, data)   \
    dissector_try_uint_new((table), (value), (tvb), (pinfo), (tree), (add_proto_name), (data))
#endif

/* 4.6: a statistic's init callback (stat_tap_ui.tap_init_cb) returns
 * whether it started; before, it returned nothing.  Declared with
 * eno_tap_init_result, it ends with ENO_TAP_INIT_STARTED. */
#if ENO_WS_AT_LEAST(4, 6)
typedef bool eno_tap_init_result;
#define ENO_TAP_INIT_STARTED return true
#else
typedef void eno_tap_init_result;
#define ENO_TAP_INIT_STARTED return
#endif

#endif
