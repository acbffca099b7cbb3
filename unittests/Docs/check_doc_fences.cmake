# Fails naming PAGE:LINE for every code fence of the Markdown PAGES that is
# broken: fences alternate opening and closing, and a closing fence is a
# line of ``` alone. (A closing fence followed by text, "``` To", renders
# all the prose after it as code.)

foreach(page IN LISTS PAGES)
  file(READ ${page} text)
  # Split into lines; ';' and brackets would be read as list syntax.
  string(REGEX REPLACE "[][;]" " " text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(line_number 0)
  set(open_at "")
  foreach(line IN LISTS lines)
    math(EXPR line_number "${line_number} + 1")
    if(NOT line MATCHES "^```")
      continue()
    endif()
    if(open_at STREQUAL "")
      set(open_at ${line_number})
    elseif(line STREQUAL "```")
      set(open_at "")
    else()
      list(APPEND broken
        "${page}:${line_number}: closes the block of line ${open_at} with text after the fence: ${line}")
      set(open_at "")
    endif()
  endforeach()
  if(NOT open_at STREQUAL "")
    list(APPEND broken "${page}:${open_at}: a block that is never closed")
  endif()
endforeach()

if(broken)
  list(JOIN broken "\n" report)
  message(FATAL_ERROR "broken code fences:\n${report}")
endif()
