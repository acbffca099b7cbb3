# Installs BUILD_DIR into WORK_DIR/prefix, then builds and runs the consumer
# program in CONSUMER_SOURCE_DIR against that prefix, as BUILD_SYSTEM says:
#   find_package  the consumer's CMake project, with find_package(xcs)
#   pkg_config    the compiler alone, with `pkg-config --cflags --libs xcs`
# Either way the consumer sets no C++ standard: the package must bring it.

# Runs a command and fails with its output unless it succeeds.
function(run_step what)
  execute_process(COMMAND ${ARGN}
    OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
  if(NOT status STREQUAL "0")
    message(FATAL_ERROR "${what} failed (${status}):\n${output}")
  endif()
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

# Checks that a step printed what was expected.
function(expect_output what regex)
  if(NOT step_output MATCHES "${regex}")
    message(FATAL_ERROR "${what} printed, unexpectedly:\n${step_output}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
string(REPLACE "." "\\." version_regex "${VERSION}")
set(consumer_build ${WORK_DIR}/consumer)
file(REMOVE_RECURSE ${WORK_DIR})

run_step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

if(BUILD_SYSTEM STREQUAL "find_package")
  # LLVM and spdlog are private to libxcs: the package must configure,
  # without a warning, with them unfindable.
  run_step("consumer configure" ${CMAKE_COMMAND} --no-warn-unused-cli
    -S ${CONSUMER_SOURCE_DIR} -B ${consumer_build} -G Ninja
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}"
    -DCMAKE_DISABLE_FIND_PACKAGE_LLVM=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON)
  if(step_output MATCHES "CMake (Warning|Deprecation)")
    message(FATAL_ERROR "consumer configure warned:\n${step_output}")
  endif()
  run_step("consumer build" ${CMAKE_COMMAND} --build ${consumer_build})
elseif(BUILD_SYSTEM STREQUAL "pkg_config")
  # Only this prefix's xcs.pc is visible, as after installing XCS alone.
  set(pkg_config ${CMAKE_COMMAND} -E env
    PKG_CONFIG_LIBDIR=${prefix}/${INSTALL_LIBDIR}/pkgconfig ${PKG_CONFIG})
  run_step("pkg-config --modversion" ${pkg_config} --modversion xcs)
  expect_output("pkg-config --modversion" "^${version_regex}\n$")
  run_step("pkg-config --cflags --libs" ${pkg_config} --cflags --libs xcs)
  separate_arguments(flags UNIX_COMMAND "${step_output}")
  # No rpath comes with the flags; the application chooses how to find
  # the library at run time.
  run_step("pkg-config --variable=libdir" ${pkg_config} --variable=libdir xcs)
  string(STRIP "${step_output}" libdir)
  separate_arguments(consumer_flags UNIX_COMMAND "${CONSUMER_FLAGS}")
  file(MAKE_DIRECTORY ${consumer_build})
  run_step("consumer build" ${CXX_COMPILER} ${consumer_flags}
    ${CONSUMER_SOURCE_DIR}/main.cpp ${flags} -Wl,-rpath,${libdir}
    -o ${consumer_build}/consumer)
else()
  message(FATAL_ERROR "unknown BUILD_SYSTEM '${BUILD_SYSTEM}'")
endif()

run_step("consumer run" ${consumer_build}/consumer)
expect_output("the consumer" "^{ *\"y\": *41 *}\nxcs ${version_regex}\n$")

if(BUILD_SYSTEM STREQUAL "find_package")
  # The installed tool finds the installed library by itself.
  run_step("installed xcs-jit-dump" ${prefix}/bin/xcs-jit-dump --example diamond)
  expect_output("the installed xcs-jit-dump" "\"sum\": 28")
endif()
