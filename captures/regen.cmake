# SPDX-License-Identifier: GPL-2.0-or-later
# cmake -DENOGEN=path/to/enogen -DCAPTURES=captures-dir -P regen.cmake
# Rewrites NAME.pcap or NAME.pcapng (per the scenario's format) beside each
# NAME.scn, removing a stale file of the other format.
file(GLOB_RECURSE scenarios ${CAPTURES}/*.scn)
foreach(scn IN LISTS scenarios)
  get_filename_component(dir ${scn} DIRECTORY)
  get_filename_component(name ${scn} NAME_WE)
  string(REGEX REPLACE "\\.scn$" "" stem ${scn})
  file(REMOVE ${stem}.pcap ${stem}.pcapng)
  execute_process(COMMAND ${ENOGEN} -d ${dir} ${scn} RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "enogen failed on ${scn}")
  endif()
endforeach()
