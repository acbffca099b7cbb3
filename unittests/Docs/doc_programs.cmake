# The programs of a Markdown page. A program is a fenced block opened with
# ```cpp program; the next fenced block, if it is opened with ```text output,
# is what the program prints. Other blocks are fragments and are not
# compiled. Included by CMakeLists.txt (to count the programs) and by
# check_doc_program.cmake (to extract one), so both read a page alike.

# Sets <out> to the number of programs in <text>.
function(xcs_doc_program_count out text)
  string(REGEX MATCHALL "\n```cpp program\n" fences "\n${text}")
  list(LENGTH fences count)
  set(${out} ${count} PARENT_SCOPE)
endfunction()

# Sets <out_source> to the source of program <index> (from 1) of <text>,
# and <out_output> to its output block, or to "<none>" if it has none.
function(xcs_doc_program out_source out_output text index)
  set(fence "\n```cpp program\n")
  string(LENGTH "${fence}" fence_length)
  set(rest "\n${text}\n")
  foreach(i RANGE 1 ${index})
    string(FIND "${rest}" "${fence}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "there is no program ${index}")
    endif()
    math(EXPR at "${at} + ${fence_length}")
    string(SUBSTRING "${rest}" ${at} -1 rest)
  endforeach()
  xcs_doc_block(source rest "${rest}")

  set(output "<none>")
  string(FIND "${rest}" "\n```" at)
  if(NOT at EQUAL -1)
    string(SUBSTRING "${rest}" ${at} -1 rest)
    set(fence "\n```text output\n")
    string(FIND "${rest}" "${fence}" at)
    if(at EQUAL 0)
      string(LENGTH "${fence}" fence_length)
      string(SUBSTRING "${rest}" ${fence_length} -1 rest)
      xcs_doc_block(output rest "${rest}")
    endif()
  endif()
  set(${out_source} "${source}" PARENT_SCOPE)
  set(${out_output} "${output}" PARENT_SCOPE)
endfunction()

# <text> starts with the body of a block: sets <out_body> to the body, up to
# the line that is only ```, and <out_rest> to what follows that line.
function(xcs_doc_block out_body out_rest text)
  # Searched from a newline before the text, so that an empty body is found.
  string(FIND "\n${text}" "\n```\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "a block is not closed by a line of ```")
  endif()
  string(SUBSTRING "${text}" 0 ${at} body)
  math(EXPR after "${at} + 4")
  string(SUBSTRING "${text}" ${after} -1 rest)
  set(${out_body} "${body}" PARENT_SCOPE)
  set(${out_rest} "${rest}" PARENT_SCOPE)
endfunction()
