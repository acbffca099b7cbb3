# Fails naming FILE:LINE for every `#include <llvm/...>` or "llvm-c/..." in
# the headers of HEADER_DIR.

file(GLOB headers ${HEADER_DIR}/*.h)
set(violations)
foreach(header IN LISTS headers)
  file(READ ${header} text)
  # Split into lines; ';' and brackets would be read as list syntax.
  string(REGEX REPLACE "[][;]" " " text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(line_number 0)
  foreach(line IN LISTS lines)
    math(EXPR line_number "${line_number} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*[<\"]llvm(-c)?/")
      list(APPEND violations "${header}:${line_number}: ${line}")
    endif()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n" report)
  message(FATAL_ERROR "public headers include LLVM headers:\n${report}")
endif()
list(LENGTH headers count)
message(STATUS "${count} public headers, no LLVM includes")
