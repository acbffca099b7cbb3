//===- JIT/jit_operator.h - The operator xcs::jit returns -------*- C++ -*-===//
///
/// \file
/// A JitOperator serves each call from a cached plan of its inner operator,
/// building one on a miss by its strategy. Under an enclosing trace it calls
/// the inner operator directly, so the enclosing plan sees (and flattens)
/// what it contains: that is what makes nested jit equal to eager.
///
/// A call through call_async() or xcs::BatchRunner whose cached plan makes
/// only asynchronous calls starts the plan detached (Core/startable.h): no
/// thread waits for it, and a failed run recovers the eager outcome on a
/// pool thread, since the thread that ends the run may be the I/O thread.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/jit_cache.h"
#include "JIT/jit_metrics.h"
#include "JIT/plan_builder.h"
#include "JIT/timeline.h"
#include "Core/startable.h"
#include "Runtime/executor.h"
#include "xcs/jit.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace xcs {

class JitOperator : public Operator,
                    public Composite,
                    public detail::Startable {
public:
  /// \p options must have been validated.
  JitOperator(OperatorPtr inner, JitOptions options);

  Record forward(const Record &inputs) const override;
  bool can_start(const Record &inputs) const override;
  void start(const Record &inputs, Completion done) const override;
  /// The counters of this operator plus {plans, workers}.
  Record report() const;
  /// The text of \p stage of the plan built last; InputError when none
  /// was built.
  std::string stage_text(PlanStage stage) const;

private:
  class DetachedEnd;
  /// The cached plan a detached call on \p inputs may use, if any.
  std::shared_ptr<const CachedPlan> startable_plan(const Record &inputs) const;
  /// forward() once counted: through a cached plan, or a new one.
  Record serve(const Record &inputs) const;
  /// The result of \p inputs through a cached plan, or nullopt with the
  /// reason of the miss in \p miss.
  std::optional<Record> run_cached(const Record &inputs,
                                   MissReason &miss) const;
  Record build_and_run(const Record &inputs, MissReason miss) const;
  /// The outcome of \p inputs through \p plan, checked against the eager
  /// call in verify mode.
  Record execute(const CachedPlan &plan, const Record &inputs) const;
  /// The outcome of \p inputs through \p plan: its result, or when a node
  /// fails, the eager outcome recovered from the run (JIT/recovery.h).
  Record run_plan(const CachedPlan &plan, const Record &inputs) const;
  Record run_eagerly(const Record &inputs) const;
  /// Keeps what \p built holds besides its machine code for stage_text(),
  /// and writes the stages options_.dump asks for.
  void keep_stages(BuiltPlan built) const;

  OperatorPtr inner_;
  JitOptions options_;
  /// How plan runs use threads, from options_.
  runtime::RunOptions run_options_;
  mutable PlanSet plans_;
  mutable JitCounters counters_;
  /// Serializes plan building, so concurrent first calls build one plan.
  mutable std::mutex build_mutex_;
  mutable std::once_flag eager_logged_;
  /// The plan built last, without its machine code (stage_text()).
  mutable std::mutex last_built_mutex_;
  mutable std::shared_ptr<const BuiltPlan> last_built_;
  /// Where this operator's calls are recorded, if a timeline was asked for
  /// (JitOptions::timeline, XCS_TIMELINE).
  std::shared_ptr<Timeline> timeline_;
};

} // namespace xcs
