//===- Driver/plan_operator.cpp - A routing-IR file as an operator --------===//

#include "Driver/plan_operator.h"

namespace xcs {

PlanOperator::PlanOperator(std::string name,
                           std::shared_ptr<const DumpPlan> dump)
    : Operator(std::move(name),
               graph_specification(dump->plan.scheduled.function)),
      dump_(std::move(dump)) {}

Record PlanOperator::forward(const Record &inputs) const {
  return run_plan(*dump_, inputs, /*interpret=*/false).output;
}

bool PlanOperator::can_start(const Record &) const {
  return !dump_->plan.compiled->blocks();
}

namespace {

/// Keeps the plan alive until its run ends.
class PlanRunEnd final : public CompiledGraph::RunEnd {
public:
  PlanRunEnd(Completion done, std::shared_ptr<const DumpPlan> dump)
      : RunEnd(std::move(done)), dump_(std::move(dump)) {}

private:
  std::shared_ptr<const DumpPlan> dump_;
};

} // namespace

void PlanOperator::start(const Record &inputs, Completion done) const {
  dump_->plan.compiled->start(
      inputs, {}, std::make_unique<PlanRunEnd>(std::move(done), dump_));
}

} // namespace xcs
