//===- plan_builder.cpp - From an operator to a compiled plan -------------===//

#include "JIT/plan_builder.h"

#include "Core/declared_form.h"
#include "Core/mapped_operator.h"
#include "IR/lower.h"
#include "IR/passes.h"
#include "IR/verifier.h"
#include "JIT/expected.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"
#include "xcs/graph_builder.h"
#include "xcs/jit.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

namespace xcs {
namespace {

using Clock = std::chrono::steady_clock;

/// Guards for every flattened composite under \p call that has state, and
/// for the objects its state depends on, with the signatures the call
/// started with: read now, they could name a state that another thread set
/// after the glue ran, and pass the plan of the old state off as the new.
void collect_guards(const TracerContext &context, CallId call,
                    std::vector<StateGuard> &guards) {
  const TraceRecord &record = context.record(call);
  if (!record.flattenable())
    return;
  for (const auto &[op, signature] : record.state_signatures)
    guards.push_back(StateGuard{
        op, dynamic_cast<const StateDependency *>(op.get()), signature});
  for (CallId child : record.children)
    collect_guards(context, child, guards);
}

/// Discovers the graph of \p op for \p input by running it on symbols.
/// Throws when the run or the graph built from it fails, in any way.
void discover_structurally(const OperatorPtr &op, const Record &input,
                           BuiltPlan &plan) {
  plan.trace = trace(*op, input, TraceMode::Symbolic);
  // Glue may have swallowed the CompileError that gave the run up.
  if (std::string failure = plan.trace.context->symbolic_failure();
      !failure.empty())
    throw CompileError("structural: " + failure);
  plan.graph = AutoGraphBuilder().build(plan.trace, op->name());
  plan.strategy = Strategy::Structural;
}

/// Discovers the graph of \p op for \p input by running it for real; the
/// call's exceptions propagate unchanged.
void discover_by_tracing(const OperatorPtr &op, const Record &input,
                         BuiltPlan &plan) {
  Clock::time_point start = Clock::now();
  plan.trace = trace(*op, input);
  plan.traced_call_time = Clock::now() - start;
  plan.traced_output = plan.trace.output;
  plan.graph = AutoGraphBuilder().build(plan.trace, op->name());
  plan.strategy = Strategy::Trace;
}

/// Auto's structural attempt: "" when it gave the graph, else why not. Any
/// failure counts, and so does glue that threw on symbols: the plan would
/// raise that only when run, a traced call raises it where the eager call
/// does.
std::string try_structurally(const OperatorPtr &op, const Record &input,
                             BuiltPlan &plan) {
  try {
    discover_structurally(op, input, plan);
  } catch (...) {
    return describe(std::current_exception());
  }
  return plan.trace.context->symbolic_error();
}

void discover(const OperatorPtr &op, const Record &input, Strategy strategy,
              BuiltPlan &plan) {
  Clock::time_point start = Clock::now();
  switch (strategy) {
  case Strategy::Trace:
    discover_by_tracing(op, input, plan);
    plan.strategy_reason = "trace: requested";
    break;
  case Strategy::Structural:
    try {
      discover_structurally(op, input, plan);
    } catch (const CompileError &) {
      throw;
    } catch (...) {
      throw CompileError("structural: " + describe(std::current_exception()));
    }
    plan.strategy_reason = "structural: requested";
    break;
  case Strategy::Auto:
    if (std::string why = try_structurally(op, input, plan); !why.empty()) {
      discover_by_tracing(op, input, plan);
      plan.strategy_reason =
          "auto: structural failed (" + why + "), traced instead";
    } else {
      plan.strategy_reason = "auto: the symbolic run gave the graph";
    }
    break;
  }
  plan.trace_time = Clock::now() - start;
}

bool is_composite(const OperatorPtr &op) {
  return dynamic_cast<const Composite *>(op.get()) != nullptr;
}

/// A value of kind \p kind (null for any): what a symbolic run of an
/// element is given, which it stamps and never reads.
Value sample_value(std::optional<Kind> kind) {
  if (!kind)
    return Value();
  switch (*kind) {
  case Kind::Null:
    return Value();
  case Kind::Bool:
    return Value(false);
  case Kind::Int:
    return Value(std::int64_t{0});
  case Kind::Double:
    return Value(0.0);
  case Kind::String:
    return Value("");
  case Kind::List:
    return Value::list({});
  case Kind::Record:
    return Value::record(Record());
  case Kind::Opaque:
    // None to make: the run rejects it, and the call stays a call.
    return Value();
  }
  return Value();
}

void make_map_nodes(ir::Module &module, std::vector<OperatorPtr> &operators,
                    std::vector<OperatorPtr> &body_elements,
                    const JitOptions *options);

/// How the table names \p op once only its name and specification are
/// used (Core/declared_form.h).
ir::OperatorRef declared_ref(const Operator &op) {
  RegistryForm form = declared_form(op.name(), op.spec());
  return {std::move(form.name), std::move(form.arguments)};
}

/// Adds to \p plan, \p element's lowered plan, the checks that calling
/// \p element does and a flattened root has none of: the kinds of the
/// \p mapped items it declares (the mapped operator checked the other
/// fields, and that each mapped one is a list), first, and the kinds of
/// its outputs, last; so that the body fails where the element's call
/// would, with its message.
void add_element_checks(ir::Module &plan, std::vector<OperatorPtr> &operators,
                        const OperatorPtr &element,
                        const std::vector<FieldId> &mapped) {
  auto table_index = static_cast<std::uint32_t>(operators.size());
  operators.push_back(element);
  plan.operators.push_back(declared_ref(*element));
  ir::Function &body = plan.function;
  std::vector<ir::Node> checked;
  ir::Node check;
  check.opcode = ir::Opcode::Check;
  check.op = table_index;
  check.side = SpecSide::Inputs;
  for (FieldId field : mapped) {
    if (!element->spec().find_input(field))
      continue;
    ir::Node input;
    input.opcode = ir::Opcode::Input;
    input.field = field;
    check.fields.push_back(field);
    check.operands.push_back(static_cast<ir::NodeIndex>(checked.size()));
    checked.push_back(std::move(input));
    if (std::ranges::find(body.inputs, field) == body.inputs.end())
      body.inputs.push_back(field);
  }
  std::ranges::sort(body.inputs, [](FieldId a, FieldId b) {
    return a.name() < b.name();
  });
  if (!check.fields.empty())
    checked.push_back(std::move(check));
  auto shift = static_cast<ir::NodeIndex>(checked.size());
  for (ir::Node &node : body.nodes)
    for (ir::NodeIndex &operand : node.operands)
      operand += shift;
  body.nodes.insert(body.nodes.begin(), checked.begin(), checked.end());
  ir::Node outputs = body.nodes.back();
  outputs.opcode = ir::Opcode::Check;
  outputs.op = table_index;
  outputs.side = SpecSide::Outputs;
  body.nodes.insert(body.nodes.end() - 1, std::move(outputs));
}

/// \p element's plan as a module of its own (its operator table in
/// \p operators, its bodies' elements in \p body_elements), or nullopt
/// when a symbolic run cannot give its graph or it has state to guard.
std::optional<ir::Module> element_plan(const OperatorPtr &element,
                                       const std::vector<FieldId> &mapped,
                                       std::vector<OperatorPtr> &operators,
                                       std::vector<OperatorPtr> &body_elements,
                                       const JitOptions *options) {
  Record sample;
  for (const FieldSpec &field : element->spec().inputs())
    sample.set(field.id, sample_value(field.kind));
  BuiltPlan plan;
  // A composite whose glue threw on symbols is an opaque node of the plan,
  // whose real forward runs per element: the plan is still the element's.
  try {
    discover_structurally(element, sample, plan);
  } catch (...) {
    return std::nullopt;
  }
  collect_guards(*plan.trace.context, plan.trace.root, plan.guards);
  if (!plan.guards.empty())
    return std::nullopt;
  llvm::Expected<ir::Module> lowered = ir::lower(plan.graph, operators);
  if (!lowered) {
    llvm::consumeError(lowered.takeError());
    return std::nullopt;
  }
  make_map_nodes(*lowered, operators, body_elements, options);
  add_element_checks(*lowered, operators, element, mapped);
  return std::move(*lowered);
}

/// A body that calls \p element (through a jit operator with \p options,
/// when given) on the whole element input \p fields, with its operator in
/// \p operators: the element's plan is then jit's, built on the first
/// element and cached. For an element whose plan a symbolic run cannot
/// give; nullopt when it declares optional outputs, which a body's output
/// cannot leave out.
std::optional<ir::Module> element_call(const OperatorPtr &element,
                                       const std::vector<FieldId> &fields,
                                       std::vector<OperatorPtr> &operators,
                                       const JitOptions *options) {
  const Specification &spec = element->spec();
  if (std::ranges::any_of(spec.outputs(),
                          [](const FieldSpec &field) { return !field.required; }))
    return std::nullopt;
  OperatorPtr called = options ? jit(element, *options) : element;
  operators.push_back(called);
  ir::Module body;
  body.operators.push_back({called->name(), Value(), /*registered=*/false});
  ir::Function &function = body.function;
  function.name = element->name();
  for (char &c : function.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      c = '_';
  function.inputs = fields;
  std::ranges::sort(function.inputs, [](FieldId a, FieldId b) {
    return a.name() < b.name();
  });
  ir::Node call;
  call.opcode = ir::Opcode::Call;
  call.async = called->as_async() != nullptr;
  for (FieldId field : function.inputs) {
    ir::Node input;
    input.opcode = ir::Opcode::Input;
    input.field = field;
    call.fields.push_back(field);
    call.operands.push_back(static_cast<ir::NodeIndex>(function.nodes.size()));
    function.nodes.push_back(std::move(input));
  }
  auto call_index = static_cast<ir::NodeIndex>(function.nodes.size());
  function.nodes.push_back(std::move(call));
  ir::Node output;
  output.opcode = ir::Opcode::Output;
  for (const FieldSpec &field : spec.outputs()) {
    ir::Node get;
    get.opcode = ir::Opcode::Get;
    get.operands = {call_index};
    get.path = Path().field(field.id);
    output.fields.push_back(field.id);
    output.operands.push_back(static_cast<ir::NodeIndex>(function.nodes.size()));
    function.outputs.push_back(field.id);
    function.nodes.push_back(std::move(get));
  }
  function.nodes.push_back(std::move(output));
  return body;
}

/// Appends \p element's plan (its table, bodies and graph) to \p module as
/// its last body, whose index it returns.
std::uint32_t append_body(ir::Module &module, std::vector<OperatorPtr> &operators,
                          ir::Module element,
                          std::vector<OperatorPtr> element_operators) {
  auto table_offset = static_cast<std::uint32_t>(module.operators.size());
  auto body_offset = static_cast<std::uint32_t>(module.bodies.size());
  element.bodies.push_back(std::move(element.function));
  std::unordered_set<std::string> names{module.function.name};
  for (const ir::Function &body : module.bodies)
    names.insert(body.name);
  for (ir::Function &body : element.bodies) {
    // Graph names are unique in a module: the text names bodies by them.
    std::string name = body.name;
    for (int n = 2; !names.insert(name).second; ++n)
      name = body.name + "_" + std::to_string(n);
    body.name = std::move(name);
    for (ir::Node &node : body.nodes) {
      node.op += table_offset;
      for (std::uint32_t &branch : node.branches)
        branch += table_offset;
      if (node.opcode == ir::Opcode::Map)
        node.body += body_offset;
    }
    module.bodies.push_back(std::move(body));
  }
  for (ir::OperatorRef &ref : element.operators)
    module.operators.push_back(std::move(ref));
  for (OperatorPtr &op : element_operators)
    operators.push_back(std::move(op));
  return static_cast<std::uint32_t>(module.bodies.size() - 1);
}

/// Makes each call in \p module's main graph of a mapped operator whose
/// element is a Composite a map node over the element's plan (build_plan()).
void make_map_nodes(ir::Module &module, std::vector<OperatorPtr> &operators,
                    std::vector<OperatorPtr> &body_elements,
                    const JitOptions *options) {
  // Calls of one mapped operator share its body.
  std::unordered_map<std::uint32_t, std::uint32_t> body_of;
  for (std::size_t i = 0; i < module.function.nodes.size(); ++i) {
    ir::Node &node = module.function.nodes[i];
    if (node.opcode != ir::Opcode::Call)
      continue;
    if (auto known = body_of.find(node.op); known != body_of.end()) {
      node.opcode = ir::Opcode::Map;
      node.body = known->second;
      node.async = false;
      const ir::Node &first = *std::find_if(
          module.function.nodes.begin(), module.function.nodes.end(),
          [&](const ir::Node &other) {
            return other.opcode == ir::Opcode::Map && other.op == node.op;
          });
      node.mapped = first.mapped;
      node.per_element = first.per_element;
      node.field = first.field;
      node.limit = first.limit;
      continue;
    }
    const auto *mapped =
        dynamic_cast<const MappedOperator *>(operators[node.op].get());
    if (!mapped || !is_composite(mapped->element()))
      continue;
    std::vector<OperatorPtr> element_operators;
    std::vector<OperatorPtr> element_bodies;
    MapForm form = mapped->map_form();
    const OperatorPtr &element_op = mapped->element();
    std::optional<ir::Module> element =
        element_plan(element_op, form.mapped, element_operators,
                     element_bodies, options);
    // A body that calls the element recovers nothing itself: the element's
    // call (a jit operator's) gives its eager outcome already.
    OperatorPtr recovered = element_op;
    if (!element) {
      element_operators.clear();
      element_bodies.clear();
      element = element_call(element_op, node.fields, element_operators,
                             options);
      recovered = nullptr;
    }
    if (!element)
      continue;
    std::uint32_t body = append_body(module, operators, std::move(*element),
                                     std::move(element_operators));
    body_elements.insert(body_elements.end(), element_bodies.begin(),
                         element_bodies.end());
    body_elements.push_back(recovered);
    body_of.emplace(node.op, body);
    ir::Node &map = node;
    map.opcode = ir::Opcode::Map;
    map.async = false;
    map.body = body;
    map.mapped = form.mapped;
    map.per_element = form.per_element_outcomes;
    map.field = form.per_element_outcomes ? form.errors_field : FieldId();
    std::size_t limit = form.max_in_flight;
    if (form.threads != 0 && (limit == 0 || form.threads < limit))
      limit = form.threads;
    map.limit = static_cast<std::uint32_t>(limit);
    // The mapped operator is only validated against and named now.
    module.operators[map.op] = declared_ref(*operators[map.op]);
  }
}

/// Replaces the Composite branches of \p module's structured nodes, in
/// every graph, in \p operators by jit operators with \p options
/// (build_plan()).
void compile_branches(const ir::Module &module,
                      std::vector<OperatorPtr> &operators,
                      const JitOptions &options) {
  std::vector<bool> replaced(operators.size(), false);
  std::vector<const ir::Node *> nodes;
  for (const ir::Function &body : module.bodies)
    for (const ir::Node &node : body.nodes)
      nodes.push_back(&node);
  for (const ir::Node &node : module.function.nodes)
    nodes.push_back(&node);
  for (const ir::Node *each : nodes) {
    const ir::Node &node = *each;
    for (std::uint32_t branch : node.branches) {
      if (replaced[branch] || !is_composite(operators[branch]))
        continue;
      operators[branch] = jit(operators[branch], options);
      replaced[branch] = true;
    }
  }
}

} // namespace

PlanShape plan_shape(const XCSGraph &graph) {
  PlanShape shape;
  std::vector<const XCSNode *> nodes = graph.operator_nodes();
  for (const XCSNode *node : nodes) {
    shape.opaque_nodes += !node->opaque_reason.empty();
    shape.structured_nodes +=
        dynamic_cast<const StructuredOperator *>(node->op.get()) != nullptr;
  }
  if (nodes.size() != 1 || nodes.front()->opaque_reason.empty())
    return shape;
  const std::string &reason = nodes.front()->opaque_reason;
  std::string hint =
      reason.find("exception") != std::string::npos
          ? "write the try/catch as ops::fallback(primary, on_error)"
      : reason.find("reads the content") != std::string::npos
          ? "write a choice by value as ops::cond or ops::switch_on, a "
            "loop as ops::repeat_until"
          : "route values only (docs/tracing.md), or use the structured "
            "operators ops::cond, ops::switch_on, ops::fallback, "
            "ops::repeat_until for control flow";
  shape.note = "the plan is one opaque node '" + nodes.front()->op->name() +
               "', so jit runs its children one after another inside it (" +
               reason + "); to flatten it, " + hint;
  return shape;
}

OptLevel engine_level(OptimizationLevel level) {
  return level == OptimizationLevel::O2 ? OptLevel::O2 : OptLevel::O0;
}

BuiltPlan build_plan(const OperatorPtr &op, const Record &input,
                     Strategy strategy, OptLevel level, bool compile,
                     const JitOptions *branch_options) {
  BuiltPlan plan;
  discover(op, input, strategy, plan);
  Clock::time_point start = Clock::now();
  collect_guards(*plan.trace.context, plan.trace.root, plan.guards);
  plan.lowered = take<CompileError>(ir::lower(plan.graph, plan.operators));
  make_map_nodes(plan.lowered, plan.operators, plan.body_elements,
                 branch_options);
  if (branch_options)
    compile_branches(plan.lowered, plan.operators, *branch_options);
  plan.scheduled = plan.lowered;
  ir::run_default_pipeline(plan.scheduled);
  if (llvm::Error error = ir::verify(plan.scheduled))
    throw CompileError(llvm::toString(std::move(error)));
  if (compile)
    plan.compiled = take<CompileError>(xcs::compile(
        plan.scheduled, plan.operators, level, plan.body_elements));
  plan.compile_time = Clock::now() - start;
  return plan;
}

} // namespace xcs
