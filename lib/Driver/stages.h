//===- Driver/stages.h - The stages xcs-jit-dump can print ------*- C++ -*-===//
///
/// \file
/// The stages of a pipeline from discovery to machine code, in pipeline
/// order, and the --print=STAGES list that selects them.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <string_view>
#include <vector>

namespace xcs {

/// In pipeline order: stages always print in this order.
enum class Stage {
  Trace,   ///< The recorded calls of the discovery run.
  Graph,   ///< The XCSGraph as text.
  Dot,     ///< The XCSGraph as Graphviz DOT.
  Ir,      ///< The routing IR as lowered (or as read from a file).
  IrOpt,   ///< The routing IR after the passes, scheduled.
  Llvm,    ///< The LLVM IR as emitted.
  LlvmOpt, ///< The LLVM IR after the level's optimization pipeline.
  Asm,     ///< The level's machine code, as assembly.
};

/// "trace", "graph", "dot", "ir", "ir-opt", "llvm", "llvm-opt", "asm".
std::string_view stage_name(Stage stage);

/// Every stage, in pipeline order.
const std::vector<Stage> &all_stages();

/// Whether \p stage shows how an example's graph was discovered, which a
/// routing-IR file does not have.
bool is_discovery_stage(Stage stage);

/// Parses a comma-separated list of stage names into the stages it names,
/// in pipeline order, each once. InputError naming the unknown stage and
/// listing the valid ones.
std::vector<Stage> parse_stages(std::string_view list);

} // namespace xcs
