# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the enoscope component into PREFIX and checks what landed there.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --component enoscope
                        --prefix ${PREFIX}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
foreach(f IN ITEMS ${BINDIR}/enoscope ${MANDIR}/man1/enoscope.1)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${PREFIX}/${f}")
  endif()
endforeach()
file(READ ${PREFIX}/${MANDIR}/man1/enoscope.1 man)
if(NOT man MATCHES "\\.TH ENOSCOPE 1" OR NOT man MATCHES "fail\\\\-on")
  message(FATAL_ERROR "the installed man page is not enoscope's")
endif()
execute_process(COMMAND ${PREFIX}/${BINDIR}/enoscope --version
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^enoscope ${VERSION} ")
  message(FATAL_ERROR "installed enoscope --version: ${rc} ${out}")
endif()
