//===- xcs-jit-dump/main.cpp - Print and run XCS pipelines ----------------===//
///
/// \file
/// The tool is the library driver; see lib/Driver/jit_dump.h.
///
//===----------------------------------------------------------------------===//

#include "Driver/jit_dump.h"

#include <iostream>

int main(int argc, char **argv) {
  return xcs::run_jit_dump(argc, argv, std::cout, std::cerr);
}
