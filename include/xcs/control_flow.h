//===- xcs/control_flow.h - Structured control flow -------------*- C++ -*-===//
///
/// \file
/// The interface of the structured operators (`ops::cond`, `ops::switch_on`,
/// `ops::fallback`, `ops::repeat_until`) and the semantics they share with
/// the routing IR's interpreter and compiled code. Glue that reads a value
/// to choose a child keeps its composite one opaque node; a structured
/// operator says what it chooses between, so xcs::jit keeps it a node of
/// the graph whose branches are calls, lowers it to a routing-IR node that
/// runs only the taken branch, and compiles that to a real branch
/// (docs/ir.md, "Structured nodes").
///
/// Every function here is what the eager operator, the interpreter and the
/// compiled code call, so the three agree on results and on messages.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/field_id.h"
#include "xcs/operator.h"
#include "xcs/record.h"
#include "xcs/value.h"

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

/// Which structured operator an operator is.
enum class ControlKind : std::uint8_t { Cond, Switch, Fallback, Repeat };

/// Implemented by the structured operators. xcs::jit keeps such an operator
/// one node of the graph (it is neither flattened nor opaque) and lowers it
/// to the routing IR's structured node of its kind.
class StructuredOperator {
public:
  virtual ~StructuredOperator();
  virtual ControlKind control_kind() const = 0;
  /// The operators it chooses between, in the order of the IR node:
  /// cond: then, else; switch: each case's, then the default; fallback:
  /// primary, on_error; repeat: the body.
  virtual const std::vector<OperatorPtr> &branches() const = 0;
  /// cond: the predicate field; switch: the field compared; repeat: the
  /// body's output field that ends the loop when true; fallback: unused.
  virtual FieldId selector() const = 0;
  /// switch: the case values, one per case branch; empty for the others.
  virtual const std::vector<Value> &case_values() const = 0;
  /// repeat: at most this many runs of the body (at least 1); 0 otherwise.
  virtual std::uint32_t max_iterations() const = 0;
};

namespace control_flow {

/// Fields a fallback adds to its on_error operator's input, when it
/// declares them (or accepts any field): the failure's type and message.
inline constexpr std::string_view error_type_field = "error_type";
inline constexpr std::string_view error_message_field = "error_message";
/// Fields repeat_until adds to the body's last output: how many times the
/// body ran, and whether the bound ended the loop (the done field was
/// never true).
inline constexpr std::string_view iterations_field = "iterations";
inline constexpr std::string_view bound_hit_field = "bound_hit";

/// Why \p branches cannot be the branches of one structured operator (their
/// outputs differ in fields, in whether they are required, or in declared
/// kinds; `any` goes with every kind), or "" when they can.
std::string branches_disagree(const std::vector<OperatorPtr> &branches);

/// Why \p body cannot be repeat_until's body with done field \p done (it
/// does not always output \p done as a bool, outputs a field repeat_until
/// adds, or outputs an input field it cannot take back), or "".
std::string body_cannot_loop(const Operator &body, FieldId done);

/// The fields of \p input that \p branch takes: those it declares, or all
/// when it accepts any field.
Record branch_input(const Operator &branch, const Record &input);

/// What \p branch takes of \p input: \p input itself when the branch
/// accepts each of its fields, else branch_input() in \p storage. Saves a
/// copy of the record on the common path.
const Record &branch_view(const Operator &branch, const Record &input,
                          Record &storage);

/// cond: 0 when \p predicate is true, 1 when false; any other kind is an
/// InputError naming operator \p op_name and field \p field.
std::uint32_t cond_branch(std::string_view op_name, FieldId field,
                          const Value &predicate);

/// switch: the index of the first of \p cases equal to \p value, or
/// cases.size() (the default).
std::uint32_t switch_branch(const Value &value,
                            const std::vector<const Value *> &cases);

/// The name of a failure's type: "xcs::InputError", "std::runtime_error",
/// ...; "unknown" for an exception that is not a std::exception.
std::string error_type_name(const std::exception_ptr &error);
/// A failure's what(), or "" for an exception that is not a std::exception.
std::string error_message(const std::exception_ptr &error);

/// \p input with the error fields of \p error added where \p on_error
/// declares them or accepts any field.
Record with_error_fields(const Operator &on_error, Record input,
                         const std::exception_ptr &error);

/// repeat: whether the body's output \p output says it is done; a missing
/// or non-bool field is an InputError naming operator \p op_name and the
/// field.
bool loop_done(std::string_view op_name, FieldId done, const Record &output);

/// repeat: the body's next input: each field of \p input that \p output
/// has takes the output's value, the others keep theirs.
Record next_loop_input(const Record &input, const Record &output);

/// repeat: the body's last \p output with iterations and bound_hit added.
Record loop_result(Record output, std::uint32_t iterations, bool bound_hit);

} // namespace control_flow
} // namespace xcs
