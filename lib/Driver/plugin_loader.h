//===- Driver/plugin_loader.h - Operators from shared libraries -*- C++ -*-===//
///
/// \file
/// Loads an operator plugin (see xcs/registry.h): a shared library that
/// exports `extern "C" void xcs_register_operators(xcs::OperatorRegistry&)`.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/registry.h"

#include <string>

namespace xcs {

/// Loads the shared library \p path and lets it add its operators to
/// \p registry. InputError naming the library when it cannot be loaded,
/// does not export the entry point, or its entry point throws. The library
/// stays loaded for the life of the process: the operators it makes run
/// its code.
void load_plugin(const std::string &path, OperatorRegistry &registry);

} // namespace xcs
