//===- JIT/expected.h - LLVM errors as exceptions ---------------*- C++ -*-===//
#pragma once

#include "llvm/Support/Error.h"

#include <utility>

namespace xcs {

/// The value of \p expected, or its error's message thrown as an
/// ErrorType. Past the IR and the engine, which speak llvm::Error, every
/// failure is an exception (xcs/error.h), so an llvm::Error is turned into
/// text (and so checked) where it arises.
template <typename ErrorType, typename T> T take(llvm::Expected<T> expected) {
  if (!expected)
    throw ErrorType(llvm::toString(expected.takeError()));
  return std::move(*expected);
}

} // namespace xcs
