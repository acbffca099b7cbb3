//===- JIT/plan_dump.h - Writing the stages of built plans ------*- C++ -*-===//
///
/// \file
/// JitOptions::dump and XCS_DUMP: every plan a jit operator builds writes
/// the asked stages to a directory, one file per stage and plan, named by
/// the operator and a hash of the plan so that plans of one operator (one
/// per state and input shape) and of several operators sit side by side.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/jit_engine.h"
#include "JIT/plan_builder.h"
#include "xcs/jit.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xcs {

/// What XCS_DUMP asks for: nullopt when it is unset or empty. InputError
/// naming XCS_DUMP and what is wrong for a value that is not STAGES:DIR.
std::optional<PlanDump> plan_dump_from_environment();

/// Parses "STAGES:DIR" (the value of XCS_DUMP).
PlanDump parse_plan_dump(std::string_view value);

/// "NAME.HASH.STAGE.EXT": the file \p stage of the plan hashed \p plan_hash
/// of the operator \p op_name goes to. Characters of the name outside
/// [A-Za-z0-9_-] become '_'; the hash is 16 hex digits.
std::string dump_file_name(std::string_view op_name, std::uint64_t plan_hash,
                           PlanStage stage);

/// A hash of what \p plan computes and how it is compiled: its scheduled
/// routing IR and \p level.
std::uint64_t plan_hash(const BuiltPlan &plan, OptLevel level);

/// Writes the stages \p dump asks for of \p plan, built for the operator
/// \p op_name at \p level, into dump.directory (created if missing). A
/// stage that fails to render or to be written is logged as an error: a
/// dump is a diagnostic and never fails the call that built the plan.
void write_plan_dump(const PlanDump &dump, std::string_view op_name,
                     const BuiltPlan &plan, OptLevel level);

} // namespace xcs
