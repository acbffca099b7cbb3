# Installation and the exported CMake package: after `cmake --install`, an
# application does find_package(xcs) and links xcs::xcs. Only what the public
# headers need (Boost.Container, threads) is a dependency of the package.
#
# LLVM and spdlog stay private to libxcs.so. Private dependencies of a shared
# library are not part of its exported interface; CMake only notes
# spdlog::spdlog as a linker search hint (IMPORTED_LINK_DEPENDENT_LIBRARIES),
# which an application without that target ignores. unittests/Package builds
# an application with LLVM and spdlog made unfindable to prove it.

include(CMakePackageConfigHelpers)

set(XCS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/xcs)

install(TARGETS xcs
  EXPORT xcsTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/xcs
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES ${XCS_GENERATED_INCLUDE_DIR}/xcs/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/xcs)

# The tool finds the library next to it, wherever the prefix is moved.
set_target_properties(xcs-jit-dump PROPERTIES
  INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
install(TARGETS xcs-jit-dump RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT xcsTargets
  NAMESPACE xcs::
  DESTINATION ${XCS_INSTALL_CMAKEDIR})

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/xcsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/xcsConfig.cmake
  INSTALL_DESTINATION ${XCS_INSTALL_CMAKEDIR})
# The API is not stable before 1.0, so only the same minor version matches.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/xcsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/xcsConfig.cmake
  ${PROJECT_BINARY_DIR}/xcsConfigVersion.cmake
  DESTINATION ${XCS_INSTALL_CMAKEDIR})

# pkg-config metadata, for builds that do not use CMake:
# `c++ app.cpp $(pkg-config --cflags --libs xcs)`. The file names its
# directories relative to where it is installed (${pcfiledir}), like the
# CMake package, so a prefix given only at install time works. The install
# directories are relative to the prefix, so any stand-in prefix gives the
# way back up from the .pc file's directory.
set(XCS_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH XCS_PC_PREFIX_FROM_PCFILEDIR
  /prefix/${XCS_INSTALL_PKGCONFIGDIR} /prefix)
string(REGEX REPLACE "/$" "" XCS_PC_PREFIX_FROM_PCFILEDIR
  "${XCS_PC_PREFIX_FROM_PCFILEDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/xcs.pc.in
  ${PROJECT_BINARY_DIR}/xcs.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/xcs.pc
  DESTINATION ${XCS_INSTALL_PKGCONFIGDIR})

# The license travels with the binaries.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
