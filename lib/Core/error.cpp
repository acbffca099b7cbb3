//===- error.cpp - Exceptions thrown by the public API --------------------===//

#include "xcs/error.h"

namespace xcs {

ExecutionError::ExecutionError(std::string node, std::string op,
                               std::exception_ptr cause)
    : Error("node '" + node + "' (operator '" + op +
            "') failed: " + describe(cause)),
      node_(std::move(node)), op_(std::move(op)), cause_(std::move(cause)) {}

ElementError::ElementError(const std::string &op, std::size_t index,
                           std::exception_ptr cause)
    : Error("operator '" + op + "': element " + std::to_string(index) + ": " +
            describe(cause)),
      index_(index), cause_(std::move(cause)) {}

std::string describe(const std::exception_ptr &error) {
  if (!error)
    return "no exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception &e) {
    return e.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

} // namespace xcs
