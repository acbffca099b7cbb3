//===- llvm_dump.cpp - The LLVM stages as text ----------------------------===//

#include "JIT/llvm_dump.h"

#include "CodeGen/emitter.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>

namespace xcs {
namespace {

/// "xcs_" and the graph's name with every character that is not a letter,
/// digit or '_' replaced by '_', so the symbols need no quoting.
std::string dump_prefix(const std::string &name) {
  std::string prefix = "xcs_" + name;
  for (char &c : prefix)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return prefix;
}

std::string module_text(const llvm::Module &module) {
  std::string text;
  llvm::raw_string_ostream out(text);
  module.print(out, nullptr);
  return text;
}

/// One graph's stage: \p scheduled's main graph.
llvm::Expected<std::string> dump_graph(const ir::Module &scheduled,
                                       OptLevel level, LlvmStage stage) {
  llvm::LLVMContext context;
  llvm::Expected<codegen::EmittedModule> emitted = codegen::emit(
      scheduled, context, dump_prefix(scheduled.function.name));
  if (!emitted)
    return emitted.takeError();
  llvm::Module &module = *emitted->module;
  if (stage == LlvmStage::Emitted)
    return module_text(module);
  llvm::Expected<JitEngine &> engine = JitEngine::instance();
  if (!engine)
    return engine.takeError();
  engine->set_target(module);
  engine->optimize(module, level);
  if (stage == LlvmStage::Optimized)
    return module_text(module);
  return engine->assembly(module, level);
}

} // namespace

llvm::Expected<std::string> dump_llvm(const ir::Module &scheduled,
                                      OptLevel level, LlvmStage stage) {
  // Each body is compiled as a plan of its own (JIT/compiled_graph.h), so
  // its code is a module of its own, printed before the main graph's as
  // its IR is.
  std::string text;
  for (std::uint32_t b = 0; b < scheduled.bodies.size(); ++b) {
    llvm::Expected<std::string> body =
        dump_graph(ir::body_module(scheduled, b), level, stage);
    if (!body)
      return body.takeError();
    text += *body + "\n";
  }
  llvm::Expected<std::string> main = dump_graph(scheduled, level, stage);
  if (!main)
    return main.takeError();
  return text + *main;
}

} // namespace xcs
