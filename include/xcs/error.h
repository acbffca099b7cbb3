//===- xcs/error.h - Exceptions thrown by the public API --------*- C++ -*-===//
///
/// \file
/// Every failure the public API reports is an exception derived from
/// xcs::Error. Each message names what failed and where: the operator, the
/// field, the file position, the graph or node.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>

namespace xcs {

/// Base of every exception XCS throws.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Bad input: a record that does not match a specification, malformed JSON,
/// a malformed path, a value of the wrong kind.
class InputError : public Error {
public:
  using Error::Error;
};

/// A graph that cannot be built or used: cycles, dangling edges, duplicate
/// node ids, a missing output node.
class GraphError : public Error {
public:
  using Error::Error;
};

/// Lowering, verification or machine-code generation failed.
class CompileError : public Error {
public:
  using Error::Error;
};

/// A node of a running plan failed. Names the node and its operator and
/// carries the original exception.
class ExecutionError : public Error {
public:
  ExecutionError(std::string node, std::string op, std::exception_ptr cause);

  /// The node that failed, as named in the plan.
  const std::string &node() const { return node_; }
  /// The name of the failing node's operator.
  const std::string &op() const { return op_; }
  /// The exception the operator threw.
  const std::exception_ptr &cause() const { return cause_; }
  /// Rethrows the original exception.
  [[noreturn]] void rethrow_cause() const { std::rethrow_exception(cause_); }

private:
  std::string node_;
  std::string op_;
  std::exception_ptr cause_;
};

/// An element of a mapped call (xcs::vmap) failed: the message names the
/// mapped operator and the element's index, and the original exception is
/// kept.
class ElementError : public Error {
public:
  ElementError(const std::string &op, std::size_t index,
               std::exception_ptr cause);
  /// The failed element's index in the mapped lists.
  std::size_t index() const { return index_; }
  /// The exception the element's call threw.
  const std::exception_ptr &cause() const { return cause_; }
  [[noreturn]] void rethrow_cause() const { std::rethrow_exception(cause_); }

private:
  std::size_t index_;
  std::exception_ptr cause_;
};

/// Verify mode (JitOptions::verify, XCS_JIT_VERIFY=1) found a call whose
/// plan-served outcome differs from the eager call's: a contract the
/// library cannot see is broken (a missing StateDependency, glue that keeps
/// state between calls). The message names the operator, the input, the
/// first difference with both sides, and the likely causes.
class VerifyError : public Error {
public:
  using Error::Error;
};

/// The message of an exception_ptr's exception, or a placeholder when it is
/// not derived from std::exception.
std::string describe(const std::exception_ptr &error);

} // namespace xcs
