//===- random_pipeline.h - Random composites for differential tests -*- C++
//-*-===//
///
/// \file
/// Builds random composite operators whose glue is pure routing: a random
/// DAG of arithmetic leaves, list and record builders and readers, and
/// nested sub-composites, wired to graph inputs, earlier outputs, paths
/// into them and constants. The same seed gives the same pipeline.
///
/// With faults, every leaf fails on some of its inputs: it throws, leaves a
/// declared output out, or gives one the wrong kind. Which inputs fail is a
/// function of the leaf and the input, so that every way of running the
/// pipeline meets the same faults.
///
/// With control flow, some steps are structured operators over leaves.
///
/// With user glue, the composites are written as a new user writes them:
/// try/catch around calls that substitutes a fallback, retries with a
/// second leaf or rethrows a GlueError; paths into lists and records of the
/// input, of the leaves' outputs and of lists the glue builds from several
/// members' outputs, sometimes past their ends; and leaves whose outputs of
/// kind any the composites declare int. Every composite is then a Composite
/// and every leaf a declared leaf, so the structural strategy applies too.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/async.h"
#include "xcs/jit.h"
#include "xcs/operator.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace xcs::testing_util {

/// What user glue throws in place of a child's failure: a type no leaf and
/// no part of XCS throws.
class GlueError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// How many times one leaf's forward ran.
using CallCount = std::shared_ptr<std::atomic<std::int64_t>>;

/// A leaf that runs a function and counts its calls. It declares every
/// output computed from every input, so the structural strategy takes it as
/// a node whatever the function does.
class CountedLeaf : public Operator, public StructureDependency {
public:
  CountedLeaf(std::string name, Specification spec,
              std::function<Record(const Record &)> body);

  Record forward(const Record &inputs) const override;
  std::vector<FieldDependency> structural_dependencies() const override;
  /// The calls of forward so far, failed ones included.
  const CallCount &calls() const { return calls_; }

private:
  std::function<Record(const Record &)> body_;
  CallCount calls_ = std::make_shared<std::atomic<std::int64_t>>(0);
};

struct Pipeline {
  OperatorPtr op;
  /// Inputs to run it on; the first is the one to trace with.
  std::vector<Record> inputs;
  /// Whether the leaves inject their faults; on unless switched off, e.g.
  /// for a clean trace. Has no effect on a pipeline made without faults.
  std::shared_ptr<std::atomic<bool>> faults_on =
      std::make_shared<std::atomic<bool>>(true);
  /// One counter per leaf that counts its calls, in the order the leaves
  /// were made: the same order for every pipeline of one seed and options.
  std::vector<CallCount> leaf_calls;
  /// Whether some leaf is asynchronous.
  bool has_async_leaves = false;
};

struct RandomPipelineOptions {
  /// Steps of the outermost composite, at most.
  int max_steps = 12;
  /// Leaves fail on about one input in five (and count their calls).
  bool faults = false;
  /// Composites as a user writes them (see the file comment).
  bool user_glue = false;
  /// When set, about half of the nested composites are jit operators with
  /// these options. Apart from that the pipeline is the one made without.
  std::optional<JitOptions> nested_jit;
  /// About half of the leaves are asynchronous operators (xcs/async.h)
  /// that complete, depending on their input, before start() returns or
  /// later on another thread. Apart from that the pipeline is the one made
  /// without.
  bool async_leaves = false;
  /// About one step in four is a structured operator (xcs/control_flow.h):
  /// a cond on a bool some step computed (with user glue, now and then on
  /// an int, which it rejects), a switch on an int, a fallback whose primary fails on
  /// some inputs, or a bounded loop; the leaf computing the bools joins
  /// them. Apart from that the pipeline is made as without.
  bool control_flow = false;
};

/// A pipeline drawn from \p seed.
Pipeline random_pipeline(std::uint64_t seed,
                         const RandomPipelineOptions &options);

} // namespace xcs::testing_util
