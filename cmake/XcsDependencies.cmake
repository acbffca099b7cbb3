# Third-party dependencies, all from Debian packages (cmake/dev.sh installs them).

# LLVM's version file accepts only a matching major.minor, so ask for 19.1.
find_package(LLVM 19.1 CONFIG REQUIRED
  HINTS /usr/lib/llvm-19/lib/cmake/llvm)
message(STATUS "LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")

# An interface target carrying LLVM's includes and definitions, linked
# privately into the library. llvm-config --cxxflags is not used: it would
# force -fno-exceptions and -std=c++17.
add_library(xcs_llvm INTERFACE)
target_include_directories(xcs_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
separate_arguments(_xcs_llvm_defs NATIVE_COMMAND "${LLVM_DEFINITIONS}")
target_compile_definitions(xcs_llvm INTERFACE ${_xcs_llvm_defs})
target_link_libraries(xcs_llvm INTERFACE LLVM)

# The oldest Boost the library and its public headers are built with; the
# installed package asks an application for the same minimum
# (cmake/xcsConfig.cmake.in).
set(XCS_BOOST_MIN_VERSION 1.74)
find_package(Boost ${XCS_BOOST_MIN_VERSION} REQUIRED)
# What an application compiling by hand (pkg-config, the docs' programs)
# adds for Boost: its include directories, unless the compiler searches them
# anyway (naming /usr/include again would break libstdc++'s #include_next).
set(XCS_BOOST_CFLAGS "")
foreach(dir IN LISTS Boost_INCLUDE_DIRS)
  if(NOT dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
    string(APPEND XCS_BOOST_CFLAGS " -I${dir}")
  endif()
endforeach()
find_package(spdlog REQUIRED)
# The HTTP client of lib/Net (libcurl4-openssl-dev), linked privately.
find_package(CURL REQUIRED)
find_package(Threads REQUIRED)
# Runs of xcs-run across processes and hosts (lib/Distributed,
# docs/distributed.md) use MPI's C API (libopenmpi-dev); without it XCS
# builds and tests as before, minus those runs.
# FindMPI probes MPI's C API with the C compiler.
if(XCS_ENABLE_MPI)
  include(CheckLanguage)
  check_language(C)
  if(CMAKE_C_COMPILER)
    enable_language(C)
    find_package(MPI COMPONENTS C)
  endif()
endif()
if(MPI_C_FOUND)
  # FindMPI's launcher (/usr/bin/mpiexec): Open MPI takes its install
  # prefix from the launcher's path, and /bin/mpirun (merged /usr) would
  # give it "/".
  message(STATUS "MPI ${MPI_C_VERSION}: xcs-run runs across ranks "
                 "(launcher: ${MPIEXEC_EXECUTABLE})")
else()
  message(STATUS "MPI not found: xcs-run runs in one process only")
endif()
if(XCS_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_program(XCS_FILECHECK FileCheck HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)
  # unittests/Package builds an application with pkg-config.
  find_program(XCS_PKG_CONFIG pkg-config REQUIRED)
endif()
if(XCS_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
