//===- JIT/input_proof.h - Calls whose inputs are proven --------*- C++ -*-===//
///
/// \file
/// Every operator call validates its inputs against its specification. In a
/// compiled plan that check often repeats what is already known when the
/// plan is bound to its operators: the IR fixes which fields a call gets,
/// and a value read whole from another call's output has the kind that
/// call's specification declares, since outputs are validated on every
/// call. Where that proves a call's inputs valid, the plan may skip their
/// validation; what it cannot prove it still checks.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "xcs/operator.h"

#include <cstdint>
#include <vector>

namespace xcs {

/// Per node of \p function, bit 0 set for a call (or a structured node)
/// whose input record is proven to satisfy its operator's input
/// specification on every run, and for a cond or switch bit 1 + b when
/// what its branch b takes of that record is proven for that branch
/// (the first seven branches). A proof needs:
/// every required input is present, no field is undeclared (unless the
/// inputs are open), and every declared kind is that of a constant, a list
/// or record node, or another call's output field declared with an
/// accepted kind. A graph input is never proven: a plan's input is checked
/// for fields only.
std::vector<std::uint8_t>
prove_call_inputs(const ir::Function &function,
                  const std::vector<OperatorPtr> &operators);

} // namespace xcs
