//===- IR/lower.h - From an XCSGraph to the routing IR ----------*- C++ -*-===//
///
/// \file
/// Lowering turns a graph's field mappings into explicit routing nodes: a
/// read of the graph input becomes `input` (and `get` for deeper steps), a
/// read of a producer's output becomes `get` of its call, a target built
/// from parts (`responses[1]`, `cfg.a`) becomes `list` and `record` nodes,
/// and a trace-time constant becomes `const`. Each operator node becomes one
/// `call`, in the graph's topological order; the graph's output node becomes
/// the final `output`. The result is verified-clean but unoptimized:
/// repeated reads stay repeated until merge_duplicate_gets().
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include "xcs/graph.h"

#include "llvm/Support/Error.h"

#include <vector>

namespace xcs::ir {

/// Lowers \p graph. On success \p operator_table is replaced by the distinct
/// operator instances the calls use, each once, in first-call order; entry i of
/// the module's operator table names instance i (OperatorRef::name is the
/// operator's name, arguments null). The function is named after the graph,
/// with characters other than [A-Za-z0-9_-] replaced by '_'. Its inputs are
/// the input fields the graph reads and its outputs the fields of the
/// output node, each sorted by name. Fails, with the graph's own message,
/// on a graph that does not validate, and on a read of the graph input
/// whose path starts with a list index.
llvm::Expected<Module> lower(const XCSGraph &graph,
                             std::vector<OperatorPtr> &operator_table);

} // namespace xcs::ir
