# Every dependency is a Debian package; a missing one stops configure with
# one line naming the package to install.
find_package(PkgConfig QUIET)

function(mapsan_require_lib var lib header package)
  find_library(${var}_LIBRARY NAMES ${lib})
  find_path(${var}_INCLUDE_DIR NAMES ${header} PATH_SUFFIXES ${ARGN})
  if(NOT ${var}_LIBRARY OR NOT ${var}_INCLUDE_DIR)
    message(FATAL_ERROR "mapsan: ${lib} not found: install the Debian package ${package} (apt-get install ${package})")
  endif()
  add_library(mapsan_dep_${lib} INTERFACE IMPORTED GLOBAL)
  set_target_properties(mapsan_dep_${lib} PROPERTIES
    INTERFACE_LINK_LIBRARIES "${${var}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${var}_INCLUDE_DIR}")
endfunction()

mapsan_require_lib(FFI ffi ffi.h libffi-dev)
mapsan_require_lib(UNWIND unwind libunwind.h libunwind-dev)
if(MAPSAN_TESTS)
  mapsan_require_lib(CRITERION criterion criterion/criterion.h libcriterion-dev)
endif()
