# Fails when a component includes a header of a component it does not
# depend on (docs/architecture.md, "Layers"). The object libraries share one
# include root, so the compiler cannot see a back-edge; this script does.
#
#   cmake -DROOT=<dir> -DCOMPONENT=<Name> [-DDEPENDS=<Name>,...]
#         [-DSTAMP=<file>] -P XcsCheckLayering.cmake
#
# checks every file in ROOT/COMPONENT: an include of "Other/..." (or
# <Other/...>), where Other is a folder of ROOT, must name COMPONENT itself
# or one of DEPENDS (comma-separated: a semicolon would split the custom
# command's argument). Touches STAMP when all is well, so that the build
# reruns the check only when the component's files change.

cmake_minimum_required(VERSION 3.25)

foreach(variable ROOT COMPONENT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "XcsCheckLayering.cmake needs -D${variable}=...")
  endif()
endforeach()
string(REPLACE "," ";" allowed "${DEPENDS}")
if(allowed)
  list(JOIN allowed ", " depends_on)
else()
  set(depends_on "nothing")
endif()
list(APPEND allowed ${COMPONENT})

# Includes are reported relative to ROOT's parent: lib/Core/operator.cpp.
cmake_path(GET ROOT PARENT_PATH base)
file(GLOB files LIST_DIRECTORIES false ${ROOT}/${COMPONENT}/*)
list(SORT files)
set(include_line [=[^[ 	]*#[ 	]*include[ 	]*[<"](([A-Za-z0-9_]+)/[^">]*)[">]]=])
set(violations 0)
foreach(file IN LISTS files)
  cmake_path(RELATIVE_PATH file BASE_DIRECTORY ${base} OUTPUT_VARIABLE shown)
  # One list item per line, empty lines included, so that counting items
  # counts lines. Semicolons, backslashes and brackets would upset the list.
  file(READ ${file} text)
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "\\" "/" text "${text}")
  string(REPLACE "[" "(" text "${text}")
  string(REPLACE "]" ")" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(NOT line MATCHES "${include_line}")
      continue()
    endif()
    set(header ${CMAKE_MATCH_1})
    set(folder ${CMAKE_MATCH_2})
    if(IS_DIRECTORY ${ROOT}/${folder} AND NOT folder IN_LIST allowed)
      message(NOTICE "${shown}:${number}: ${COMPONENT} may not include "
                     "${header} (${COMPONENT} depends on: ${depends_on})")
      math(EXPR violations "${violations} + 1")
    endif()
  endforeach()
endforeach()

if(violations GREATER 0)
  message(FATAL_ERROR
    "${violations} include(s) in ${COMPONENT} break the layering: a component "
    "uses only the components it declares (xcs_add_component in its "
    "CMakeLists.txt); a lower one reaches a higher one through a hook it owns "
    "(docs/architecture.md, \"Layers\")")
endif()
if(DEFINED STAMP)
  file(TOUCH ${STAMP})
endif()
