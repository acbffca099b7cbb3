//===- jit_engine.cpp - The process-wide ORC engine -----------------------===//
//
// The only file that calls ORC.
//
//===----------------------------------------------------------------------===//

#include "JIT/jit_engine.h"

#include "Core/log.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/IRCompileLayer.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <variant>

namespace xcs {
namespace {

llvm::Error engine_error(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Defines every runtime helper as an absolute symbol in a bare JITDylib
/// that \p jit's main JITDylib links against.
llvm::Error bind_runtime(llvm::orc::LLJIT &jit) {
  llvm::orc::SymbolMap symbols;
  for (const runtime::RuntimeSymbol &symbol : runtime::runtime_symbols())
    symbols[jit.mangleAndIntern(symbol.name)] = {
        llvm::orc::ExecutorAddr::fromPtr(symbol.address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  llvm::orc::JITDylib &runtime =
      jit.getExecutionSession().createBareJITDylib("xcs-runtime");
  if (llvm::Error error =
          runtime.define(llvm::orc::absoluteSymbols(std::move(symbols))))
    return error;
  jit.getMainJITDylib().addToLinkOrder(runtime);
  return llvm::Error::success();
}

/// Orders what linking a module did before what the thread that looked the
/// module up does next, in a way ThreadSanitizer sees. ORC may link a
/// module on another thread than the one that asked for it (a thread inside
/// a lookup runs every materialization pending in the session), and it
/// hands the result over through its own synchronization inside libLLVM,
/// which TSan does not instrument: TSan would then take a plan's reads of
/// its module's constants for races with the linking thread's mapping of
/// that memory. The linking thread releases once the module is emitted;
/// JitEngine::link acquires after its lookup.
class EmittedFence : public llvm::orc::ObjectLinkingLayer::Plugin {
public:
  explicit EmittedFence(std::atomic<std::uint64_t> &emitted)
      : emitted_(emitted) {}

  llvm::Error
  notifyEmitted(llvm::orc::MaterializationResponsibility &) override {
    emitted_.fetch_add(1, std::memory_order_release);
    return llvm::Error::success();
  }
  llvm::Error
  notifyFailed(llvm::orc::MaterializationResponsibility &) override {
    return llvm::Error::success();
  }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib &,
                                      llvm::orc::ResourceKey) override {
    return llvm::Error::success();
  }
  void notifyTransferringResources(llvm::orc::JITDylib &,
                                   llvm::orc::ResourceKey,
                                   llvm::orc::ResourceKey) override {}

private:
  std::atomic<std::uint64_t> &emitted_;
};

} // namespace

std::string_view opt_level_name(OptLevel level) {
  return level == OptLevel::O0 ? "O0" : "O2";
}

/// Generates machine code with the engine's shared TargetMachine, under its
/// lock, at this compiler's level.
class JitEngine::SharedTargetCompiler
    : public llvm::orc::IRCompileLayer::IRCompiler {
public:
  SharedTargetCompiler(JitEngine &engine, OptLevel level)
      : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(
            engine.target_machine_->Options)),
        engine_(engine), level_(level) {}

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
  operator()(llvm::Module &module) override {
    std::lock_guard lock(engine_.target_mutex_);
    engine_.configure_code_generation(level_);
    return llvm::orc::SimpleCompiler(*engine_.target_machine_)(module);
  }

private:
  JitEngine &engine_;
  OptLevel level_;
};

LinkedModule::LinkedModule(
    JitEngine &engine,
    llvm::IntrusiveRefCntPtr<llvm::orc::ResourceTracker> tracker,
    ModuleSymbols symbols)
    : engine_(engine), tracker_(std::move(tracker)), symbols_(symbols) {
  engine_.live_modules_.fetch_add(1, std::memory_order_acq_rel);
}

LinkedModule::~LinkedModule() {
  llvm::orc::ExecutionSession &session =
      tracker_->getJITDylib().getExecutionSession();
  if (llvm::Error error = tracker_->remove())
    log::logger().error("cannot free the code of a compiled graph: {}",
                        llvm::toString(std::move(error)));
  // Every module's symbols have names of their own, and the session's
  // string pool keeps a name until told to drop the unreferenced ones.
  session.getSymbolStringPool()->clearDeadEntries();
  engine_.live_modules_.fetch_sub(1, std::memory_order_acq_rel);
}

JitEngine::JitEngine(std::unique_ptr<llvm::TargetMachine> target_machine)
    : target_machine_(std::move(target_machine)) {}

JitEngine::~JitEngine() = default;

llvm::Expected<JitEngine &> JitEngine::instance() {
  // Created once, never destroyed (see the header). A failure is kept as
  // text so that every caller gets its own error.
  static const std::variant<JitEngine *, std::string> created =
      []() -> std::variant<JitEngine *, std::string> {
    llvm::Expected<JitEngine *> engine = create();
    if (!engine)
      return llvm::toString(engine.takeError());
    return *engine;
  }();
  if (const std::string *error = std::get_if<std::string>(&created))
    return engine_error(*error);
  return *std::get<JitEngine *>(created);
}

llvm::Expected<JitEngine *> JitEngine::create() {
  if (llvm::InitializeNativeTarget() ||
      llvm::InitializeNativeTargetAsmPrinter() ||
      llvm::InitializeNativeTargetAsmParser())
    return engine_error("cannot initialize LLVM's native target");
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> builder =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  // JIT targets default to the large code model, which fast instruction
  // selection does not handle on x86-64, so every O0 function would fall
  // back to SelectionDAG. JITLink supports the small model: it places a
  // module's sections together and reaches distant symbols through stubs.
  // Position-independent code keeps every reference PC-relative: JIT
  // memory is not in the low 4 GiB that absolute 32-bit fixups need.
  builder->setCodeModel(llvm::CodeModel::Small);
  builder->setRelocationModel(llvm::Reloc::PIC_);
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> target_machine =
      builder->createTargetMachine();
  if (!target_machine)
    return target_machine.takeError();
  return new JitEngine(std::move(*target_machine));
}

void JitEngine::configure_code_generation(OptLevel level) {
  bool fast = level == OptLevel::O0;
  target_machine_->setOptLevel(fast ? llvm::CodeGenOptLevel::None
                                    : llvm::CodeGenOptLevel::Default);
  // Code generation at O0 turns fast instruction selection on and nothing
  // turns it off again, so every use states it.
  target_machine_->setFastISel(fast);
}

void JitEngine::set_target(llvm::Module &module) {
  module.setDataLayout(target_machine_->createDataLayout());
  module.setTargetTriple(target_machine_->getTargetTriple().str());
}

void JitEngine::optimize(llvm::Module &module, OptLevel level) {
  if (level == OptLevel::O0)
    return;
  std::lock_guard lock(target_mutex_);
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder passes(target_machine_.get());
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(sccs);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, sccs, modules);
  passes.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2)
      .run(module, modules);
}

llvm::Expected<std::string> JitEngine::assembly(llvm::Module &module,
                                                OptLevel level) {
  std::lock_guard lock(target_mutex_);
  configure_code_generation(level);
  llvm::SmallString<0> text;
  llvm::raw_svector_ostream out(text);
  llvm::legacy::PassManager passes;
  if (target_machine_->addPassesToEmitFile(
          passes, out, nullptr, llvm::CodeGenFileType::AssemblyFile))
    return engine_error("the host target cannot emit assembly");
  passes.run(module);
  return std::string(text.str());
}

llvm::Expected<llvm::orc::LLJIT &> JitEngine::jit(OptLevel level) {
  std::lock_guard lock(jits_mutex_);
  std::unique_ptr<llvm::orc::LLJIT> &jit =
      jits_[static_cast<std::size_t>(level)];
  if (!jit) {
    llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> created =
        create_jit(level);
    if (!created)
      return created.takeError();
    jit = std::move(*created);
  }
  return *jit;
}

llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>>
JitEngine::create_jit(OptLevel level) {
  llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> jit =
      llvm::orc::LLJITBuilder()
          .setDataLayout(target_machine_->createDataLayout())
          // Compiled code needs no static initializers, and may reach only
          // the runtime helpers, not arbitrary process symbols.
          .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
          .setLinkProcessSymbolsByDefault(false)
          .setCompileFunctionCreator(
              [this, level](llvm::orc::JITTargetMachineBuilder)
                  -> llvm::Expected<std::unique_ptr<
                      llvm::orc::IRCompileLayer::IRCompiler>> {
                return std::make_unique<SharedTargetCompiler>(*this, level);
              })
          .create();
  if (!jit)
    return jit.takeError();
  // Errors nobody waits for (a failed removal, say) go to the log, not to
  // the embedding application's standard error.
  (*jit)->getExecutionSession().setErrorReporter([](llvm::Error error) {
    log::logger().warn("JIT: {}", llvm::toString(std::move(error)));
  });
  auto *linker = dynamic_cast<llvm::orc::ObjectLinkingLayer *>(
      &(*jit)->getObjLinkingLayer());
  if (!linker)
    return engine_error("ORC does not link with JITLink on this host");
  linker->addPlugin(std::make_unique<EmittedFence>(emitted_modules_));
  if (llvm::Error error = bind_runtime(**jit))
    return error;
  return jit;
}

llvm::Expected<std::unique_ptr<LinkedModule>>
JitEngine::link(codegen::EmittedModule emitted,
                std::unique_ptr<llvm::LLVMContext> context, OptLevel level) {
  llvm::Expected<llvm::orc::LLJIT &> jit = this->jit(level);
  if (!jit)
    return jit.takeError();
  set_target(*emitted.module);
  optimize(*emitted.module, level);
  llvm::orc::JITDylib &main = jit->getMainJITDylib();
  llvm::orc::ResourceTrackerSP tracker = main.createResourceTracker();
  if (llvm::Error error = jit->addIRModule(
          tracker, llvm::orc::ThreadSafeModule(std::move(emitted.module),
                                               std::move(context))))
    return error;
  // Looking the symbols up compiles and links the module, here and now.
  llvm::orc::SymbolStringPtr entry = jit->mangleAndIntern(emitted.entry_symbol);
  llvm::orc::SymbolStringPtr task = jit->mangleAndIntern(emitted.task_symbol);
  llvm::orc::SymbolStringPtr output =
      jit->mangleAndIntern(emitted.output_symbol);
  llvm::orc::SymbolStringPtr tasks = jit->mangleAndIntern(emitted.tasks_symbol);
  llvm::Expected<llvm::orc::SymbolMap> found =
      jit->getExecutionSession().lookup(
          llvm::orc::makeJITDylibSearchOrder(&main),
          llvm::orc::SymbolLookupSet({entry, task, output, tasks}));
  if (!found)
    return llvm::joinErrors(found.takeError(), tracker->remove());
  // Pairs with EmittedFence's release by whichever thread linked the module.
  emitted_modules_.load(std::memory_order_acquire);
  auto address = [&](const llvm::orc::SymbolStringPtr &name) {
    return (*found)[name].getAddress();
  };
  ModuleSymbols symbols;
  symbols.entry = address(entry).toPtr<runtime::TaskFunction>();
  symbols.task = address(task).toPtr<runtime::TaskRunner>();
  symbols.output = address(output).toPtr<runtime::TaskFunction>();
  symbols.tasks = address(tasks).toPtr<const runtime::TaskEntry *>();
  return std::unique_ptr<LinkedModule>(
      new LinkedModule(*this, std::move(tracker), symbols));
}

} // namespace xcs
