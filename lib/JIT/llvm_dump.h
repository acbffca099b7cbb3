//===- JIT/llvm_dump.h - The LLVM stages as text ----------------*- C++ -*-===//
///
/// \file
/// The text of each LLVM stage of a compiled graph, for xcs-jit-dump: the
/// emitted LLVM IR, the IR after the optimization pipeline of a level, and
/// the assembly the shared TargetMachine generates. Symbols are named after
/// the graph (xcs_<name>_entry, ...) rather than uniquely, so the text is
/// the same on every run; nothing is linked.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "JIT/jit_engine.h"

#include "llvm/Support/Error.h"

#include <string>

namespace xcs {

enum class LlvmStage {
  /// The module as emitted from the routing IR.
  Emitted,
  /// After the level's IR optimization pipeline (none at O0).
  Optimized,
  /// The level's machine code, as assembly.
  Assembly,
};

/// The text of \p stage for \p scheduled (scheduled and given slots) at
/// \p level.
llvm::Expected<std::string> dump_llvm(const ir::Module &scheduled,
                                      OptLevel level, LlvmStage stage);

} // namespace xcs
