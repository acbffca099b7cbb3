# Installs BUILD_DIR into WORK_DIR/prefix, then configures, builds and runs
# the consumer project in CONSUMER_SOURCE_DIR against that prefix.

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
set(consumer_build ${WORK_DIR}/consumer)
file(REMOVE_RECURSE ${WORK_DIR})

run_step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# LLVM and spdlog are private to libxcs: the package must configure, without
# a warning, with them unfindable.
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

run_step("consumer run" ${consumer_build}/consumer)
expect_output("the consumer" "^{ *\"y\": *41 *}\n$")
# The installed tool finds the installed library by itself.
run_step("installed xcs-jit-dump" ${prefix}/bin/xcs-jit-dump --example diamond)
expect_output("the installed xcs-jit-dump" "\"sum\": 28")
