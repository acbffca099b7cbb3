# xcs_add_filecheck_test(<name> COMMAND <cmd> <args>...
#                        CHECK_FILE <file> [CHECK_PREFIX <prefix>]
#                        [EXPECT_FAIL])
#
# A ctest test that runs the command, checks its exit status (0, or with
# EXPECT_FAIL a non-zero status that is not a crash) and matches its stdout
# and stderr, merged, against CHECK_FILE with FileCheck. CHECK_PREFIX lets
# several tests share one check file. The command may use generator
# expressions; its arguments must not contain ';' (they travel as a CMake
# list).
set(XCS_RUN_FILECHECK ${CMAKE_CURRENT_LIST_DIR}/XcsRunFileCheck.cmake)

function(xcs_add_filecheck_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "EXPECT_FAIL" "CHECK_FILE;CHECK_PREFIX"
                        "COMMAND")
  if(NOT arg_COMMAND OR NOT arg_CHECK_FILE)
    message(FATAL_ERROR "xcs_add_filecheck_test(${name}): COMMAND and CHECK_FILE are required")
  endif()
  if(NOT arg_CHECK_PREFIX)
    set(arg_CHECK_PREFIX CHECK)
  endif()
  cmake_path(ABSOLUTE_PATH arg_CHECK_FILE)
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND}
      "-DTEST_COMMAND=${arg_COMMAND}"
      -DCHECK_FILE=${arg_CHECK_FILE}
      -DCHECK_PREFIX=${arg_CHECK_PREFIX}
      -DEXPECT_FAIL=${arg_EXPECT_FAIL}
      -DFILECHECK=${XCS_FILECHECK}
      -DOUTPUT_FILE=${CMAKE_CURRENT_BINARY_DIR}/${name}.out
      -P ${XCS_RUN_FILECHECK})
endfunction()
