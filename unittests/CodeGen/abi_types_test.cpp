//===- abi_types_test.cpp - Generated code and the runtime agree ----------===//
//
// The LLVM types of the runtime ABI are derived from the C++ declarations;
// these tests check the derivation against the layout the C++ compiler
// gives, with the data layout of the target code is compiled for.
//
//===----------------------------------------------------------------------===//

#include "CodeGen/abi_types.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace xcs::codegen {
namespace {

llvm::DataLayout host_layout() {
  llvm::InitializeNativeTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  EXPECT_TRUE(static_cast<bool>(builder));
  auto layout = builder->getDefaultDataLayoutForTarget();
  EXPECT_TRUE(static_cast<bool>(layout));
  return *layout;
}

/// Offsets and size of \p type under the host's data layout.
std::vector<std::size_t> llvm_layout(llvm::StructType *type) {
  llvm::DataLayout layout = host_layout();
  const llvm::StructLayout *fields = layout.getStructLayout(type);
  std::vector<std::size_t> result;
  for (unsigned i = 0; i < type->getNumElements(); ++i)
    result.push_back(fields->getElementOffset(i));
  result.push_back(fields->getSizeInBytes());
  return result;
}

/// \p offsets with the size of \p Struct after them.
template <typename Struct>
std::vector<std::size_t> with_size(std::vector<std::size_t> offsets) {
  offsets.push_back(sizeof(Struct));
  return offsets;
}

TEST(AbiTypes, TheStructsHaveTheLayoutsOfTheirCxxDeclarations) {
  llvm::LLVMContext context;
#define XCS_MEMBER(member) offsetof(runtime::CallSite, member),
  EXPECT_EQ(llvm_layout(call_site_type(context)),
            with_size<runtime::CallSite>({XCS_CALL_SITE_MEMBERS(XCS_MEMBER)}));
#undef XCS_MEMBER
#define XCS_MEMBER(member) offsetof(runtime::TaskEntry, member),
  EXPECT_EQ(
      llvm_layout(task_entry_type(context)),
      with_size<runtime::TaskEntry>({XCS_TASK_ENTRY_MEMBERS(XCS_MEMBER)}));
#undef XCS_MEMBER
}

TEST(AbiTypes, EveryHelperTakesTheFrameAndTheNodeAndReturnsAStatus) {
  llvm::LLVMContext context;
  std::size_t helpers = 0;
  for (runtime::Helper helper : {
#define XCS_RUNTIME_HELPER(Name, Symbol, Parameters) runtime::Helper::Name,
#include "Runtime/runtime_helpers.def"
       }) {
    ++helpers;
    llvm::FunctionType *type = helper_type(helper, context);
    ASSERT_NE(type, nullptr);
    EXPECT_TRUE(type->getReturnType()->isIntegerTy(32))
        << runtime::helper_symbol(helper);
    ASSERT_GE(type->getNumParams(), 2u);
    EXPECT_TRUE(type->getParamType(0)->isPointerTy());
    EXPECT_TRUE(type->getParamType(1)->isIntegerTy(32));
  }
  // Every helper has a symbol ORC can bind.
  EXPECT_EQ(runtime::runtime_symbols().size(), helpers);
  EXPECT_EQ(helper_type(runtime::Helper::Call, context)->getNumParams(), 3u);
}

} // namespace
} // namespace xcs::codegen
