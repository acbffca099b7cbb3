//===- Driver/plan_operator.h - An IR file as an operator ------*- C++ -*-===//
#pragma once

#include "Driver/dump_plan.h"
#include "xcs/operator.h"

#include <memory>

namespace xcs {

/// The compiled plan of a routing-IR file as an operator: it takes the
/// graph's inputs (other fields are allowed and ignored, as a dataset's
/// extra columns are) and returns its outputs. A failing node throws the
/// plan's ExecutionError, naming the node and its operator.
class PlanOperator final : public Operator {
public:
  /// \p dump must have been built with compile.
  PlanOperator(std::string name, std::shared_ptr<const DumpPlan> dump);
  Record forward(const Record &inputs) const override;

private:
  std::shared_ptr<const DumpPlan> dump_;
};

} // namespace xcs
