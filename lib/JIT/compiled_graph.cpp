//===- compiled_graph.cpp - A graph ready to run --------------------------===//

#include "JIT/compiled_graph.h"

#include "CodeGen/frame_layout.h"
#include "Core/log.h"
#include "Core/startable.h"
#include "IR/verifier.h"
#include "JIT/input_proof.h"
#include "JIT/recovery.h"
#include "xcs/error.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <mutex>
#include <string>

namespace xcs {
namespace {

llvm::Error bind_error(const ir::Module &scheduled, const std::string &problem) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "graph @" + scheduled.function.name + ": " +
                                     problem);
}

llvm::Error check_graph(const ir::Module &scheduled,
                        const ir::Function &function,
                        const std::vector<OperatorPtr> &operators);

/// Checks what compiled code takes on trust: every table index it will use
/// has an operator, and every input node's field is among its graph's
/// inputs, which run() checks before the code starts.
llvm::Error check_binding(const ir::Module &scheduled,
                          const std::vector<OperatorPtr> &operators) {
  if (operators.size() != scheduled.operators.size())
    return bind_error(scheduled, std::to_string(operators.size()) +
                                     " operators for an operator table of " +
                                     std::to_string(scheduled.operators.size()));
  for (std::size_t i = 0; i < operators.size(); ++i)
    if (!operators[i])
      return bind_error(scheduled,
                        "no operator for @op" + std::to_string(i));
  for (const ir::Function &body : scheduled.bodies)
    if (llvm::Error error = check_graph(scheduled, body, operators))
      return error;
  if (llvm::Error error = check_graph(scheduled, scheduled.function, operators))
    return error;
  return ir::verify_branches(scheduled, operators);
}

llvm::Error check_graph(const ir::Module &scheduled,
                        const ir::Function &function,
                        const std::vector<OperatorPtr> &operators) {
  for (ir::NodeIndex i = 0; i < function.nodes.size(); ++i) {
    const ir::Node &node = function.nodes[i];
    if (ir::uses_operator(node.opcode) && node.op >= operators.size())
      return bind_error(scheduled, ir::value_name(i) + " uses @op" +
                                       std::to_string(node.op) +
                                       ", which is not in the table");
    for (std::uint32_t branch : node.branches)
      if (branch >= operators.size())
        return bind_error(scheduled, ir::value_name(i) + " branches to @op" +
                                         std::to_string(branch) +
                                         ", which is not in the table");
    if (node.opcode == ir::Opcode::Input &&
        std::find(function.inputs.begin(), function.inputs.end(),
                  node.field) == function.inputs.end())
      return bind_error(scheduled, ir::value_name(i) + " reads '" +
                                       std::string(node.field.name()) +
                                       "', which is not a graph input");
  }
  return llvm::Error::success();
}

/// A body graph's compiled plan as the operator a map node calls per
/// element (runtime::MapSite::body). A plan of asynchronous calls starts
/// detached, so the elements in flight hold no thread
/// (element_map::map_operator).
class BodyOperator : public Operator, public detail::Startable {
public:
  BodyOperator(CompiledGraph graph, const ir::Function &function,
               OperatorPtr element)
      : Operator(element ? element->name() : function.name,
                 element ? element->spec() : graph_specification(function)),
        graph_(std::move(graph)), element_(std::move(element)) {}

  Record forward(const Record &inputs) const override {
    if (!element_) {
      try {
        return graph_.run(inputs);
      } catch (const ExecutionError &error) {
        error.rethrow_cause();
      }
    }
    return graph_.run_or_recover(inputs, {}, [&](FailedRun run) {
      return recover(*element_, inputs, graph_.operators(), std::move(run));
    });
  }

  bool can_start(const Record &) const override { return !graph_.blocks(); }
  void start(const Record &inputs, Completion done) const override {
    graph_.start(inputs, {}, std::make_unique<End>(std::move(done), *this));
  }

private:
  /// How a detached element run ends: as forward() does.
  class End final : public CompiledGraph::RunEnd {
  public:
    End(Completion done, const BodyOperator &body)
        : RunEnd(std::move(done)), body_(body) {}
    void failed(const Record &input, std::exception_ptr error,
                FailedRun run) noexcept override {
      // This thread must hold no part of the failure once it is
      // delivered (see CompiledGraph::start()).
      if (body_.element_) {
        error = nullptr;
        return recover_on_pool(runtime::Executor::global(), *body_.element_,
                               input, body_.graph_.operators(), nullptr,
                               std::move(run), std::move(done_), [] {});
      }
      { FailedRun released = std::move(run); }
      std::exception_ptr cause;
      try {
        std::rethrow_exception(std::exchange(error, nullptr));
      } catch (const ExecutionError &failure) {
        cause = failure.cause();
      }
      done_.fail(std::move(cause));
    }

  private:
    const BodyOperator &body_;
  };

  CompiledGraph graph_;
  OperatorPtr element_;
};

/// Per node of \p function: the index of the task that holds it.
std::vector<std::uint32_t> task_of_node(const ir::Function &function) {
  std::vector<std::uint32_t> tasks(function.nodes.size(),
                                   runtime::TaskPlan::no_task);
  for (std::uint32_t t = 0; t < function.tasks.size(); ++t)
    for (ir::NodeIndex node : function.tasks[t].nodes)
      tasks[node] = t;
  return tasks;
}

/// The kind of each task of \p function: whether it calls operators, and
/// whether synchronously.
std::vector<runtime::TaskKind> task_kinds(const ir::Function &function) {
  std::vector<runtime::TaskKind> kinds;
  for (const ir::Task &task : function.tasks) {
    runtime::TaskKind kind = runtime::TaskKind::Routing;
    for (ir::NodeIndex index : task.nodes) {
      const ir::Node &node = function.nodes[index];
      // A map node waits for its elements on its thread, and a structured
      // node calls its branch there: both may block it.
      if (node.opcode == ir::Opcode::Map || ir::has_branches(node.opcode)) {
        kind = runtime::TaskKind::Blocking;
        break;
      }
      if (node.opcode != ir::Opcode::Call)
        continue;
      if (!node.async) {
        kind = runtime::TaskKind::Blocking;
        break;
      }
      kind = runtime::TaskKind::Calls;
    }
    kinds.push_back(kind);
  }
  return kinds;
}

bool has_async_call(const ir::Function &function) {
  return std::any_of(function.nodes.begin(), function.nodes.end(),
                     [](const ir::Node &node) { return node.async; });
}

} // namespace

Specification graph_specification(const ir::Function &function) {
  Specification spec;
  for (FieldId input : function.inputs)
    spec.input(input.name());
  for (FieldId output : function.outputs)
    spec.output(output.name());
  return spec.open_inputs();
}

llvm::Expected<CompiledGraph> compile(const ir::Module &scheduled,
                                      std::vector<OperatorPtr> operators,
                                      OptLevel level,
                                      std::vector<OperatorPtr> elements) {
  if (llvm::Error error = check_binding(scheduled, operators))
    return error;
  // Body b may map bodies before it, so each is compiled with the
  // operators of those.
  for (std::uint32_t b = 0; b < scheduled.bodies.size(); ++b) {
    ir::Module body = ir::body_module(scheduled, b);
    llvm::Expected<std::shared_ptr<const CompiledModule>> module =
        CompiledModule::get(body, level);
    if (!module)
      return module.takeError();
    OperatorPtr element = b < elements.size() ? elements[b] : nullptr;
    CompiledGraph graph(body.function, std::move(*module), operators);
    operators.push_back(std::make_shared<BodyOperator>(
        std::move(graph), body.function, std::move(element)));
  }
  llvm::Expected<std::shared_ptr<const CompiledModule>> module =
      CompiledModule::get(scheduled, level);
  if (!module)
    return module.takeError();
  return CompiledGraph(scheduled.function, std::move(*module),
                       std::move(operators));
}

CompiledGraph::CompiledGraph(const ir::Function &function,
                             std::shared_ptr<const CompiledModule> module,
                             std::vector<OperatorPtr> operators)
    : module_(std::move(module)),
      function_(std::make_shared<const ir::Function>(function)),
      plan_(std::make_shared<const runtime::TaskPlan>(
          module_->entry(), module_->output(), module_->task(),
          module_->tasks(), task_of_node(function), task_kinds(function),
          has_async_call(function))),
      operators_(std::move(operators)), inputs_(function.inputs),
      sorted_inputs_(function.inputs), name_(function.name) {
  std::sort(sorted_inputs_.begin(), sorted_inputs_.end());
  codegen::SideTables tables = codegen::collect_side_tables(function);
  constants_ = std::move(tables.constants);
  paths_ = std::move(tables.paths);
  proven_calls_ = prove_call_inputs(function, operators_);
  for (const codegen::CheckedField &checked : tables.checked_fields) {
    const Operator &op = *operators_[checked.op];
    checked_fields_.push_back({op.spec().find(checked.side, checked.field),
                               &op, checked.side, checked.node});
  }
  if (!function.nodes.empty())
    output_fields_ = function.nodes.back().fields;
  tables_ = {operators_.data(), constants_.data(), paths_.data(),
             checked_fields_.data(), proven_calls_.data()};
}

void CompiledGraph::check_inputs(const Record &input) const {
  // The input is sorted by field too, so one pass over it finds every
  // graph input: cheaper than a search per input.
  Record::const_iterator field = input.begin();
  for (FieldId wanted : sorted_inputs_) {
    while (field != input.end() && field->first < wanted)
      ++field;
    if (field == input.end() || field->first != wanted) [[unlikely]]
      fail_missing_input(input);
  }
}

template <typename OnFailure>
Record CompiledGraph::run_with(const Record &input,
                               const runtime::RunOptions &options,
                               OnFailure &&on_failure) const {
  check_inputs(input);
  Record output;
  runtime::Frame frame(module_->shape(), input, tables(), output);
  // One named result on every path, so that it is built in the caller's
  // record: a second returned expression costs a record move, about 90
  // instructions a run.
  if (plan_->run(frame, options) != 0) [[unlikely]]
    output = on_failure(frame);
  // A run leaves one value per output field, except when the output is a
  // call's record built in place (FrameShape::output_record), which may
  // have more fields.
  else if (output.size() != output_fields_.size()) [[unlikely]]
    keep_output_fields(output);
  return output;
}

std::exception_ptr
CompiledGraph::execution_error(const runtime::Frame &frame) {
  const runtime::Failure &failure = frame.failure();
  return std::make_exception_ptr(ExecutionError(
      ir::value_name(failure.node), std::string(failure.what), failure.error));
}

Record CompiledGraph::run(const Record &input,
                          const runtime::RunOptions &options) const {
  return run_with(input, options, [](runtime::Frame &frame) -> Record {
    std::rethrow_exception(execution_error(frame));
  });
}

Record CompiledGraph::run_or_recover(const Record &input,
                                     const runtime::RunOptions &options,
                                     Recovery recover) const {
  return run_with(input, options, [&](runtime::Frame &frame) {
    const runtime::Failure &failure = frame.failure();
    log::logger().info("graph @{}: node {} ('{}') failed, recovering the "
                       "eager outcome: {}",
                       name_, ir::value_name(failure.node), failure.what,
                       describe(failure.error));
    return recover(failed_run(*function_, operators_.size(), frame));
  });
}

CompiledGraph::RunEnd::~RunEnd() = default;

void CompiledGraph::RunEnd::succeeded(Record output) noexcept {
  done_.complete(std::move(output));
}

void CompiledGraph::RunEnd::failed(const Record &, std::exception_ptr error,
                                   FailedRun run) noexcept {
  // What the run did goes first: this thread must hold no part of the
  // failure once it is delivered (see start()).
  { FailedRun released = std::move(run); }
  done_.fail(std::move(error));
}

namespace {

/// What a started run holds until it ends.
struct StartedRun {
  StartedRun(const CompiledGraph &graph, const Record &input,
             std::unique_ptr<CompiledGraph::RunEnd> end)
      : input(input), frame(graph.module()->shape(), this->input,
                            graph.tables(), output),
        end(std::move(end)) {}

  Record input;
  Record output;
  runtime::Frame frame;
  std::unique_ptr<CompiledGraph::RunEnd> end;
};

/// Where a call's cancellation finds its run, which it may ask for before
/// the run is known (it is then cancelled as it becomes known) or after
/// it ended (nothing happens).
class CancelSlot {
public:
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    if (run_)
      run_->cancel();
  }
  void set(std::shared_ptr<runtime::ParallelRun> run) {
    std::lock_guard lock(mutex_);
    run_ = std::move(run);
    if (run_ && cancelled_)
      run_->cancel();
  }

private:
  std::mutex mutex_;
  std::shared_ptr<runtime::ParallelRun> run_;
  bool cancelled_ = false;
};

} // namespace

void CompiledGraph::start(const Record &input,
                          const runtime::RunOptions &options,
                          std::unique_ptr<RunEnd> end) const {
  check_inputs(input);
  auto cancel = std::make_shared<CancelSlot>();
  end->done_.on_cancel([cancel] { cancel->cancel(); });
  auto started = std::make_shared<StartedRun>(*this, input, std::move(end));
  runtime::Frame &frame = started->frame;
  cancel->set(plan_->start(
      frame, options,
      [this, started = std::move(started)](std::int32_t status) mutable {
        std::unique_ptr<RunEnd> end = std::move(started->end);
        if (status == 0) {
          if (started->output.size() != output_fields_.size())
            keep_output_fields(started->output);
          return end->succeeded(std::move(started->output));
        }
        std::exception_ptr error = execution_error(started->frame);
        FailedRun run =
            failed_run(*function_, operators_.size(), started->frame);
        Record input = std::move(started->input);
        // The frame's hold on the failure goes before the failure is
        // delivered, so that the receiving thread frees it (TSan cannot
        // see an exception's count, and would report the free here).
        started.reset();
        end->failed(input, std::move(error), std::move(run));
      }));
}

void CompiledGraph::keep_output_fields(Record &output) const {
  // Every output field is there: the gets of the output's values found it.
  Record kept;
  kept.reserve(output_fields_.size());
  for (FieldId field : output_fields_)
    kept.set(field, *output.find(field));
  output = std::move(kept);
}

void CompiledGraph::fail_missing_input(const Record &input) const {
  // Worded as the interpreter words it, naming the first missing input in
  // declaration order as it does.
  for (FieldId field : inputs_)
    if (!input.contains(field))
      throw InputError("graph @" + name_ + ": the input has no field '" +
                       std::string(field.name()) + "'");
  llvm_unreachable("run() found an input missing");
}

} // namespace xcs
