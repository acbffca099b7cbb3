# Compiles program INDEX of the Markdown page DOC (doc_programs.cmake says
# what a program is) as an application would, against the library built in
# this tree, runs it, and compares what it prints with the page's output
# block, when it has one. Variables:
#   DOC, INDEX      the page and the program's number in it (from 1)
#   WORK_DIR        scratch directory
#   CXX_COMPILER    the compiler
#   CXX_FLAGS       flags an application gets from the package (as in xcs.pc)
#   LIBRARY         libxcs.so

include(${CMAKE_CURRENT_LIST_DIR}/doc_programs.cmake)

file(READ ${DOC} text)
xcs_doc_program(source expected "${text}" ${INDEX})

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(program_source ${WORK_DIR}/program.cpp)
file(WRITE ${program_source} "${source}")

cmake_path(GET LIBRARY PARENT_PATH library_dir)
separate_arguments(flags UNIX_COMMAND "${CXX_FLAGS}")
execute_process(
  COMMAND ${CXX_COMPILER} ${flags} ${program_source} ${LIBRARY}
    -Wl,-rpath,${library_dir} -o ${WORK_DIR}/program
  OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR
    "${DOC}: program ${INDEX} (${program_source}) does not compile:\n"
    "${output}")
endif()

execute_process(COMMAND ${WORK_DIR}/program
  OUTPUT_VARIABLE printed ERROR_VARIABLE errors RESULT_VARIABLE status
  TIMEOUT 120)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "${DOC}: program ${INDEX} failed (${status}):\n"
    "${printed}${errors}")
endif()
if(expected STREQUAL "<none>")
  message(STATUS "${DOC}: program ${INDEX} ran; the page shows no output")
elseif(NOT printed STREQUAL expected)
  message(FATAL_ERROR "${DOC}: program ${INDEX} printed\n${printed}"
    "where the page shows\n${expected}")
endif()
