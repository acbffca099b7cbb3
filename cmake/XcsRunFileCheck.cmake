# Script behind xcs_add_filecheck_test (cmake/XcsFileCheck.cmake): runs
# TEST_COMMAND, checks its exit status against EXPECT_FAIL, and matches its
# merged output against CHECK_FILE. The output stays in OUTPUT_FILE for
# inspection.

execute_process(COMMAND ${TEST_COMMAND}
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output
  RESULT_VARIABLE status)
file(WRITE ${OUTPUT_FILE} "${output}")

list(JOIN TEST_COMMAND " " command_line)
# A crash reports a text such as "Segmentation fault", never a number: an
# expected failure must be a clean, non-zero exit.
if(EXPECT_FAIL AND NOT (status MATCHES "^[0-9]+$" AND status GREATER 0))
  message(FATAL_ERROR "expected a clean failure, got '${status}' from: ${command_line}\n${output}")
endif()
if(NOT EXPECT_FAIL AND NOT status STREQUAL "0")
  message(FATAL_ERROR "exit status '${status}' from: ${command_line}\n${output}")
endif()

execute_process(COMMAND ${FILECHECK} ${CHECK_FILE}
    --check-prefix=${CHECK_PREFIX} --input-file=${OUTPUT_FILE}
  RESULT_VARIABLE check_status)
if(NOT check_status STREQUAL "0")
  message(FATAL_ERROR "FileCheck failed on the output of: ${command_line}")
endif()
