//===- fuzz_check.h - Reporting a broken property ---------------*- C++ -*-===//
///
/// \file
/// A fuzz target checks properties the documentation promises; a broken one
/// is a finding. It aborts with a message saying which property broke, so
/// libFuzzer saves the input and the corpus runner fails.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace xcs::fuzz {

/// Prints \p property (and \p details, when given) and aborts.
[[noreturn]] inline void fail(std::string_view property,
                              std::string_view details = {}) {
  std::string message = "fuzz: property broken: ";
  message.append(property).append("\n").append(details).append("\n");
  std::fputs(message.c_str(), stderr);
  std::abort();
}

/// Fails with \p property unless \p holds.
inline void check(bool holds, std::string_view property) {
  if (!holds)
    fail(property);
}

/// Fails with \p property, showing both texts, unless they are equal.
inline void check_equal(std::string_view expected, std::string_view actual,
                        std::string_view property) {
  if (expected != actual)
    fail(property, std::string("expected: ")
                       .append(expected)
                       .append("\nactual:   ")
                       .append(actual));
}

} // namespace xcs::fuzz
