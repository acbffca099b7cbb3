//===- compile_fuzzer.cpp - Compiled code against the interpreter ---------===//
//
// Reads the bytes as routing IR whose operators are bound by name to the
// built-in library, as xcs-jit-dump binds them. A module that parses,
// verifies and binds goes through the default pipeline, must stay verified
// and compile, and then runs on a fixed input twice: as machine code under
// the parallel executor and in the reference interpreter. The outcomes (the
// result record or the error message) must be equal. The executor reports
// the failure of the earliest failing node, as the interpreter does, with
// one exception (docs/execution.md): when a get fails in the middle of a
// task, a node of another task that comes earlier but needs the failed
// task does not run. So when the outcomes differ and both failed, the node
// the compiled run names must fail on its own with that message.
//
//===----------------------------------------------------------------------===//

#include "fuzz_check.h"

#include "Driver/builtin_operators.h"
#include "Driver/operator_binding.h"
#include "IR/interpreter.h"
#include "IR/parser.h"
#include "IR/passes.h"
#include "IR/printer.h"
#include "IR/verifier.h"
#include "JIT/compiled_graph.h"
#include "xcs/error.h"
#include "xcs/json.h"

#include "llvm/Support/Error.h"

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xcs::fuzz {
namespace {

/// Larger inputs only make slower runs of the same code paths.
constexpr std::size_t max_input_size = 4096;
constexpr std::string_view file_name = "fuzz.xcs";

/// The built-in operators, except that a model_call may not sleep: a run
/// should take microseconds, not a simulated network's latency.
const OperatorRegistry &registry() {
  static const OperatorRegistry fast = [] {
    OperatorRegistry builtins;
    add_builtin_operators(builtins);
    OperatorRegistry registry;
    for (const std::string &name : builtins.names()) {
      OperatorFactory factory = *builtins.find(name);
      if (name == "model_call")
        factory = [factory](const Value &arguments) {
          if (arguments.is_record() &&
              arguments.as_record().contains("latency_ms"))
            throw InputError("the fuzzer does not sleep: no latency_ms");
          return factory(arguments);
        };
      registry.add(name, std::move(factory));
    }
    return registry;
  }();
  return fast;
}

/// The input every module runs on: fields of each kind under the names the
/// seeds and the built-in operators' defaults use.
const Record &input() {
  static const Record record = parse_json_record(R"({
    "x": 5, "y": -2, "a": 7, "b": 3, "f": 2.5, "flag": true, "none": null,
    "query": "What is XCS?", "prompt": "hi", "text": "hello",
    "greeting": "Hello", "name": "XCS",
    "responses": ["yes", "no", "yes"],
    "items": [1, "two", {"k": 3.5}],
    "doc": {"title": "t", "items": [{"title": "a"}, {"title": "b"}]}
  })");
  return record;
}

/// Whether \p module calls a counter from more than one node: its results
/// then depend on the order of calls, which concurrent tasks do not fix.
bool calls_a_counter_twice(const ir::Module &module) {
  std::vector<int> calls(module.operators.size());
  for (const ir::Node &node : module.function.nodes)
    if (node.opcode == ir::Opcode::Call &&
        module.operators[node.op].name == "counter" && ++calls[node.op] > 1)
      return true;
  return false;
}

/// The result record's text, or "error: " and the message of what threw.
std::string outcome(const std::function<Record()> &run) {
  try {
    return run().to_string();
  } catch (const std::exception &error) {
    return std::string("error: ") + error.what();
  }
}

/// The nodes \p target depends on and \p target itself, then an output of
/// nothing: running it shows whether \p target fails on its own.
ir::Module isolate(const ir::Module &module, ir::NodeIndex target) {
  const std::vector<ir::Node> &nodes = module.function.nodes;
  std::vector<bool> needed(target + 1);
  needed[target] = true;
  for (ir::NodeIndex i = target + 1; i-- > 0;)
    if (needed[i])
      for (ir::NodeIndex operand : nodes[i].operands)
        needed[operand] = true;
  ir::Module alone;
  alone.operators = module.operators;
  alone.bodies = module.bodies;
  alone.function.name = module.function.name;
  alone.function.inputs = module.function.inputs;
  std::vector<ir::NodeIndex> renumbered(target + 1);
  for (ir::NodeIndex i = 0; i <= target; ++i) {
    if (!needed[i])
      continue;
    renumbered[i] = alone.function.nodes.size();
    ir::Node node = nodes[i];
    for (ir::NodeIndex &operand : node.operands)
      operand = renumbered[operand];
    alone.function.nodes.push_back(std::move(node));
  }
  ir::Node output;
  output.opcode = ir::Opcode::Output;
  alone.function.nodes.push_back(std::move(output));
  return alone;
}

/// The node an ExecutionError names ("%3"), if it names one.
std::optional<ir::NodeIndex> node_index(std::string_view name) {
  ir::NodeIndex index = 0;
  if (name.empty() || name.front() != '%')
    return std::nullopt;
  auto [end, error] =
      std::from_chars(name.data() + 1, name.data() + name.size(), index);
  if (error != std::errc() || end != name.data() + name.size())
    return std::nullopt;
  return index;
}

/// Runs \p module, parsed from \p text, compiled and interpreted on input()
/// and fails on a difference the executor's documentation does not allow.
void check_module(ir::Module module, std::string_view text) {
  std::vector<OperatorPtr> compiled_ops;
  try {
    compiled_ops = bind_operators(module, text, file_name, registry());
  } catch (const InputError &) {
    return;
  }
  auto bind = [&] {
    return bind_operators(module, text, file_name, registry());
  };
  ir::run_default_pipeline(module);
  if (llvm::Error error = ir::verify(module))
    fail("the default pipeline leaves a module verified",
         ir::print(module) + llvm::toString(std::move(error)));
  llvm::Expected<CompiledGraph> plan = compile(module, compiled_ops);
  if (!plan)
    fail("a verified, scheduled module compiles",
         ir::print(module) + llvm::toString(plan.takeError()));

  std::string interpreted =
      outcome([&] { return ir::interpret(module, bind(), input()); });
  std::optional<ir::NodeIndex> failed_node;
  std::string compiled = outcome([&] {
    try {
      return plan->run(
          input(), {.workers = 2, .serial_below = std::chrono::nanoseconds(0)});
    } catch (const ExecutionError &error) {
      failed_node = node_index(error.node());
      error.rethrow_cause();
    }
  });
  if (compiled == interpreted)
    return;
  bool both_failed =
      compiled.starts_with("error: ") && interpreted.starts_with("error: ");
  if (both_failed && failed_node &&
      *failed_node + 1 < module.function.nodes.size() &&
      outcome([&] {
        return ir::interpret(isolate(module, *failed_node), bind(), input());
      }) == compiled)
    return;
  fail("compiled outcome == interpreted outcome",
       ir::print(module) + "interpreted: " + interpreted +
           "\ncompiled:    " + compiled);
}

} // namespace
} // namespace xcs::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  using namespace xcs;
  if (size > fuzz::max_input_size)
    return 0;
  std::string_view text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<ir::Module> module = ir::parse(text, fuzz::file_name);
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  if (llvm::Error error = ir::verify(*module)) {
    llvm::consumeError(std::move(error));
    return 0;
  }
  if (fuzz::calls_a_counter_twice(*module))
    return 0;
  fuzz::check_module(std::move(*module), text);
  return 0;
}
