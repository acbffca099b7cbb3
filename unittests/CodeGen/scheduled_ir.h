//===- scheduled_ir.h - Scheduled modules for the compiler tests -*- C++ -*-===//
///
/// \file
/// Modules written as routing-IR text, verified, scheduled and given slots
/// without any other pass, so node numbers stay as written. Shared by the
/// CodeGen and JIT tests.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/parser.h"
#include "IR/passes.h"
#include "IR/verifier.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace xcs::test {

/// \p text parsed and verified; a test failure (and an empty module) if
/// either fails.
inline ir::Module parsed(std::string_view text) {
  llvm::Expected<ir::Module> module = ir::parse(text, "test.xcs");
  if (!module) {
    ADD_FAILURE() << llvm::toString(module.takeError());
    return ir::Module();
  }
  if (llvm::Error error = ir::verify(*module))
    ADD_FAILURE() << llvm::toString(std::move(error));
  return std::move(*module);
}

/// \p text parsed, verified, scheduled and given slots.
inline ir::Module scheduled(std::string_view text) {
  ir::Module module = parsed(text);
  ir::schedule(module.function);
  ir::assign_slots(module.function);
  return module;
}

/// The message of \p error, "" for success.
inline std::string message(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}

} // namespace xcs::test
