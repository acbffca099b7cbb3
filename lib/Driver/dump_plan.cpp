//===- Driver/dump_plan.cpp - What xcs-jit-dump prints and runs -----------===//

#include "Driver/dump_plan.h"

#include "Driver/operator_binding.h"
#include "Driver/source_diagnostic.h"
#include "Driver/text_file.h"
#include "IR/interpreter.h"
#include "IR/parser.h"
#include "IR/passes.h"
#include "JIT/expected.h"
#include "xcs/error.h"

#include <chrono>

namespace xcs {

DumpPlan plan_example(const ops::Example &example, const Record &input,
                      Strategy strategy, OptLevel level, bool compile) {
  // A call of xcs::jit(op) checks its input against op's specification
  // before any plan exists; a symbolic run alone would fail later, with a
  // message that does not name the operator.
  const Operator &op = *example.op;
  op.spec().validate_inputs(op.name(), input);
  return {build_plan(example.op, input, strategy, level, compile), example.op};
}

DumpPlan plan_ir_file(const std::string &path, const OperatorRegistry &registry,
                      OptLevel level, bool compile) {
  DumpPlan dump;
  BuiltPlan &plan = dump.plan;
  std::string text = read_text_file(path);
  std::string name = file_display_name(path);
  llvm::Expected<ir::Module> module = ir::parse_and_verify(text, name);
  if (!module)
    throw_parse_error(module.takeError(), text);
  plan.lowered = std::move(*module);
  plan.operators = bind_operators(plan.lowered, text, name, registry);
  auto start = std::chrono::steady_clock::now();
  plan.scheduled = plan.lowered;
  ir::run_default_pipeline(plan.scheduled);
  if (compile)
    plan.compiled =
        take<CompileError>(xcs::compile(plan.scheduled, plan.operators, level));
  plan.compile_time = std::chrono::steady_clock::now() - start;
  return dump;
}

Execution run_plan(const DumpPlan &dump, const Record &input, bool interpret) {
  const BuiltPlan &plan = dump.plan;
  auto start = std::chrono::steady_clock::now();
  Record output = interpret
                      ? ir::interpret(plan.scheduled, plan.operators, input)
                      : plan.compiled->run(input);
  // Timed as JitOperator times a run: the plan alone, not the validation
  // around it.
  std::chrono::nanoseconds time = std::chrono::steady_clock::now() - start;
  if (const Operator *root = dump.root.get())
    root->spec().validate_outputs(root->name(), output);
  return {std::move(output), time};
}

} // namespace xcs
