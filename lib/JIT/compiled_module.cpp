//===- compiled_module.cpp - Shared machine code of a graph ---------------===//

#include "JIT/compiled_module.h"

#include "CodeGen/emitter.h"
#include "IR/printer.h"

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace xcs {
namespace {

/// Live modules by key. Entries are weak: the cache never keeps code alive.
class ModuleCache {
public:
  std::shared_ptr<const CompiledModule> find(const std::string &key) {
    std::lock_guard lock(mutex_);
    auto it = modules_.find(key);
    return it == modules_.end() ? nullptr : it->second.lock();
  }

  /// Caches \p module under \p key unless another thread cached a live
  /// module there first; returns the cached one.
  std::shared_ptr<const CompiledModule>
  insert(const std::string &key,
         const std::shared_ptr<const CompiledModule> &module) {
    std::lock_guard lock(mutex_);
    std::weak_ptr<const CompiledModule> &entry = modules_[key];
    if (std::shared_ptr<const CompiledModule> existing = entry.lock())
      return existing;
    entry = module;
    return module;
  }

  /// Forgets \p key if its module is gone; a module compiled for the same
  /// key meanwhile stays.
  void release(const std::string &key) {
    std::lock_guard lock(mutex_);
    auto it = modules_.find(key);
    if (it != modules_.end() && it->second.expired())
      modules_.erase(it);
  }

private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<const CompiledModule>>
      modules_;
};

/// Never destroyed, like the engine: modules may be released during static
/// destruction.
ModuleCache &cache() {
  static ModuleCache *modules = new ModuleCache;
  return *modules;
}

/// The printed IR identifies the code exactly: operators print by table
/// index and name, never by instance, and the schedule and slots print too.
std::string cache_key(const ir::Module &scheduled, OptLevel level) {
  std::string key = ir::print(scheduled);
  key += opt_level_name(level);
  return key;
}

/// A symbol prefix no other module in the process has.
std::string unique_prefix() {
  static std::atomic<std::uint64_t> next{0};
  return "xcs_g" + std::to_string(next.fetch_add(1, std::memory_order_relaxed));
}

} // namespace

CompiledModule::CompiledModule(std::string key,
                               std::unique_ptr<LinkedModule> linked,
                               std::size_t task_count,
                               runtime::FrameShape shape, OptLevel level)
    : key_(std::move(key)), linked_(std::move(linked)),
      task_count_(task_count), shape_(shape), level_(level) {}

CompiledModule::~CompiledModule() { cache().release(key_); }

llvm::Expected<std::shared_ptr<const CompiledModule>>
CompiledModule::get(const ir::Module &scheduled, OptLevel level) {
  std::string key = cache_key(scheduled, level);
  if (std::shared_ptr<const CompiledModule> cached = cache().find(key))
    return cached;
  // Compiling outside the cache's lock lets unrelated graphs compile at
  // once; two threads compiling the same text keep the first result.
  llvm::Expected<std::shared_ptr<const CompiledModule>> compiled =
      compile(scheduled, level, key);
  if (!compiled)
    return compiled.takeError();
  return cache().insert(key, *compiled);
}

llvm::Expected<std::shared_ptr<const CompiledModule>>
CompiledModule::compile(const ir::Module &scheduled, OptLevel level,
                        std::string key) {
  llvm::Expected<JitEngine &> engine = JitEngine::instance();
  if (!engine)
    return engine.takeError();
  auto context = std::make_unique<llvm::LLVMContext>();
  llvm::Expected<codegen::EmittedModule> emitted =
      codegen::emit(scheduled, *context, unique_prefix());
  if (!emitted)
    return emitted.takeError();
  std::size_t task_count = emitted->task_count;
  runtime::FrameShape shape = emitted->shape;
  llvm::Expected<std::unique_ptr<LinkedModule>> linked =
      engine->link(std::move(*emitted), std::move(context), level);
  if (!linked)
    return linked.takeError();
  return std::shared_ptr<const CompiledModule>(new CompiledModule(
      std::move(key), std::move(*linked), task_count, shape, level));
}

std::size_t live_compiled_modules() {
  llvm::Expected<JitEngine &> engine = JitEngine::instance();
  if (!engine) {
    llvm::consumeError(engine.takeError());
    return 0;
  }
  return engine->live_modules();
}

} // namespace xcs
