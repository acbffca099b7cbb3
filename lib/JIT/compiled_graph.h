//===- JIT/compiled_graph.h - A graph ready to run --------------*- C++ -*-===//
///
/// \file
/// A CompiledGraph is a scheduled routing-IR module bound to machine code
/// and to the instances that fill its operator table. The machine code is a
/// CompiledModule shared with every structurally identical graph; the
/// operators, constants and paths belong to this graph and reach the code
/// through the run's frame.
///
/// run() goes through the executor (Runtime/task_plan.h): independent tasks
/// run on several threads, and a serial plan runs on the calling thread.
/// start() runs a plan whose calls are all asynchronous without holding the
/// calling thread while they are in flight.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "JIT/compiled_module.h"
#include "JIT/failed_run.h"
#include "Runtime/executor.h"
#include "Runtime/frame.h"
#include "Runtime/task_plan.h"
#include "xcs/async.h"
#include "xcs/operator.h"
#include "xcs/record.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace xcs {

class CompiledGraph;

/// Compiles \p scheduled (verified, scheduled and given slots) at \p level,
/// or reuses the live module compiled from the same IR, and binds
/// \p operators to its operator table. Each body graph is compiled too,
/// once, as a plan of its own that a map node runs per element: its
/// operator has the name and specification of \p elements[i], the
/// operator the body was lowered from, and recovers that operator's eager
/// outcome when a node fails (JIT/recovery.h); without one (a body read
/// from text) it is named after the graph and a failure throws the
/// failing node's own exception, as the interpreter does. Fails when the
/// operators do not fill the table, when an input node reads a field that
/// is not a graph input, or when code generation or linking fails.
llvm::Expected<CompiledGraph> compile(const ir::Module &scheduled,
                                      std::vector<OperatorPtr> operators,
                                      OptLevel level = OptLevel::O0,
                                      std::vector<OperatorPtr> elements = {});

/// The specification of a graph read from text, which declares no kinds:
/// its inputs (and any other field, as a dataset's extra columns or an
/// element's broadcast fields), and its outputs.
Specification graph_specification(const ir::Function &function);

class CompiledGraph {
public:
  /// Runs the graph on \p input and returns its output record. Throws
  /// InputError, naming the graph, when \p input lacks one of the graph's
  /// inputs, and ExecutionError naming the failing node (`%3`) and its
  /// operator (or opcode, for a node that is not a call) with the original
  /// exception as cause. No task starts after a failure, tasks already
  /// running finish first. \p options say how many threads the run may
  /// use. Safe to call from several threads at once.
  Record run(const Record &input,
             const runtime::RunOptions &options = {}) const;

  /// What run_or_recover() does when a node fails: given what the failed
  /// run did (failed_run.h), returns the outcome the caller should see (or
  /// throws it).
  using Recovery = llvm::function_ref<Record(FailedRun run)>;
  /// Runs as run() does, but a failure is handed to \p recover instead of
  /// thrown as an ExecutionError; the failing node is logged at info level.
  Record run_or_recover(const Record &input, const runtime::RunOptions &options,
                        Recovery recover) const;

  /// How a run started by start() ends: it completes the call's
  /// Completion. Its functions run once, on the thread that ends the run.
  class RunEnd {
  public:
    explicit RunEnd(Completion done) : done_(std::move(done)) {}
    virtual ~RunEnd();
    /// Completes the call with the run's output.
    virtual void succeeded(Record output) noexcept;
    /// A node failed: fails the call with \p error, the ExecutionError
    /// run() throws. \p input is the run's input, \p run what the run did
    /// (failed_run.h). An override lets go of \p error and \p run before
    /// it delivers an outcome: the receiving thread must be the one that
    /// frees an exception (ThreadSanitizer cannot see its count).
    virtual void failed(const Record &input, std::exception_ptr error,
                        FailedRun run) noexcept;

  protected:
    Completion done_;

  private:
    friend class CompiledGraph;
  };
  /// Starts a run on \p input as run() does, and returns without waiting
  /// for its asynchronous calls when none of its calls is synchronous
  /// (blocks()); otherwise it runs to its end here. \p end hears the
  /// outcome exactly once, possibly before start() returns, and a
  /// cancellation of its Completion cancels the run's calls in flight.
  /// Throws, before anything runs, the InputError run() throws for a
  /// missing input. The graph must outlive the run (\p end may own it).
  void start(const Record &input, const runtime::RunOptions &options,
             std::unique_ptr<RunEnd> end) const;
  /// Whether some call of the plan is synchronous: start() then holds the
  /// calling thread until the run ends.
  bool blocks() const { return plan_->blocks(); }

  /// The shared machine code.
  const std::shared_ptr<const CompiledModule> &module() const {
    return module_;
  }
  /// The operator table's instances, then one operator per body graph.
  const std::vector<OperatorPtr> &operators() const { return operators_; }
  /// The tables a frame of this graph needs.
  const runtime::FrameTables &tables() const { return tables_; }

  /// Move-only: tables_ points into the vectors below, whose buffers a
  /// move hands over but a copy would not.
  CompiledGraph(CompiledGraph &&) = default;
  CompiledGraph &operator=(CompiledGraph &&) = default;

private:
  friend llvm::Expected<CompiledGraph>
  compile(const ir::Module &scheduled, std::vector<OperatorPtr> operators,
          OptLevel level, std::vector<OperatorPtr> elements);
  CompiledGraph(const ir::Function &function,
                std::shared_ptr<const CompiledModule> module,
                std::vector<OperatorPtr> operators);

  /// The output of a run on \p input, or what \p on_failure returns given
  /// the frame of a run in which a node failed.
  template <typename OnFailure>
  Record run_with(const Record &input, const runtime::RunOptions &options,
                  OnFailure &&on_failure) const;
  /// Throws the InputError for the first graph input \p input lacks.
  void check_inputs(const Record &input) const;
  [[noreturn]] void fail_missing_input(const Record &input) const;
  /// The ExecutionError of a run whose node failed on \p frame.
  static std::exception_ptr execution_error(const runtime::Frame &frame);
  /// Drops the fields of \p output, a call's record built in place, that
  /// the output node does not name.
  void keep_output_fields(Record &output) const;

  std::shared_ptr<const CompiledModule> module_;
  /// What the code was compiled from: a failed run reads its calls by it.
  std::shared_ptr<const ir::Function> function_;
  /// Refers to module_'s code, so it is declared after it. Holds the idle
  /// run states and the estimate of a run.
  std::shared_ptr<const runtime::TaskPlan> plan_;
  std::vector<OperatorPtr> operators_;
  std::vector<Value> constants_;
  std::vector<Path> paths_;
  /// Resolved once here, so that a run's checks look nothing up.
  std::vector<runtime::FieldCheck> checked_fields_;
  /// The output node's fields.
  std::vector<FieldId> output_fields_;
  /// Per node: whether a call's inputs need no validation (input_proof.h).
  std::vector<std::uint8_t> proven_calls_;
  /// The graph's inputs as declared, and sorted as a record sorts fields.
  std::vector<FieldId> inputs_;
  std::vector<FieldId> sorted_inputs_;
  std::string name_;
  /// Points into operators_, constants_, paths_, checked_fields_ and
  /// proven_calls_, which are not changed after construction.
  runtime::FrameTables tables_;
};

} // namespace xcs
