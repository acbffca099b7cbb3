//===- Driver/plan_operator.h - An IR file as an operator ------*- C++ -*-===//
#pragma once

#include "Core/startable.h"
#include "Driver/dump_plan.h"
#include "xcs/operator.h"

#include <memory>

namespace xcs {

/// The compiled plan of a routing-IR file as an operator: it takes the
/// graph's inputs (other fields are allowed and ignored, as a dataset's
/// extra columns are) and returns its outputs. A failing node throws the
/// plan's ExecutionError, naming the node and its operator. A plan whose
/// calls are all asynchronous starts without holding a thread
/// (Core/startable.h), so xcs-run keeps its items in flight on a few.
class PlanOperator final : public Operator, public detail::Startable {
public:
  /// \p dump must have been built with compile.
  PlanOperator(std::string name, std::shared_ptr<const DumpPlan> dump);
  Record forward(const Record &inputs) const override;
  bool can_start(const Record &inputs) const override;
  void start(const Record &inputs, Completion done) const override;

private:
  std::shared_ptr<const DumpPlan> dump_;
};

} // namespace xcs
