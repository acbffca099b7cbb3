//===- JIT/compiled_module.h - Shared machine code of a graph ---*- C++ -*-===//
///
/// \file
/// A CompiledModule is the machine code compiled from one scheduled routing
/// IR text at one optimization level. The code does not depend on which
/// operator instances fill the operator table (they come from the frame),
/// so every graph whose IR prints the same shares one module: modules are
/// cached by their printed text (which includes the schedule and the slots)
/// and level, for as long as some graph holds them. When the last holder
/// releases a module its code is removed from the engine.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "JIT/jit_engine.h"
#include "Runtime/runtime_abi.h"

#include "llvm/Support/Error.h"

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace xcs {

class CompiledModule {
public:
  /// The module for \p scheduled at \p level: the live one compiled from
  /// the same text if there is one, else a newly compiled one. Fails when
  /// code generation or linking fails.
  static llvm::Expected<std::shared_ptr<const CompiledModule>>
  get(const ir::Module &scheduled, OptLevel level);

  ~CompiledModule();
  CompiledModule(const CompiledModule &) = delete;
  CompiledModule &operator=(const CompiledModule &) = delete;

  /// Runs every task in order on the calling thread, then the output.
  runtime::TaskFunction entry() const { return linked_->symbols().entry; }
  /// Runs one task; the executor runs them as the table allows.
  runtime::TaskRunner task() const { return linked_->symbols().task; }
  /// Builds the frame's output record; run once every task is done.
  runtime::TaskFunction output() const { return linked_->symbols().output; }
  /// The task table, one entry per task of the schedule.
  std::span<const runtime::TaskEntry> tasks() const {
    return {linked_->symbols().tasks, task_count_};
  }
  runtime::FrameShape shape() const { return shape_; }
  OptLevel level() const { return level_; }

private:
  CompiledModule(std::string key, std::unique_ptr<LinkedModule> linked,
                 std::size_t task_count, runtime::FrameShape shape,
                 OptLevel level);
  static llvm::Expected<std::shared_ptr<const CompiledModule>>
  compile(const ir::Module &scheduled, OptLevel level, std::string key);

  std::string key_;
  std::unique_ptr<LinkedModule> linked_;
  std::size_t task_count_;
  runtime::FrameShape shape_;
  OptLevel level_;
};

/// How many compiled modules have code in the engine.
std::size_t live_compiled_modules();

} // namespace xcs
