# The components of libxcs, one per folder of lib/, each its own object
# library linked into the one shared library `xcs` (docs/architecture.md,
# "Layers").
#
#   xcs_add_component(<Name> [DEPENDS <Name>...] SOURCES <file>...)
#
# declares lib/<Name> as the object library xcs_<name> and the components it
# may use, once. A component is declared after everything it depends on
# (lib/CMakeLists.txt goes bottom-up), so the dependencies cannot form a
# cycle. Its files may include headers of those components only: the build
# checks it (cmake/XcsCheckLayering.cmake) before compiling the component.

# The object library of component <name> (xcs_core for Core).
function(xcs_component_target out name)
  string(TOLOWER ${name} lower)
  set(${out} xcs_${lower} PARENT_SCOPE)
endfunction()

# Checks that lib/<name>'s files include headers of <name> and <depends>
# only, before <target> compiles them. The components share the lib/ include
# root, so the compiler would not notice a back-edge: the check does. It
# reruns when a file of the component changes; the glob notices a new one.
function(xcs_check_layering target name depends)
  file(GLOB files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/lib/${name}/*)
  set(script ${PROJECT_SOURCE_DIR}/cmake/XcsCheckLayering.cmake)
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}.layering)
  list(JOIN depends "," depends)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR}/lib
      -DCOMPONENT=${name} -DDEPENDS=${depends} -DSTAMP=${stamp} -P ${script}
    DEPENDS ${files} ${script}
    COMMENT "Checking that ${name} includes only its dependencies"
    VERBATIM)
  target_sources(${target} PRIVATE ${stamp})
endfunction()

function(xcs_add_component name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "DEPENDS;SOURCES")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_SOURCES)
    message(FATAL_ERROR
      "usage: xcs_add_component(<Name> [DEPENDS <Name>...] SOURCES <file>...)")
  endif()
  xcs_component_target(target ${name})
  add_library(${target} OBJECT ${arg_SOURCES})
  foreach(dependency IN LISTS arg_DEPENDS)
    xcs_component_target(dependency_target ${dependency})
    if(NOT TARGET ${dependency_target})
      message(FATAL_ERROR
        "component ${name} depends on ${dependency}, which is not declared "
        "before it: lib/CMakeLists.txt adds components bottom-up")
    endif()
    target_link_libraries(${target} PUBLIC ${dependency_target})
  endforeach()

  # What the shared library's own sources were built with before the
  # split: the objects are the library's, so they are position independent
  # and bind their calls as the library links them (lib/CMakeLists.txt).
  # Sanitizer flags come from the directory (cmake/XcsSanitizers.cmake).
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE -fno-semantic-interposition)
  target_include_directories(${target}
    PUBLIC ${PROJECT_SOURCE_DIR}/include ${XCS_GENERATED_INCLUDE_DIR}
    PRIVATE ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(${target}
    PUBLIC Boost::headers Threads::Threads
    PRIVATE xcs_llvm spdlog::spdlog)

  xcs_check_layering(${target} ${name} "${arg_DEPENDS}")

  # Only directly linked object libraries contribute their objects.
  target_link_libraries(xcs PRIVATE ${target})
endfunction()
