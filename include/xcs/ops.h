//===- xcs/ops.h - Built-in operator library --------------------*- C++ -*-===//
///
/// \file
/// Operators that pipelines, examples, tests and benchmarks are built from:
/// routing (identity, select, rename, format), composition (sequence,
/// ensemble, function), voting and synthesis (most_common, judge), a
/// simulated model call, and arithmetic. Every factory validates its
/// arguments and throws InputError naming the bad one.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/async.h"
#include "xcs/operator.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xcs::ops {

/// Passes \p fields through unchanged (any kind).
OperatorPtr identity(std::vector<std::string> fields);
/// Accepts any fields and returns only \p fields (each required).
OperatorPtr select(std::vector<std::string> fields);
/// Returns each input field `from` under the name `to`.
OperatorPtr rename(std::vector<std::pair<std::string, std::string>> mapping);
/// Fills `{field}` placeholders of \p text from the inputs (strings as they
/// are, other kinds in their printed form) into the string field \p output.
/// `{{` and `}}` are literal braces. A malformed template is an InputError
/// giving the column.
OperatorPtr format(std::string text, std::string output = "text");

/// Calls \p steps in order; each step's output record is the next one's
/// input. The composite's inputs are the first step's, its outputs the last.
OperatorPtr sequence(std::string name, std::vector<OperatorPtr> steps);
/// Calls every member with {input: the composite's input} and returns
/// {output: [member 0's member_output, member 1's, ...]}.
OperatorPtr ensemble(std::vector<OperatorPtr> members,
                     std::string input = "prompt",
                     std::string member_output = "response",
                     std::string output = "responses");
/// An operator whose forward is \p body.
OperatorPtr function(std::string name, Specification spec,
                     std::function<Record(const Record &)> body);
/// The same, marked as a Composite: \p body only calls children and routes
/// values, so the structural strategy may run it on symbols.
OperatorPtr composite(std::string name, Specification spec,
                      std::function<Record(const Record &)> body);

/// An operator known only by its name and specification: it validates like
/// the operator it stands for, and a call fails with an InputError. The
/// routing IR binds a flattened composite that only its checks use to one
/// (registered as "declared"; docs/ir.md).
OperatorPtr declared(std::string name, Specification spec);

/// {responses: list} -> {answer}: the most common response; a tie goes to
/// the one seen first. An empty list is an InputError.
OperatorPtr most_common(std::string input = "responses",
                        std::string output = "answer");
/// {query: string, responses: list} -> {answer: string}: synthesizes an
/// answer naming the query, the majority response and its support.
OperatorPtr judge(std::string name = "Judge");
/// {query: string} -> {answer: string}: every one of \p members (each
/// {prompt} -> {response}) answers the query, then a judge() synthesizes
/// the majority. A Composite: the ensemble-judge example's dataflow around
/// any members.
OperatorPtr ensemble_judge(std::vector<OperatorPtr> members);

/// Options of the simulated model call.
struct ModelCallOptions {
  std::string name = "Model";
  std::uint64_t seed = 0;
  /// Waited on every call, like network I/O: a timer on the process's
  /// timer thread, so a waiting call holds no thread (xcs/async.h).
  std::chrono::microseconds latency{0};
  /// With vocabulary > 0 the response is "answer-K", K < vocabulary, so
  /// several members can agree; with 0 it is unique per (prompt, seed).
  std::uint32_t vocabulary = 0;
  /// Fraction of prompts (chosen by hash, so deterministic) that fail.
  double failure_rate = 0.0;
  /// Prompts containing this text fail (when not empty).
  std::string fail_on;
};

/// {prompt: string} -> {response: string}, deterministic in prompt and seed.
/// Failures throw std::runtime_error naming the model and the prompt. An
/// asynchronous operator: its latency is a timer, and a cancelled call
/// fails at once with xcs::Error "cancelled".
class ModelCall : public AsyncOperator,
                  public StructureDependency,
                  public Registrable {
public:
  explicit ModelCall(ModelCallOptions options);
  void start(const Record &inputs, Completion done) const override;
  /// response <- prompt.
  std::vector<FieldDependency> structural_dependencies() const override;
  /// "model_call" with every option (the latency as latency_us).
  RegistryForm registry_form() const override;
  /// How many calls started (including failures).
  std::uint64_t calls() const { return calls_.load(); }
  const ModelCallOptions &options() const { return options_; }

private:
  /// The call's outcome on \p prompt, once its latency has passed.
  Record answer(std::string_view prompt) const;

  ModelCallOptions options_;
  mutable std::atomic<std::uint64_t> calls_{0};
};
std::shared_ptr<ModelCall> model_call(ModelCallOptions options);

/// {in} -> {out = in * mul + add}, on ints (or doubles, giving a double).
OperatorPtr affine(std::int64_t mul, std::int64_t add, std::string in = "x",
                   std::string out = "y");
enum class BinaryOp { Add, Sub, Mul };
/// {lhs, rhs} -> {out = lhs OP rhs}, on ints (or doubles, giving a double).
OperatorPtr binary(BinaryOp op, std::string lhs = "a", std::string rhs = "b",
                   std::string out = "y");
/// {} -> {count}: 1, 2, 3, ... on successive calls. Never memoizable.
OperatorPtr counter(std::string out = "count");

/// A runnable example pipeline with a default input.
struct Example {
  std::string name;
  std::string description;
  OperatorPtr op;
  Record input;
};
/// The names of the built-in examples: ensemble-judge, diamond, chain, nested.
std::vector<std::string> example_names();
/// Builds a fresh instance of an example; InputError for an unknown name,
/// listing the known ones.
Example example(std::string_view name);

} // namespace xcs::ops
