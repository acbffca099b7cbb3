//===- JIT/recovery.h - The eager outcome of a failed plan run --*- C++ -*-===//
///
/// \file
/// A jit operator stands in for the eager call, so when a node of its plan
/// fails it must end as the eager call ends: glue may catch the failure,
/// retry with another child, substitute a default, or let it through. C++
/// gives no way to see a `try` block, so the plan cannot know; the glue
/// itself must run. recover() runs the root operator's call for real under
/// a call observer that answers each call of a plan operator from the
/// failed run when the run made it (same operator, equal inputs, first not
/// yet answered, in call order): a completed call returns its recorded
/// result, the failed call throws its recorded exception, and every other
/// call runs for real. So nothing the run completed runs twice, and the
/// outcome is the one the eager call has.
///
/// Results are answered only within the one call that produced them, for
/// identical inputs: this is not a replay of another call's outputs.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/failed_run.h"
#include "Runtime/executor.h"
#include "xcs/async.h"
#include "xcs/operator.h"

#include <functional>
#include <memory>

#include <vector>

namespace xcs {

/// The outcome of \p root's eager call on \p inputs, given \p run, what a
/// failed run of \p root's plan did; \p operators is the plan's operator
/// table. Returns the eager result or throws the eager exception.
Record recover(const Operator &root, const Record &inputs,
               const std::vector<OperatorPtr> &operators, FailedRun run);

/// Completes \p done with recover()'s outcome, computed on a pool thread
/// of \p executor: the end of a detached run (CompiledGraph::start) may be
/// on the I/O thread, and the glue recovery runs may block. \p keep holds
/// \p root and \p operators alive until then; \p after runs on that
/// thread once the outcome is known, before \p done completes.
void recover_on_pool(runtime::Executor &executor, const Operator &root,
                     Record inputs, const std::vector<OperatorPtr> &operators,
                     std::shared_ptr<const void> keep, FailedRun run,
                     Completion done, std::function<void()> after);

} // namespace xcs
