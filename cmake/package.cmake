# SPDX-License-Identifier: GPL-2.0-or-later
# CPack: Debian packages, one per install component: enoscope (the analyzer,
# its man page and bash completion), the Wireshark plugin and the engine's
# development files.  `cpack -G DEB` in the build tree (README, "Installing").
set(CPACK_PACKAGE_NAME enoscope)
set(CPACK_PACKAGE_VENDOR "enoscope")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TCP-ENO (RFC 8547) analyzer and Wireshark plugin")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR DEB)
# Packages install under /usr, so the plugin goes to Wireshark's own folder.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "enoscope developers")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_COMPONENTS_ALL dev)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libeno-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DESCRIPTION "TCP-ENO reference negotiation engine (static library, headers, pkg-config file)\n\
The C11 library that decodes and encodes TCP-ENO options and replays a\n\
connection's handshake through models of conformant hosts.")
if(TARGET enoscope)
  list(APPEND CPACK_COMPONENTS_ALL enoscope)
  set(CPACK_DEBIAN_ENOSCOPE_PACKAGE_NAME enoscope)
  if(ENO_ENOSCOPE_DEB_DEPENDS)
    set(CPACK_DEBIAN_ENOSCOPE_PACKAGE_DEPENDS "${ENO_ENOSCOPE_DEB_DEPENDS}")
  endif()
  set(CPACK_COMPONENT_ENOSCOPE_DESCRIPTION "TCP-ENO (RFC 8547) conformance analyzer for pcap and pcapng captures\n\
Follows every TCP handshake and reports the violations of TCP-ENO it finds.")
endif()
if(TARGET enoscope_plugin)
  list(APPEND CPACK_COMPONENTS_ALL plugin)
  set(CPACK_DEBIAN_PLUGIN_PACKAGE_NAME "wireshark-plugin-enoscope")
  set(CPACK_COMPONENT_PLUGIN_DESCRIPTION "TCP-ENO (RFC 8547) dissector plugin for Wireshark ${ENO_WIRESHARK_ABI}\n\
Decodes the TCP-ENO option and shows each connection's negotiation outcome.")
  if(ENO_PLUGIN_DEB_DEPENDS)
    set(CPACK_DEBIAN_PLUGIN_PACKAGE_DEPENDS "${ENO_PLUGIN_DEB_DEPENDS}")
  endif()
  set(CPACK_DEBIAN_PLUGIN_PACKAGE_ENHANCES "wireshark, tshark")
endif()
include(CPack)
