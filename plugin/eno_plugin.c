/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plugin entry points for Wireshark's plugin loader. */
#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>

#include "eno_plugin.h"

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = ENO_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = ENO_WS_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = ENO_WS_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

#if ENO_WS_HAS_PLUGIN_DESCRIBE
/* What the plugin holds, for Wireshark's plugin list (Help > About >
 * Plugins, tshark -G plugins); Wireshark 4.0 has no such entry point. */
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

static void register_protoinfo(void)
{
    eno_register_fields();
    eno_register_experts();
    eno_conn_register();
    eno_tcp_hook_register();
}

static void register_handoff(void)
{
    eno_option_handoff();
    eno_tcp_hook_handoff();
}

void plugin_register(void)
{
    static proto_plugin plug;
    static tap_plugin tap;

    plug.register_protoinfo = register_protoinfo;
    plug.register_handoff = register_handoff;
    proto_register_plugin(&plug);

    tap.register_tap_listener = eno_stats_register;
    tap_register_plugin(&tap);
}
