# Installs the build tree into a fresh prefix, then configures, builds and
# tests the consumer project against it, and checks the pkg-config file.
#   cmake -DBUILD_DIR=... -DPROJECT_DIR=... -DWORK_DIR=... -DC_COMPILER=...
#         [-DPKG_CONFIG=...] -P run_consumer.cmake
foreach(var BUILD_DIR PROJECT_DIR WORK_DIR C_COMPILER)
  if(NOT ${var})
    message(FATAL_ERROR "run_consumer: ${var} is not set")
  endif()
endforeach()

# Only what was installed may be used: no runtime from the build tree.
unset(ENV{MAPSAN_RUNTIME})
unset(ENV{MAPSAN_OPTIONS})
unset(ENV{LD_PRELOAD})
unset(ENV{MAKEFLAGS})

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run_consumer: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_out "${out}${err}" PARENT_SCOPE)
endfunction()

run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
file(GLOB_RECURSE runtime LIST_DIRECTORIES false ${prefix}/*/libmapsan.so)
if(NOT runtime OR NOT EXISTS ${prefix}/bin/mapsan)
  message(FATAL_ERROR "run_consumer: the install lacks bin/mapsan or libmapsan.so")
endif()

run("configure" ${CMAKE_COMMAND} -S ${PROJECT_DIR} -B ${build}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_BUILD_TYPE=Debug)
run("build" ${CMAKE_COMMAND} --build ${build})
run("ctest" ${CMAKE_CTEST_COMMAND} --test-dir ${build} --output-on-failure)
if(NOT run_out MATCHES "100% tests passed, 0 tests failed out of 6")
  message(FATAL_ERROR "run_consumer: expected 6 passing tests:\n${run_out}")
endif()

# The buggy test must fail for the right reason: the launcher's report and
# its exit status, not a missing file.
run("ctest -V" ${CMAKE_CTEST_COMMAND} --test-dir ${build} -V -R "^consumer\\.(buggy|clean)$")
foreach(expect
    "SUMMARY: mapsan: partial-unmap in main [^\n]*buggy.c:18"
    "mapsan: 1 report in 1 process"
    "LD_PRELOAD=${prefix}/[^\n]*libmapsan.so")
  if(NOT run_out MATCHES "${expect}")
    message(FATAL_ERROR "run_consumer: no match for '${expect}' in:\n${run_out}")
  endif()
endforeach()

if(PKG_CONFIG)
  file(GLOB pc_dirs ${prefix}/lib*/pkgconfig ${prefix}/lib/*/pkgconfig)
  list(JOIN pc_dirs ":" pc_path)
  set(ENV{PKG_CONFIG_PATH} "${pc_path}")
  run("pkg-config" ${PKG_CONFIG} --variable=runtime mapsan)
  string(STRIP "${run_out}" pc_runtime)
  get_filename_component(pc_runtime "${pc_runtime}" REALPATH)
  get_filename_component(runtime "${runtime}" REALPATH)
  if(NOT pc_runtime STREQUAL runtime)
    message(FATAL_ERROR "run_consumer: pkg-config runtime '${pc_runtime}', installed '${runtime}'")
  endif()
  run("pkg-config" ${PKG_CONFIG} --variable=launcher mapsan)
  string(STRIP "${run_out}" pc_launcher)
  get_filename_component(pc_launcher "${pc_launcher}" REALPATH)
  get_filename_component(launcher "${prefix}/bin/mapsan" REALPATH)
  if(NOT pc_launcher STREQUAL launcher)
    message(FATAL_ERROR "run_consumer: pkg-config launcher '${pc_launcher}'")
  endif()
  run("pkg-config" ${PKG_CONFIG} --modversion mapsan)
  if(NOT run_out MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+")
    message(FATAL_ERROR "run_consumer: pkg-config version '${run_out}'")
  endif()
endif()
message(STATUS "run_consumer: ok")
