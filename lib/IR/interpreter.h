//===- IR/interpreter.h - Reference execution of the routing IR -*- C++ -*-===//
///
/// \file
/// The oracle for differential tests: runs a module one node at a time, in
/// node order, on the calling thread (a map node's elements too, one after
/// another). It computes what evaluate() computes
/// on the graph the module was lowered from, and what compiled code must.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include "xcs/operator.h"
#include "xcs/record.h"

#include <span>

namespace xcs::ir {

/// Runs \p module, a verified module, on \p input; \p operators holds the
/// instances of the module's operator table (as lower() fills it). Calls go
/// through Operator::operator(), so specifications are checked. Throws
/// InputError naming the graph and the field when \p input lacks a declared
/// input, and when \p operators is shorter than the operator table;
/// failures of operators and of get paths propagate unchanged.
Record interpret(const Module &module, std::span<const OperatorPtr> operators,
                 const Record &input);

} // namespace xcs::ir
