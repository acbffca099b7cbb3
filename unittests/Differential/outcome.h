//===- outcome.h - What a call returned or threw ----------------*- C++ -*-===//
///
/// \file
/// The outcome of a call, as differential tests compare it: the result
/// record, or the type and message of the exception thrown.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/async.h"
#include "xcs/record.h"

#include <exception>
#include <functional>
#include <future>
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

/// outcome() of \p op's call on \p input made through xcs::call_async,
/// which runs a plan of asynchronous calls detached: the same outcome is
/// due whichever thread ends the call.
inline std::string started_outcome(const Operator &op, const Record &input) {
  std::promise<CallOutcome> ended;
  call_async(op, input,
             [&](CallOutcome result) { ended.set_value(std::move(result)); });
  CallOutcome result = ended.get_future().get();
  return outcome([&] {
    if (result.error)
      std::rethrow_exception(result.error);
    return std::move(*result.outputs);
  });
}

} // namespace xcs::testing_util
