//===- Driver/operator_binding.h - Filling an operator table ----*- C++ -*-===//
///
/// \file
/// A routing-IR file names its operators (`operator @f "affine" {...}`);
/// binding makes the instances that fill its operator table.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "xcs/registry.h"

#include <string_view>
#include <vector>

namespace xcs {

/// One instance per entry of \p module's operator table, made by the
/// factory \p registry holds under the entry's name from the entry's
/// arguments. \p module was parsed from \p text, read from \p file_name.
/// InputError for an unknown name (listing the known ones) and for
/// arguments the factory rejects, pointing at the declaration:
/// `FILE:LINE:COL: operator @f "affine": ...`.
std::vector<OperatorPtr> bind_operators(const ir::Module &module,
                                        std::string_view text,
                                        std::string_view file_name,
                                        const OperatorRegistry &registry);

} // namespace xcs
