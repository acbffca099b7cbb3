//===- IR/verifier.h - Checking a module's invariants -----------*- C++ -*-===//
///
/// \file
/// verify() checks everything the passes, the interpreter and code
/// generation rely on; they may assume a verified module. Errors start with
/// "graph @NAME: " and name the node ("node %3 (get): ..."), task or
/// operator at fault. Each error also says which part of the module it is
/// about (its Site), so that a reader of the text form can point at that
/// part's text (parse_and_verify() in parser.h).
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace xcs::ir {

/// The part of a module a verifier error is about. Those that come in
/// numbers carry an index (VerifierError::index()).
enum class Site {
  Graph,    ///< The function as a whole (its header in the text).
  End,      ///< Something missing at the end of the function's nodes.
  Input,    ///< Declared input number `index`.
  Output,   ///< Declared output number `index`.
  Operator, ///< Operator table entry `index`.
  Node,     ///< Node `index`: the message names it ("node %3 (get): ...").
  Task,     ///< Task `index`: the message names it ("task 2: ...").
  Slots     ///< The slot assignment as a whole.
};

/// The error verify() returns: its message ("graph @NAME: ...", which alone
/// is what message() and llvm::toString() give) and the site it is about.
class VerifierError : public llvm::ErrorInfo<VerifierError> {
public:
  /// LLVM's RTTI for error types.
  static char ID;

  /// An error reading \p message about \p site (number \p index of its kind;
  /// 0 for the sites that come once).
  VerifierError(std::string message, Site site, std::uint32_t index);

  /// What the error is about.
  Site site() const { return site_; }
  /// Which one of the site's kind; 0 for Graph, End and Slots.
  std::uint32_t index() const { return index_; }

  /// Writes the message.
  void log(llvm::raw_ostream &os) const override;
  /// Not convertible: verifier errors have no std::error_code equivalent.
  std::error_code convertToErrorCode() const override;

private:
  std::string message_;
  Site site_;
  std::uint32_t index_;
};

/// Checks \p module, reporting the first violation:
///  - the graph name is a valid @name; operator arguments are null or a
///    record; declared inputs and outputs are each named once;
///  - every operand is an earlier node and each opcode has the operands and
///    fields it needs (get: one operand and a non-empty path; call, record,
///    output: one operand per field, fields distinct);
///  - input nodes read declared inputs; calls name operator table entries;
///  - exactly one output node, the last, writing each declared output once;
///  - when scheduled: every node but the output is in exactly one task,
///    successors exist and form a DAG, each join count is the number of
///    predecessor tasks, and each operand is computed earlier in the same
///    task or in a task that finishes before (a transitive predecessor);
///  - when slots are assigned: one slot per node, all distinct and below
///    slot_count, which equals the number of nodes (dense, no reuse, so any
///    schedule may run tasks concurrently).
/// The error is a VerifierError. Its message names values as \p names
/// does (what a text called them), or by number without.
llvm::Error verify(const Module &module, const ValueNames *names = nullptr);

} // namespace xcs::ir
