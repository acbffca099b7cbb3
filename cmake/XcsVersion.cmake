# xcs/version.h, generated from the project version into the build tree's
# include directory, XCS_GENERATED_INCLUDE_DIR: the library's targets search
# it beside include/, and it is installed with the other public headers
# (cmake/XcsPackage.cmake). A version without a patch number is patch 0.

set(XCS_VERSION_MAJOR ${PROJECT_VERSION_MAJOR})
set(XCS_VERSION_MINOR ${PROJECT_VERSION_MINOR})
set(XCS_VERSION_PATCH ${PROJECT_VERSION_PATCH})
if(XCS_VERSION_PATCH STREQUAL "")
  set(XCS_VERSION_PATCH 0)
endif()

set(XCS_GENERATED_INCLUDE_DIR ${PROJECT_BINARY_DIR}/include)
configure_file(${PROJECT_SOURCE_DIR}/include/xcs/version.h.in
  ${XCS_GENERATED_INCLUDE_DIR}/xcs/version.h @ONLY)
