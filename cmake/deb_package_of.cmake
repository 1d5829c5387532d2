# SPDX-License-Identifier: GPL-2.0-or-later
# eno_deb_package_of(OUT TARGET): the Debian package that holds the shared
# library of the imported TARGET (dpkg-query --search on its file), or, where
# dpkg cannot say, the name Debian gives a library package from its soname
# (libwiretap.so.13 -> libwiretap13); empty when neither is known.
function(eno_deb_package_of out target)
  get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
  list(GET configs 0 config)
  get_target_property(soname ${target} IMPORTED_SONAME_${config})
  get_target_property(location ${target} IMPORTED_LOCATION_${config})
  set(package "")
  find_program(ENO_DPKG_QUERY dpkg-query)
  if(ENO_DPKG_QUERY AND location)
    get_filename_component(real "${location}" REALPATH)
    execute_process(COMMAND ${ENO_DPKG_QUERY} --search "${real}"
                    OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND owner MATCHES "^([^:, ]+)")
      set(package "${CMAKE_MATCH_1}")
    endif()
  endif()
  if(package STREQUAL "" AND soname MATCHES "^(lib[a-z]+)\\.so\\.([0-9]+)$")
    set(package "${CMAKE_MATCH_1}${CMAKE_MATCH_2}")
  endif()
  set(${out} "${package}" PARENT_SCOPE)
endfunction()
