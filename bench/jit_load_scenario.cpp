//===- jit_load_scenario.cpp - Many threads over many jit operators -------===//

#include "jit_load_scenario.h"

#include "xcs/jit.h"
#include "xcs/ops.h"
#include "xcs/trace.h"

#include <atomic>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace xcs::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Rng = std::mt19937_64;

/// Calls go to the first hot_slots slots half of the time, so that some
/// plans are hit again before the low global bound evicts them.
constexpr std::size_t hot_slots = 8;
/// Per mille of a thread's steps that replace a slot's operator, and that
/// change a state before calling; the rest only call.
constexpr int replace_per_mille = 40;
constexpr int retune_per_mille = 100;
/// Wrong results and exceptions described on stderr; the rest are counted.
constexpr std::uint64_t described_failures = 5;

std::int64_t uniform(Rng &rng, std::int64_t low, std::int64_t high) {
  return std::uniform_int_distribution<std::int64_t>(low, high)(rng);
}

bool coin(Rng &rng) { return uniform(rng, 0, 1) == 1; }

/// An int or a double: each kind is another input shape, so another plan.
Value number(Rng &rng) {
  std::int64_t x = uniform(rng, -1000, 1000);
  return coin(rng) ? Value(x) : Value(static_cast<double>(x) + 0.5);
}

/// A composite whose glue depends on its state: the setting chooses the
/// child and is returned as a constant, so a plan is valid for one setting
/// only and its state signature guard must fail after every change.
class Tunable : public Operator, public Composite, public StateDependency {
public:
  Tunable(OperatorPtr even, OperatorPtr odd)
      : Operator("Tunable", Specification().input("x").output("y").output(
                                "setting", Kind::Int)),
        even_(std::move(even)), odd_(std::move(odd)) {}

  Record forward(const Record &inputs) const override {
    std::int64_t now = setting();
    Record out = (*child(now))({{"x", inputs.at("x")}});
    return {{"y", out.at("y")}, {"setting", constant(Value(now))}};
  }
  std::uint64_t state_signature() const override {
    return static_cast<std::uint64_t>(setting());
  }

  std::int64_t setting() const { return setting_.load(); }
  void retune() { setting_.fetch_add(1); }
  const OperatorPtr &child(std::int64_t setting) const {
    return setting % 2 == 0 ? even_ : odd_;
  }

private:
  OperatorPtr even_;
  OperatorPtr odd_;
  std::atomic<std::int64_t> setting_{0};
};

/// A slot's occupant: a composite and the jit operator over it.
class Case {
public:
  Case(OperatorPtr composite, const JitOptions &options)
      : composite_(std::move(composite)), jitted_(jit(composite_, options)) {}
  virtual ~Case() = default;

  /// Calls the jit operator on a random input; what is wrong with the
  /// result (it is not the composite's eager result), or "".
  virtual std::string call(Rng &rng) const {
    Record input = random_input(rng);
    Record result = (*jitted_)(input);
    Record expected = (*composite_)(input);
    if (result == expected)
      return "";
    return mismatch(input, result, "expected " + expected.to_string());
  }
  /// Changes the composite's state signature; false if it has no state.
  virtual bool retune() const { return false; }

protected:
  virtual Record random_input(Rng &rng) const = 0;
  std::string mismatch(const Record &input, const Record &result,
                       const std::string &expected) const {
    return "jit '" + jitted_->name() + "' on " + input.to_string() + " gave " +
           result.to_string() + ", " + expected;
  }

  OperatorPtr composite_;
  OperatorPtr jitted_;
};

/// x -> x * m + a, one to four times.
class ChainCase : public Case {
public:
  ChainCase(Rng &rng, const JitOptions &options) : Case(chain(rng), options) {}

private:
  static OperatorPtr chain(Rng &rng) {
    std::vector<OperatorPtr> steps;
    for (std::int64_t i = uniform(rng, 1, 4); i > 0; --i)
      steps.push_back(
          ops::affine(uniform(rng, 1, 3), uniform(rng, -5, 5), "x", "x"));
    return ops::sequence("Chain", std::move(steps));
  }
  Record random_input(Rng &rng) const override { return {{"x", number(rng)}}; }
};

/// y = x * m + a, plus z when the optional input z is given: the field's
/// presence changes the graph, and six input shapes exceed the operator's
/// plan bound, so some calls run eagerly.
class BranchCase : public Case {
public:
  BranchCase(Rng &rng, const JitOptions &options)
      : Case(branch(rng), options) {}

private:
  static OperatorPtr branch(Rng &rng) {
    OperatorPtr scale =
        ops::affine(uniform(rng, 1, 3), uniform(rng, -5, 5), "x", "y");
    OperatorPtr add = ops::binary(ops::BinaryOp::Add, "a", "b", "y");
    return ops::composite(
        "Branch", Specification().input("x").optional_input("z").output("y"),
        [scale, add](const Record &in) {
          Record scaled = (*scale)({{"x", in.at("x")}});
          if (!in.contains("z"))
            return scaled;
          return (*add)({{"a", scaled.at("y")}, {"b", in.at("z")}});
        });
  }
  Record random_input(Rng &rng) const override {
    Record input{{"x", number(rng)}};
    if (coin(rng))
      input.set("z", number(rng));
    return input;
  }
};

/// A built-in example (ensemble-judge, diamond, chain, nested) with its
/// default input's ints and strings drawn at random.
class ExampleCase : public Case {
public:
  ExampleCase(ops::Example example, const JitOptions &options)
      : Case(std::move(example.op), options),
        template_(std::move(example.input)) {}

private:
  Record random_input(Rng &rng) const override {
    Record input;
    for (const auto &[field, value] : template_) {
      if (value.is_int())
        input.set(field, Value(uniform(rng, -1000, 1000)));
      else if (value.is_string())
        input.set(field,
                  Value("question " + std::to_string(uniform(rng, 0, 3))));
      else
        input.set(field, value);
    }
    return input;
  }

  Record template_;
};

/// A Tunable that threads retune while others call it. A result is right
/// when it comes from a setting the composite had during the call.
class TunableCase : public Case {
public:
  TunableCase(Rng &rng, const JitOptions &options)
      : TunableCase(tunable(rng), options) {}

  std::string call(Rng &rng) const override {
    Record input = random_input(rng);
    std::int64_t before = tunable_->setting();
    Record result = (*jitted_)(input);
    std::int64_t after = tunable_->setting();
    std::int64_t used = result.at("setting").as_int();
    if (used < before || used > after)
      return mismatch(input, result,
                      "expected a setting from " + std::to_string(before) +
                          " to " + std::to_string(after));
    Value expected = (*tunable_->child(used))(input).at("y");
    if (result.at("y") == expected)
      return "";
    return mismatch(input, result, "expected y " + expected.to_string());
  }
  bool retune() const override {
    tunable_->retune();
    return true;
  }

private:
  TunableCase(std::shared_ptr<Tunable> tunable, const JitOptions &options)
      : Case(tunable, options), tunable_(std::move(tunable)) {}

  static std::shared_ptr<Tunable> tunable(Rng &rng) {
    return std::make_shared<Tunable>(
        ops::affine(uniform(rng, 1, 3), uniform(rng, -5, 5), "x", "y"),
        ops::affine(uniform(rng, 1, 3), uniform(rng, -5, 5), "x", "y"));
  }
  Record random_input(Rng &rng) const override { return {{"x", number(rng)}}; }

  std::shared_ptr<Tunable> tunable_;
};

/// A new occupant of a random kind, with random strategy and workers.
std::shared_ptr<const Case> make_case(Rng &rng, const LoadOptions &options) {
  static const std::vector<std::string> examples = ops::example_names();
  JitOptions jit_options;
  jit_options.strategy = coin(rng) ? Strategy::Auto : Strategy::Trace;
  jit_options.workers = static_cast<unsigned>(1 << uniform(rng, 0, 2));
  jit_options.max_plans = options.max_plans;
  jit_options.max_plans_per_operator = options.max_plans_per_operator;
  switch (uniform(rng, 0, 3)) {
  case 0:
    return std::make_shared<ChainCase>(rng, jit_options);
  case 1:
    return std::make_shared<BranchCase>(rng, jit_options);
  case 2: {
    auto name = examples[uniform(rng, 0, examples.size() - 1)];
    return std::make_shared<ExampleCase>(ops::example(name), jit_options);
  }
  default:
    return std::make_shared<TunableCase>(rng, jit_options);
  }
}

/// A slot of the pool. A caller takes its own reference to the occupant,
/// so replacing it destroys the old operator only when the last call on it
/// has returned.
class Slot {
public:
  std::shared_ptr<const Case> get() const {
    std::lock_guard lock(mutex_);
    return case_;
  }
  void set(std::shared_ptr<const Case> occupant) {
    std::lock_guard lock(mutex_);
    case_.swap(occupant);
  }

private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Case> case_;
};

/// The figures, updated by every thread.
struct Counters {
  std::atomic<std::uint64_t> calls{0}, mismatches{0}, errors{0};
  std::atomic<std::uint64_t> replacements{0}, state_changes{0};

  LoadFigures snapshot() const {
    return {calls.load(), mismatches.load(), errors.load(), replacements.load(),
            state_changes.load()};
  }
};

class Load {
public:
  explicit Load(const LoadOptions &options)
      : options_(options), slots_(options.slots),
        deadline_(Clock::now() + options.duration), running_(options.threads) {
    Rng rng(options.seed);
    for (Slot &slot : slots_)
      slot.set(make_case(rng, options));
  }

  /// One thread's loop.
  void hammer(unsigned index) {
    Rng rng(options_.seed + 1 + index);
    for (std::uint64_t calls = 0;
         Clock::now() < deadline_ || calls < options_.min_calls_per_thread;
         ++calls)
      step(rng);
    running_.fetch_sub(1);
  }

  bool running() const { return running_.load() != 0; }
  const Counters &counters() const { return counters_; }

private:
  Slot &pick(Rng &rng) {
    std::size_t hot = std::min(hot_slots, slots_.size());
    return slots_[coin(rng) ? uniform(rng, 0, hot - 1)
                            : uniform(rng, 0, slots_.size() - 1)];
  }

  /// Replaces, or retunes and calls, or calls one random slot.
  void step(Rng &rng) {
    Slot &slot = pick(rng);
    std::int64_t action = uniform(rng, 0, 999);
    try {
      if (action < replace_per_mille) {
        slot.set(make_case(rng, options_));
        counters_.replacements.fetch_add(1);
      }
      std::shared_ptr<const Case> occupant = slot.get();
      if (action >= replace_per_mille &&
          action < replace_per_mille + retune_per_mille && occupant->retune())
        counters_.state_changes.fetch_add(1);
      counters_.calls.fetch_add(1);
      if (std::string wrong = occupant->call(rng); !wrong.empty())
        fail(counters_.mismatches, wrong);
    } catch (const std::exception &e) {
      fail(counters_.errors, e.what());
    }
  }

  void fail(std::atomic<std::uint64_t> &counter, const std::string &what) {
    if (counter.fetch_add(1) < described_failures)
      std::fprintf(stderr, "jit load: %s\n", what.c_str());
  }

  LoadOptions options_;
  std::vector<Slot> slots_;
  Clock::time_point deadline_;
  Counters counters_;
  std::atomic<unsigned> running_;
};

/// Reports \p load's progress until its threads stop.
void watch(const Load &load, const LoadOptions &options,
           const LoadProgress &progress, Clock::time_point start) {
  constexpr std::chrono::milliseconds poll{20};
  Clock::time_point next = start + options.report_every;
  while (load.running()) {
    std::this_thread::sleep_for(poll);
    if (Clock::now() < next || !progress)
      continue;
    progress(load.counters().snapshot(),
             std::chrono::duration<double>(Clock::now() - start).count());
    next += options.report_every;
  }
}

} // namespace

LoadFigures run_load(const LoadOptions &options, const LoadProgress &progress) {
  Clock::time_point start = Clock::now();
  Load load(options);
  std::vector<std::jthread> threads;
  for (unsigned i = 0; i < options.threads; ++i)
    threads.emplace_back([&load, i] { load.hammer(i); });
  watch(load, options, progress, start);
  threads.clear();
  LoadFigures figures = load.counters().snapshot();
  if (progress)
    progress(figures,
             std::chrono::duration<double>(Clock::now() - start).count());
  return figures;
}

} // namespace xcs::bench
