//===- ir_test_util.h - Helpers shared by the IR tests ----------*- C++ -*-===//
#pragma once

#include "IR/parser.h"
#include "IR/printer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace xcs::ir::test {

/// The file name parse errors carry in the tests.
inline constexpr std::string_view file_name = "test.xcs";

/// \p text parsed; a test failure (and an empty module) if it does not
/// parse.
inline Module parse_text(std::string_view text) {
  llvm::Expected<Module> module = parse(text, file_name);
  if (!module) {
    ADD_FAILURE() << llvm::toString(module.takeError());
    return Module();
  }
  return std::move(*module);
}

/// The message of \p error; "" for success.
inline std::string message(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}

/// The error parsing \p text gives; "" if it parses.
inline std::string parse_error(std::string_view text) {
  llvm::Expected<Module> module = parse(text, file_name);
  return module ? std::string() : llvm::toString(module.takeError());
}

/// The canonical text of \p text: print(parse(text)).
inline std::string reprint(std::string_view text) {
  return print(parse_text(text));
}

} // namespace xcs::ir::test
