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
#include "xcs/operator.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <span>
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

  /// The graph() of an error about the main graph (or the operator table).
  static constexpr std::uint32_t main_graph = UINT32_MAX;

  /// An error reading \p message about \p site (number \p index of its kind;
  /// 0 for the sites that come once) of graph \p graph: a Module::bodies
  /// index, or main_graph.
  VerifierError(std::string message, Site site, std::uint32_t index,
                std::uint32_t graph = main_graph);

  /// What the error is about.
  Site site() const { return site_; }
  /// Which one of the site's kind; 0 for Graph, End and Slots.
  std::uint32_t index() const { return index_; }
  /// Which graph the site is in: a body's index, or main_graph.
  std::uint32_t graph() const { return graph_; }

  /// Writes the message.
  void log(llvm::raw_ostream &os) const override;
  /// Not convertible: verifier errors have no std::error_code equivalent.
  std::error_code convertToErrorCode() const override;

private:
  std::string message_;
  Site site_;
  std::uint32_t index_;
  std::uint32_t graph_;
};

/// Checks \p module, reporting the first violation:
///  - the graph name is a valid @name; operator arguments are null or a
///    record; declared inputs and outputs are each named once;
///  - every operand is an earlier node and each opcode has the operands and
///    fields it needs (get: one operand and a non-empty path; call, record,
///    output: one operand per field, fields distinct);
///  - input nodes read declared inputs; calls name operator table entries;
///  - structured nodes name table entries, have the branches their opcode
///    needs, choose by one of their fields, list distinct switch cases and
///    bound a repeat at one run or more;
///  - map nodes name table entries and a body graph listed before the
///    graph they are in; map distinct fields, each one of their fields and
///    not a constant other than a list; the body reads only the map's
///    fields and outputs no field the errors list would clash with;
///  - every body graph satisfies all of this too;
///  - exactly one output node, the last, writing each declared output once;
///  - when scheduled: every node but the output is in exactly one task,
///    successors exist and form a DAG, each join count is the number of
///    predecessor tasks, and each operand is computed earlier in the same
///    task or in a task that finishes before (a transitive predecessor);
///  - when slots are assigned: one slot per node, all distinct and below
///    slot_count, which equals the number of nodes (dense, no reuse, so any
///    schedule may run tasks concurrently).
/// The error is a VerifierError. Its message names values as \p names
/// does (what a text called them), or by number without; a body's values
/// as \p body_names does (by body index).
llvm::Error verify(const Module &module, const ValueNames *names = nullptr,
                   const std::vector<ValueNames> *body_names = nullptr);

/// What verify() cannot see without the operators that fill the table:
/// each structured node's branches produce the same output fields and
/// kinds, and a repeat's body always outputs its done field as a bool and
/// takes back what it outputs under an input's name. \p operators fills
/// the table of \p module, which verify() accepted. The error names the
/// node as verify() does. Body graphs are checked too.
llvm::Error verify_branches(const Module &module,
                            std::span<const OperatorPtr> operators);

} // namespace xcs::ir
