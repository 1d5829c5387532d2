# SPDX-License-Identifier: GPL-2.0-or-later
# enogen must reject SCENARIO with exit status 1 and a "path:line: message"
# diagnostic (a crash or a sanitizer report gives another status).
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${ENOGEN} -o ${OUT}/out.pcap ${SCENARIO}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit status 1, got ${rc}: ${err}")
endif()
if(NOT err MATCHES "\\.scn:[0-9]+: [a-zA-Z]")
  message(FATAL_ERROR "no file:line diagnostic: ${err}")
endif()
