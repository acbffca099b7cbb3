# The reader of doc_programs.cmake on inputs/page.md: programs found, their
# sources and outputs extracted exactly, fragments and unmarked blocks left
# alone.

include(${CMAKE_CURRENT_LIST_DIR}/doc_programs.cmake)
file(READ ${CMAKE_CURRENT_LIST_DIR}/inputs/page.md text)

function(expect what actual expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${what}: got\n[${actual}]\nexpected\n[${expected}]")
  endif()
endfunction()

xcs_doc_program_count(count "${text}")
expect("the number of programs" "${count}" 2)

xcs_doc_program(source output "${text}" 1)
expect("program 1" "${source}" "int main() { return 0; }\n")
expect("the output of program 1 (empty)" "${output}" "")

xcs_doc_program(source output "${text}" 2)
expect("program 2" "${source}"
  "#include <cstdio>\nint main() { std::puts(\"a;b [c] \\\\n\"); }\n")
expect("the output of program 2 (none)" "${output}" "<none>")
