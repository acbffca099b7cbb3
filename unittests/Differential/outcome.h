//===- outcome.h - What a call returned or threw ----------------*- C++ -*-===//
///
/// \file
/// The outcome of a call, as differential tests compare it: the result
/// record, or the type and message of the exception thrown.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/record.h"

#include <exception>
#include <functional>
#include <string>
#include <typeinfo>

namespace xcs::testing_util {

/// The result of \p run, or "error (TYPE): MESSAGE" for what it threw.
inline std::string outcome(const std::function<Record()> &run) {
  try {
    return run().to_string();
  } catch (const std::exception &e) {
    return std::string("error (") + typeid(e).name() + "): " + e.what();
  }
}

} // namespace xcs::testing_util
