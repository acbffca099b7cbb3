//===- JIT/jit_engine.h - The process-wide ORC engine -----------*- C++ -*-===//
///
/// \file
/// All of XCS's use of ORC sits behind this header, and every ORC call is in
/// jit_engine.cpp, so an LLVM upgrade touches one file.
///
/// The engine is process-wide and created on first use. It holds:
///  - one TargetMachine for the host, shared by everything that needs one:
///    the IR optimization pipeline, machine-code generation for both
///    LLJITs, and assembly dumps. A TargetMachine is not thread-safe and its
///    code-generation level is a setting, so each use takes a lock and sets
///    the level it needs;
///  - one long-lived LLJIT per optimization level, created when first used.
///    Each links against a bare "xcs-runtime" JITDylib holding the runtime
///    helpers as absolute symbols, and against nothing else from the
///    process, so compiled code can only reach what XCS binds explicitly;
///  - one ResourceTracker per linked module (LinkedModule), so releasing a
///    module frees its machine code without touching any other.
///
/// The engine is never destroyed: modules may be released during static
/// destruction, after any engine-owning static would be gone.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "CodeGen/emitter.h"
#include "Runtime/runtime_abi.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace llvm::orc {
class LLJIT;
class ResourceTracker;
} // namespace llvm::orc

namespace xcs {

/// How hard to optimize compiled graphs. O0 (the default) compiles fastest;
/// O2 runs LLVM's O2 IR pipeline and optimizing instruction selection.
enum class OptLevel { O0, O2 };

/// "O0" or "O2".
std::string_view opt_level_name(OptLevel level);

class JitEngine;

/// Where a linked module's entry points are (see CodeGen/emitter.h).
struct ModuleSymbols {
  runtime::TaskFunction entry = nullptr;
  runtime::TaskRunner task = nullptr;
  runtime::TaskFunction output = nullptr;
  const runtime::TaskEntry *tasks = nullptr;
};

/// Machine code of one module in the engine. Destroying it removes the
/// code.
class LinkedModule {
public:
  ~LinkedModule();
  LinkedModule(const LinkedModule &) = delete;
  LinkedModule &operator=(const LinkedModule &) = delete;

  const ModuleSymbols &symbols() const { return symbols_; }

private:
  friend class JitEngine;
  LinkedModule(JitEngine &engine,
               llvm::IntrusiveRefCntPtr<llvm::orc::ResourceTracker> tracker,
               ModuleSymbols symbols);

  JitEngine &engine_;
  llvm::IntrusiveRefCntPtr<llvm::orc::ResourceTracker> tracker_;
  ModuleSymbols symbols_;
};

class JitEngine {
public:
  /// The process-wide engine; fails if the host target cannot be set up.
  static llvm::Expected<JitEngine &> instance();

  JitEngine(const JitEngine &) = delete;
  JitEngine &operator=(const JitEngine &) = delete;
  ~JitEngine();

  /// Gives \p module the host's data layout and target triple.
  void set_target(llvm::Module &module);
  /// Runs \p level's IR optimization pipeline on \p module, which must have
  /// the host target; nothing at O0.
  void optimize(llvm::Module &module, OptLevel level);
  /// The assembly generated for \p module at \p level.
  llvm::Expected<std::string> assembly(llvm::Module &module, OptLevel level);

  /// Sets the target of \p emitted's module, optimizes it, compiles and
  /// links it into \p level's LLJIT, and looks up its entry points.
  /// \p context must be the module's; the engine keeps both.
  llvm::Expected<std::unique_ptr<LinkedModule>>
  link(codegen::EmittedModule emitted,
       std::unique_ptr<llvm::LLVMContext> context, OptLevel level);

  /// How many LinkedModules are alive.
  std::size_t live_modules() const {
    return live_modules_.load(std::memory_order_acquire);
  }

private:
  explicit JitEngine(std::unique_ptr<llvm::TargetMachine> target_machine);
  friend class LinkedModule;
  class SharedTargetCompiler;

  static llvm::Expected<JitEngine *> create();
  /// Sets the shared TargetMachine up to generate code at \p level. The
  /// caller holds target_mutex_.
  void configure_code_generation(OptLevel level);

  /// \p level's LLJIT, created on first use.
  llvm::Expected<llvm::orc::LLJIT &> jit(OptLevel level);
  llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> create_jit(OptLevel level);

  /// Guards target_machine_.
  std::mutex target_mutex_;
  std::unique_ptr<llvm::TargetMachine> target_machine_;
  /// Guards jits_.
  std::mutex jits_mutex_;
  std::array<std::unique_ptr<llvm::orc::LLJIT>, 2> jits_;
  std::atomic<std::size_t> live_modules_{0};
  /// Released by the thread that links a module once it is emitted,
  /// acquired by link() after its lookup (see EmittedFence).
  std::atomic<std::uint64_t> emitted_modules_{0};
};

} // namespace xcs
