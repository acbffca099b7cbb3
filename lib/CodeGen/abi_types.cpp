//===- abi_types.cpp - LLVM types of the runtime ABI ----------------------===//

#include "CodeGen/abi_types.h"

#include <type_traits>

namespace xcs::codegen {
namespace {

/// The LLVM type of a C++ parameter, result or member: a pointer, or an
/// integer of the same width.
template <typename T> llvm::Type *llvm_type(llvm::LLVMContext &context) {
  if constexpr (std::is_pointer_v<T>) {
    return llvm::PointerType::get(context, 0);
  } else {
    static_assert(std::is_integral_v<T>,
                  "the runtime ABI passes integers and pointers only");
    return llvm::IntegerType::get(context, sizeof(T) * 8);
  }
}

template <typename Result, typename... Parameters>
llvm::FunctionType *function_type(llvm::LLVMContext &context,
                                  Result (*)(Parameters...) noexcept) {
  return llvm::FunctionType::get(llvm_type<Result>(context),
                                 {llvm_type<Parameters>(context)...},
                                 /*isVarArg=*/false);
}

} // namespace

llvm::FunctionType *helper_type(runtime::Helper helper,
                                llvm::LLVMContext &context) {
  switch (helper) {
#define XCS_RUNTIME_HELPER(Name, Symbol, Parameters)                           \
  case runtime::Helper::Name:                                                  \
    return function_type(context, &runtime::Symbol);
#include "Runtime/runtime_helpers.def"
  }
  return nullptr;
}

llvm::StructType *call_site_type(llvm::LLVMContext &context) {
#define XCS_MEMBER(member)                                                     \
  llvm_type<decltype(runtime::CallSite::member)>(context),
  return llvm::StructType::get(context, {XCS_CALL_SITE_MEMBERS(XCS_MEMBER)});
#undef XCS_MEMBER
}

llvm::StructType *branch_site_type(llvm::LLVMContext &context) {
#define XCS_MEMBER(member)                                                     \
  llvm_type<decltype(runtime::BranchSite::member)>(context),
  return llvm::StructType::get(context, {XCS_BRANCH_SITE_MEMBERS(XCS_MEMBER)});
#undef XCS_MEMBER
}

llvm::StructType *map_site_type(llvm::LLVMContext &context) {
#define XCS_MEMBER(member)                                                     \
  llvm_type<decltype(runtime::MapSite::member)>(context),
  return llvm::StructType::get(context, {XCS_MAP_SITE_MEMBERS(XCS_MEMBER)});
#undef XCS_MEMBER
}

llvm::StructType *task_entry_type(llvm::LLVMContext &context) {
#define XCS_MEMBER(member)                                                     \
  llvm_type<decltype(runtime::TaskEntry::member)>(context),
  return llvm::StructType::get(context, {XCS_TASK_ENTRY_MEMBERS(XCS_MEMBER)});
#undef XCS_MEMBER
}

} // namespace xcs::codegen
