//===- jit_operator.cpp - The operator xcs::jit returns -------------------===//

#include "JIT/jit_operator.h"

#include "Core/call_observer.h"
#include "Core/log.h"
#include "JIT/plan_dump.h"
#include "JIT/plan_stages.h"
#include "JIT/recovery.h"
#include "JIT/verify.h"
#include "Runtime/executor.h"
#include "xcs/error.h"

namespace xcs {
namespace {

using Clock = std::chrono::steady_clock;

constexpr unsigned max_workers = runtime::Executor::max_workers;

void validate(const OperatorPtr &op, const JitOptions &options) {
  auto fail = [](const std::string &why) {
    throw InputError("jit: invalid option: " + why);
  };
  if (!op)
    throw InputError("jit: the operator is null");
  if (options.strategy != Strategy::Trace &&
      options.strategy != Strategy::Structural &&
      options.strategy != Strategy::Auto)
    fail("strategy " + std::to_string(static_cast<int>(options.strategy)) +
         " is not trace, structural or auto");
  if (options.optimization != OptimizationLevel::O0 &&
      options.optimization != OptimizationLevel::O2)
    fail("optimization level " +
         std::to_string(static_cast<int>(options.optimization)) +
         " is not O0 or O2");
  if (options.parallelism != Parallelism::Auto &&
      options.parallelism != Parallelism::Always &&
      options.parallelism != Parallelism::Never)
    fail("parallelism " +
         std::to_string(static_cast<int>(options.parallelism)) +
         " is not auto, always or never");
  if (options.workers > max_workers)
    fail("workers = " + std::to_string(options.workers) + " exceeds " +
         std::to_string(max_workers));
  if (options.max_plans_per_operator == 0)
    fail("max_plans_per_operator must be at least 1");
  if (options.max_plans == 0)
    fail("max_plans must be at least 1");
  if (!options.dump.stages.empty() && options.dump.directory.empty())
    fail("dump.directory is empty (dump.stages asks for a dump)");
}

/// How a plan's runs use threads under \p options.
runtime::RunOptions run_options(const JitOptions &options) {
  runtime::RunOptions run{.workers = options.workers};
  switch (options.parallelism) {
  case Parallelism::Auto:
    break;
  case Parallelism::Always:
    run.serial_below = std::chrono::nanoseconds(0);
    break;
  case Parallelism::Never:
    run.workers = 1;
    break;
  }
  return run;
}

} // namespace

std::string_view strategy_name(Strategy strategy) {
  switch (strategy) {
  case Strategy::Trace:
    return "trace";
  case Strategy::Structural:
    return "structural";
  case Strategy::Auto:
    return "auto";
  }
  return "unknown";
}

Strategy parse_strategy(std::string_view name) {
  for (Strategy s : {Strategy::Trace, Strategy::Structural, Strategy::Auto})
    if (strategy_name(s) == name)
      return s;
  throw InputError("unknown strategy '" + std::string(name) +
                   "' (expected trace, structural or auto)");
}

void set_default_workers(unsigned workers) {
  if (workers > max_workers)
    throw InputError("jit: default workers = " + std::to_string(workers) +
                     " exceeds " + std::to_string(max_workers));
  runtime::Executor::global().set_default_workers(workers);
}

unsigned default_workers() {
  return runtime::Executor::global().default_workers();
}

OperatorPtr jit(OperatorPtr op, JitOptions options) {
  validate(op, options);
  if (verify_requested_by_environment())
    options.verify = true;
  if (std::optional<PlanDump> dump = plan_dump_from_environment())
    options.dump = std::move(*dump);
  return std::make_shared<JitOperator>(std::move(op), options);
}

JitOperator::JitOperator(OperatorPtr inner, JitOptions options)
    : Operator(inner->name(), inner->spec()), inner_(std::move(inner)),
      options_(options), run_options_(run_options(options)),
      plans_(options.max_plans_per_operator, options.max_plans),
      timeline_(Timeline::open_configured(options_.timeline)) {}

Record JitOperator::forward(const Record &inputs) const {
  counters_.call();
  // Under an enclosing trace (or symbolic run) the enclosing plan is being
  // built, and under a recovery the enclosing plan's results answer the
  // calls: either way the observer must see the inner operator's calls.
  if (detail::current_observer)
    return (*inner_)(inputs);
  return serve(inputs);
}

/// The end of a detached run: its output is the call's, and a failure is
/// recovered on a pool thread, as the ending thread must not block.
class JitOperator::DetachedEnd final : public CompiledGraph::RunEnd {
public:
  DetachedEnd(Completion done, const JitOperator &op,
              std::shared_ptr<const CachedPlan> plan)
      : RunEnd(std::move(done)), op_(op), plan_(std::move(plan)),
        start_(Clock::now()) {}

  void succeeded(Record output) noexcept override {
    op_.counters_.executed(Clock::now() - start_);
    RunEnd::succeeded(std::move(output));
  }

  void failed(const Record &input, std::exception_ptr error,
              FailedRun run) noexcept override {
    // The recovered outcome is delivered from the pool thread: this one
    // must not hold the failure by then (see CompiledGraph::start()).
    error = nullptr;
    op_.counters_.recovered();
    runtime::Executor &executor = op_.run_options_.executor
                                      ? *op_.run_options_.executor
                                      : runtime::Executor::global();
    recover_on_pool(executor, *op_.inner_, input, plan_->compiled.operators(),
                    plan_, std::move(run), std::move(done_),
                    [&op = op_, start = start_] {
                      op.counters_.executed(Clock::now() - start);
                    });
  }

private:
  const JitOperator &op_;
  std::shared_ptr<const CachedPlan> plan_;
  Clock::time_point start_;
};

std::shared_ptr<const CachedPlan>
JitOperator::startable_plan(const Record &inputs) const {
  // Verify mode runs each call twice, and force_trace builds each time:
  // both on the caller's thread.
  if (options_.verify || options_.force_trace || detail::current_observer)
    return nullptr;
  MissReason miss;
  std::shared_ptr<const CachedPlan> plan = plans_.find(inputs, miss);
  return plan && !plan->compiled.blocks() ? plan : nullptr;
}

bool JitOperator::can_start(const Record &inputs) const {
  return startable_plan(inputs) != nullptr;
}

void JitOperator::start(const Record &inputs, Completion done) const {
  std::shared_ptr<const CachedPlan> plan = startable_plan(inputs);
  if (!plan) {
    done.complete_with([&] { return forward(inputs); });
    return;
  }
  counters_.call();
  counters_.hit();
  plan->compiled.start(inputs, run_options_,
                       std::make_unique<DetachedEnd>(std::move(done), *this,
                                                     plan));
}

Record JitOperator::serve(const Record &inputs) const {
  MissReason miss;
  if (std::optional<Record> result = run_cached(inputs, miss))
    return std::move(*result);
  return build_and_run(inputs, miss);
}

std::optional<Record> JitOperator::run_cached(const Record &inputs,
                                              MissReason &miss) const {
  if (options_.force_trace) {
    miss = MissReason::ForceTrace;
    return std::nullopt;
  }
  std::shared_ptr<const CachedPlan> plan = plans_.find(inputs, miss);
  if (!plan)
    return std::nullopt;
  counters_.hit();
  return execute(*plan, inputs);
}

Record JitOperator::build_and_run(const Record &inputs,
                                  MissReason miss) const {
  std::lock_guard lock(build_mutex_);
  // Another thread may have built the plan while this one waited.
  MissReason again;
  if (std::optional<Record> result = run_cached(inputs, again))
    return std::move(*result);
  counters_.miss();
  log::logger().info("jit '{}': cache miss ({})", name(),
                     miss_reason_name(miss));
  if (miss != MissReason::StateSignatureChanged && !options_.force_trace &&
      plans_.size() >= options_.max_plans_per_operator)
    return run_eagerly(inputs);

  Strategy strategy = options_.force_trace ? Strategy::Trace : options_.strategy;
  BuiltPlan built = build_plan(inner_, inputs, strategy,
                               engine_level(options_.optimization),
                               !options_.force_trace, &options_);
  counters_.traced(built.trace_time);
  counters_.compiled(built.compile_time);
  counters_.chose(built.strategy, built.strategy_reason);
  PlanShape shape = plan_shape(built.graph);
  counters_.shaped(shape);
  if (!shape.note.empty())
    log::logger().info("jit '{}': {}", name(), shape.note);
  log::logger().info("jit '{}': built a plan ({})", name(),
                     built.strategy_reason);
  std::optional<Record> traced_output = std::move(built.traced_output);
  // The traced call is this call's execution: it ran the pipeline.
  if (traced_output)
    counters_.executed(built.traced_call_time);
  std::shared_ptr<CachedPlan> plan;
  if (built.compiled) {
    plan = std::make_shared<CachedPlan>(
        CachedPlan{shape_of(inputs), std::move(built.guards),
                   std::move(*built.compiled), built.strategy,
                   built.strategy_reason});
    built.compiled.reset();
    plans_.insert(plan);
  }
  keep_stages(std::move(built));
  if (plan && !traced_output)
    return execute(*plan, inputs);
  // The traced call ran for real: its result is this call's result.
  return std::move(*traced_output);
}

void JitOperator::keep_stages(BuiltPlan built) const {
  write_plan_dump(options_.dump, name(), built,
                  engine_level(options_.optimization));
  built.trace_listing = xcs::stage_text(PlanStage::Trace, built,
                                        engine_level(options_.optimization));
  built.trace.context.reset();
  auto kept = std::make_shared<const BuiltPlan>(std::move(built));
  std::lock_guard lock(last_built_mutex_);
  last_built_ = std::move(kept);
}

std::string JitOperator::stage_text(PlanStage stage) const {
  std::shared_ptr<const BuiltPlan> built;
  {
    std::lock_guard lock(last_built_mutex_);
    built = last_built_;
  }
  if (!built)
    throw InputError("plan_stage_text: jit operator '" + name() +
                     "' has built no plan yet (its first call builds one)");
  return xcs::stage_text(stage, *built, engine_level(options_.optimization));
}

std::string plan_stage_text(const Operator &jit_op, PlanStage stage) {
  const auto *jit = dynamic_cast<const JitOperator *>(&jit_op);
  if (!jit)
    throw InputError("plan_stage_text: operator '" + jit_op.name() +
                     "' is not a jit operator (make one with xcs::jit)");
  return jit->stage_text(stage);
}

Record JitOperator::execute(const CachedPlan &plan,
                            const Record &inputs) const {
  if (!options_.verify) [[likely]]
    return run_plan(plan, inputs);
  Outcome served = Outcome::of([&] { return run_plan(plan, inputs); });
  verify_against_eager(name(), *inner_, inputs, served);
  return std::move(served).take();
}

Record JitOperator::run_plan(const CachedPlan &plan,
                             const Record &inputs) const {
  Clock::time_point start = Clock::now();
  Record result = plan.compiled.run_or_recover(
      inputs, run_options_, [&](FailedRun run) {
        counters_.recovered();
        return recover(*inner_, inputs, plan.compiled.operators(),
                       std::move(run));
      });
  counters_.executed(Clock::now() - start);
  return result;
}

Record JitOperator::run_eagerly(const Record &inputs) const {
  counters_.eager();
  std::call_once(eager_logged_, [&] {
    log::logger().warn("jit '{}': holds {} plans (max_plans_per_operator); "
                       "calls needing another plan run eagerly",
                       name(), options_.max_plans_per_operator);
  });
  return (*inner_)(inputs);
}

Record JitOperator::report() const {
  Record record = counters_.report();
  record.set("plans", static_cast<std::int64_t>(plans_.size()));
  // The count runs use, not the option: 0 means the executor's default,
  // and Parallelism::Never means one.
  record.set("workers", static_cast<std::int64_t>(
                            runtime::Executor::global().workers_for(
                                run_options_.workers)));
  if (timeline_) {
    std::vector<Value> nodes;
    for (Record &row : timeline_->node_times())
      nodes.push_back(Value::record(std::move(row)));
    record.set("node_times", Value::list(std::move(nodes)));
  }
  return record;
}

} // namespace xcs
