//===- JIT/plan_stages.h - The text of each stage of a plan -----*- C++ -*-===//
///
/// \file
/// What each PlanStage (xcs/jit.h) of a built plan reads as: the text
/// XCS_DUMP writes, plan_stage_text() returns and xcs-jit-dump prints.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/jit_engine.h"
#include "JIT/plan_builder.h"
#include "xcs/jit.h"

#include <string>

namespace xcs {

/// Whether \p stage shows how a graph was discovered (trace, graph, dot),
/// which a plan read from a routing-IR file does not have.
bool is_discovery_stage(PlanStage stage);

/// The text of \p stage of \p plan, whose machine code is for \p level. The
/// trace and graph stages start with the strategy that discovered the
/// graph and why. CompileError when LLVM fails on the plan.
std::string stage_text(PlanStage stage, const BuiltPlan &plan, OptLevel level);

} // namespace xcs
