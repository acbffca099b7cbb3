//===- jit_engine_test.cpp - The process-wide ORC engine ------------------===//

#include "JIT/jit_engine.h"

#include "jit_test_util.h"

#include "llvm/IR/IRBuilder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view text = R"(
operator @f "F"
graph @g(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  output y: %1
}
)";

JitEngine &engine() {
  llvm::Expected<JitEngine &> engine = JitEngine::instance();
  if (!engine) {
    ADD_FAILURE() << test::message(engine.takeError());
    std::abort();
  }
  return *engine;
}

/// \p prefix's module emitted from `text`, with its context.
std::pair<codegen::EmittedModule, std::unique_ptr<llvm::LLVMContext>>
emitted(const std::string &prefix) {
  auto context = std::make_unique<llvm::LLVMContext>();
  llvm::Expected<codegen::EmittedModule> module =
      codegen::emit(test::scheduled(text), *context, prefix);
  if (!module) {
    ADD_FAILURE() << test::message(module.takeError());
    return {};
  }
  return {std::move(*module), std::move(context)};
}

TEST(JitEngineTest, IsOneEngine) {
  llvm::Expected<JitEngine &> first = JitEngine::instance();
  llvm::Expected<JitEngine &> second = JitEngine::instance();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(&*first, &*second);
}

TEST(JitEngineTest, LinksAtBothLevelsAndRemovesOnRelease) {
  std::size_t before = engine().live_modules();
  for (OptLevel level : {OptLevel::O0, OptLevel::O2}) {
    auto [module, context] =
        emitted("engine_test_" + std::string(opt_level_name(level)));
    llvm::Expected<std::unique_ptr<LinkedModule>> linked =
        engine().link(std::move(module), std::move(context), level);
    ASSERT_TRUE(bool(linked)) << test::message(linked.takeError());
    const ModuleSymbols &symbols = (*linked)->symbols();
    EXPECT_NE(symbols.entry, nullptr);
    EXPECT_NE(symbols.output, nullptr);
    ASSERT_NE(symbols.tasks, nullptr);
    EXPECT_EQ(symbols.tasks[0].join_count, 0u);
    EXPECT_EQ(engine().live_modules(), before + 1);
    linked->reset();
    EXPECT_EQ(engine().live_modules(), before);
  }
}

TEST(JitEngineTest, CompiledCodeReachesNoProcessSymbol) {
  // A module calling puts: the process has it, but compiled code may only
  // reach the runtime helpers.
  auto [module, context] = emitted("engine_test_puts");
  llvm::Module &llvm_module = *module.module;
  llvm::Function *output = llvm_module.getFunction(module.output_symbol);
  output->deleteBody();
  llvm::IRBuilder<> builder(
      llvm::BasicBlock::Create(*context, "entry", output));
  llvm::FunctionCallee puts = llvm_module.getOrInsertFunction(
      "puts", builder.getInt32Ty(), builder.getPtrTy());
  builder.CreateRet(
      builder.CreateCall(puts, {builder.CreateGlobalString("hello")}));
  std::size_t before = engine().live_modules();
  llvm::Expected<std::unique_ptr<LinkedModule>> linked =
      engine().link(std::move(module), std::move(context), OptLevel::O0);
  ASSERT_FALSE(bool(linked));
  EXPECT_THAT(test::message(linked.takeError()), HasSubstr("puts"));
  EXPECT_EQ(engine().live_modules(), before);
}

TEST(JitEngineTest, SetTargetGivesTheHostLayout) {
  llvm::LLVMContext context;
  llvm::Module module("m", context);
  engine().set_target(module);
  EXPECT_FALSE(module.getTargetTriple().empty());
  EXPECT_FALSE(module.getDataLayoutStr().empty());
}

} // namespace
} // namespace xcs
