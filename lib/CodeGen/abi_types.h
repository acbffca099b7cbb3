//===- CodeGen/abi_types.h - LLVM types of the runtime ABI ------*- C++ -*-===//
///
/// \file
/// The LLVM types generated code uses for what it shares with the runtime
/// (Runtime/runtime_abi.h): each helper's function type and the structs
/// compiled code lays out. Every one is derived from the C++ declaration,
/// never spelled by hand, so a helper or struct changed on one side cannot
/// silently disagree with the other (a mismatch inside generated code
/// would be undefined behaviour, not an error).
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Runtime/runtime_abi.h"

#include "llvm/IR/DerivedTypes.h"

namespace xcs::codegen {

/// The LLVM function type of \p helper, from its C++ type.
llvm::FunctionType *helper_type(runtime::Helper helper,
                                llvm::LLVMContext &context);

/// runtime::CallSite as an LLVM struct, member by member.
llvm::StructType *call_site_type(llvm::LLVMContext &context);

/// runtime::BranchSite as an LLVM struct, member by member.
llvm::StructType *branch_site_type(llvm::LLVMContext &context);

/// runtime::MapSite as an LLVM struct, member by member.
llvm::StructType *map_site_type(llvm::LLVMContext &context);

/// runtime::TaskEntry as an LLVM struct, member by member.
llvm::StructType *task_entry_type(llvm::LLVMContext &context);

} // namespace xcs::codegen
