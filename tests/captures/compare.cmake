# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates SCENARIO into OUT/ and compares it with the committed capture.
get_filename_component(dir ${SCENARIO} DIRECTORY)
get_filename_component(name ${SCENARIO} NAME_WE)
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${ENOGEN} -d ${OUT} ${SCENARIO} RESULT_VARIABLE rc
                OUTPUT_VARIABLE produced OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "enogen failed on ${SCENARIO}")
endif()
get_filename_component(file ${produced} NAME)
if(NOT EXISTS ${dir}/${file})
  message(FATAL_ERROR "${dir}/${file} is not committed (run the regen-captures target)")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${produced} ${dir}/${file}
                RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "${dir}/${file} differs from what ${SCENARIO} produces "
                      "(run the regen-captures target)")
endif()
# Generating twice gives the same bytes (no clock, no randomness).
execute_process(COMMAND ${ENOGEN} -o ${OUT}/again ${SCENARIO} RESULT_VARIABLE rc)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${produced} ${OUT}/again
                RESULT_VARIABLE diff)
if(NOT rc EQUAL 0 OR NOT diff EQUAL 0)
  message(FATAL_ERROR "a second run of enogen on ${SCENARIO} gave different bytes")
endif()
