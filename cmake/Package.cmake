# cmake --install: the runtime, the launcher, mapsan-interp, a CMake package
# (find_package(mapsan)) and a pkg-config file.
include(CMakePackageConfigHelpers)

foreach(target mapsan mapsan-launcher mapsan-interp)
  if(TARGET ${target})
    install(TARGETS ${target}
      RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
      LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  endif()
endforeach()

set(MAPSAN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mapsan)
configure_package_config_file(cmake/mapsanConfig.cmake.in
  ${CMAKE_BINARY_DIR}/mapsanConfig.cmake
  INSTALL_DESTINATION ${MAPSAN_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/mapsanConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/mapsanConfig.cmake ${CMAKE_BINARY_DIR}/mapsanConfigVersion.cmake
  DESTINATION ${MAPSAN_CMAKE_DIR})

# The prefix is found from the .pc file's own place, so that
# `cmake --install build --prefix DIR` gives a file that is right in DIR.
file(RELATIVE_PATH MAPSAN_PC_TO_PREFIX
  ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" MAPSAN_PC_TO_PREFIX "${MAPSAN_PC_TO_PREFIX}")
configure_file(cmake/mapsan.pc.in ${CMAKE_BINARY_DIR}/mapsan.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/mapsan.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
