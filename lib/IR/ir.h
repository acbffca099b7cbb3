//===- IR/ir.h - The routing IR ---------------------------------*- C++ -*-===//
///
/// \file
/// The routing IR is SSA over Values, one Function per graph. A node computes
/// one value from earlier nodes' values:
///
///   input  field                    a field of the graph's input record
///   const  <JSON>                   a constant
///   call   @opN(field: %a, ...)     calls operator N of the operator table on
///                                   the record {field: %a, ...}; its value is
///                                   the output record. `call async` calls an
///                                   asynchronous operator (xcs/async.h): its
///                                   task suspends until the call completes
///   get    %r items[0].text         the value at a path inside %r
///   list   [%a, %b, ...]            a list
///   record {field: %a, ...}         a record
///   check  @opN outputs(f: %a, ...) checks the kinds of %a, ... against one
///                                   side (inputs or outputs) of operator N's
///                                   specification, where a flattened
///                                   composite's validation would run; its
///                                   value is unused
///   cond     @opN(f: %a, ...) on f then @opT else @opE
///   switch   @opN(f: %a, ...) on f case JSON @opA, ..., default @opD
///   fallback @opN(...) try @opP catch @opE
///   repeat   @opN(...) body @opB until f max K
///                                   structured nodes: the record {f: %a, ...}
///                                   is validated as operator N's input, and
///                                   only the branch chosen runs on it
///                                   (docs/ir.md, "Structured nodes"); the
///                                   value is the branch's result record
///   map @opN(f: %a, ...) over [f] body @G [outcomes e] [limit K]
///                                   the record {f: %a, ...} is validated as
///                                   operator N's input (the mapped
///                                   operator), then graph @G of the module
///                                   runs once per element of the `over`
///                                   lists, concurrently (at most K at
///                                   once); the value is the record of
///                                   lists (docs/ir.md, "Map nodes")
///   output field: %a, ...           the function's result record (last node)
///
/// docs/ir.md has the full text grammar, the verifier's rules and the passes.
///
/// Operators are referenced by index into the module's operator table, never
/// by address, so the IR and the code compiled from it do not depend on
/// which instances fill the table.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/opcode.h"
#include "xcs/field_id.h"
#include "xcs/path.h"
#include "xcs/specification.h"
#include "xcs/value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace xcs::ir {

/// Index of a node within its function.
using NodeIndex = std::uint32_t;

/// What a text named each node (`%sum`), by node index; an empty entry or
/// none means the node's number. Only messages about a module just read
/// use them: the passes renumber nodes.
using ValueNames = std::vector<std::string>;

/// "%3": how the text form, the verifier and the tools name node 3; with
/// \p names, what they hold for it.
std::string value_name(NodeIndex index, const ValueNames *names = nullptr);

/// One node. Which members are meaningful depends on the opcode (the
/// operands' shape is operand_shape(opcode)):
///  - Input:  field.
///  - Const:  value.
///  - Call:   op (operator table index), fields[i] <- operands[i].
///  - Get:    operands[0], path.
///  - List:   operands.
///  - Record, Output: fields[i] <- operands[i].
///  - Check:  op, side, fields[i] <- operands[i].
///  - Cond, Switch, Fallback, Repeat: op (the structured operator), its
///    input record fields[i] <- operands[i], branches; Cond and Switch
///    choose by the input field `field`, Switch compares it with `cases`
///    (one per branch but the last, the default); Repeat stops when the
///    body's output field `field` is true or after max_iterations runs.
///  - Map: op (the mapped operator), its input record fields[i] <-
///    operands[i], the mapped fields, the body graph (Module::bodies
///    index), with per_element the errors field `field`, and limit.
struct Node {
  Opcode opcode = Opcode::Const;
  std::vector<NodeIndex> operands;
  std::vector<FieldId> fields;
  FieldId field;
  Value value;
  Path path;
  std::uint32_t op = 0;
  SpecSide side = SpecSide::Outputs;
  /// A call of an asynchronous operator (`call async`).
  bool async = false;
  /// A structured node's branch operators (table indexes).
  std::vector<std::uint32_t> branches;
  /// A switch's case values, one per branch but the default.
  std::vector<Value> cases;
  /// A repeat's bound on the body's runs.
  std::uint32_t max_iterations = 0;
  /// A map's body graph: an index into Module::bodies.
  std::uint32_t body = 0;
  /// A map's mapped fields (lists), each one of its fields.
  std::vector<FieldId> mapped;
  /// A map returns per-element outcomes, with the errors list in `field`.
  bool per_element = false;
  /// A map's bound on the elements in flight at once; 0 for no bound.
  std::uint32_t limit = 0;
};

/// An entry of the operator table: the name used to bind it (the name its
/// factory is registered under) and the factory's arguments (a JSON
/// object; null if none). Lowering names an operator without a registry
/// form by its own name and marks it unregistered: the text form prints it
/// so, and the reader rejects it, saying how to bind one.
struct OperatorRef {
  std::string name;
  Value arguments;
  bool registered = true;
};

/// A group of nodes that run one after another on one thread, and the
/// tasks that may start once it is done. Produced by schedule().
struct Task {
  std::vector<NodeIndex> nodes;
  std::vector<std::uint32_t> successors;
  /// How many tasks must finish before this one may start.
  std::uint32_t join_count = 0;
};

struct Function {
  std::string name;
  std::vector<FieldId> inputs;
  std::vector<FieldId> outputs;
  /// Nodes in an order where operands come first; the last is the Output.
  std::vector<Node> nodes;
  /// Filled by schedule(); empty before.
  std::vector<Task> tasks;
  /// Filled by assign_slots(): slot of each node's value in a run's frame.
  std::vector<std::uint32_t> slots;
  std::uint32_t slot_count = 0;
};

/// The operator table, shared by every graph of the module; the body graphs
/// of map nodes, each of which maps only bodies listed before it; and the
/// main graph, the one a run of the module runs.
struct Module {
  std::vector<OperatorRef> operators;
  std::vector<Function> bodies;
  Function function;
};

/// \p module with \p function as its main graph and the bodies that may
/// be mapped from body \p body (those before it): what a body graph is
/// compiled or checked as on its own.
Module body_module(const Module &module, std::uint32_t body);

/// "node %3 (get)": how messages about a node of \p function name it.
std::string describe_node(const Function &function, NodeIndex index,
                          const ValueNames *names = nullptr);

} // namespace xcs::ir
