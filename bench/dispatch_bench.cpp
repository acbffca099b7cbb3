//===- dispatch_bench.cpp - One graph run four ways -----------------------===//
//
// Chains of 1, 16 and 256 trivial operators, a diamond (identity, two
// affines, Add), a fan-out of 16 affines that all read the input, a branch
// (a sign test, a cond between two affines, an affine after: 4 calls) and
// loops (repeat_until over an increment, 4 and 16 runs of the body), each
// run in one binary as
//
//  compiled     the traced graph lowered, passed and compiled at O0, run
//               with the default run options (the executor picks serial or
//               parallel);
//  compiled_serial  the same with one worker: straight to the compiled
//               entry on the calling thread;
//  compiled_o2  compiled at O2, default run options;
//  interp       the same routing IR run by the reference interpreter;
//  eager        the composite called as an operator;
//  handwritten  the composite's body called directly: plain C++ calling the
//               same operator objects with the same records.
//
// Benchmarks are named BM_<Shape>/<mode>/<operator calls>. They measure CPU
// time: every mode runs on the calling thread and never waits, so CPU time
// is the work done, and unlike wall time it does not count the time the
// thread spends descheduled on a loaded machine. After the run the ratios
// compiled/handwritten (target <= 1.1), compiled/interp (target < 1) and the
// others against handwritten are printed to stderr.
//
// --runs=N (this binary's own flag) runs every selected benchmark exactly N
// times instead of timing it. Under callgrind the instructions of one run
// are then the difference between two counts, e.g. N = 1000 and N = 3000,
// divided by 2000: setup and the benchmark library cost the same in both.
//
//===----------------------------------------------------------------------===//

#include "ratio_report.h"

#include "IR/interpreter.h"
#include "IR/lower.h"
#include "IR/passes.h"
#include "JIT/compiled_graph.h"
#include "xcs/graph_builder.h"
#include "xcs/ops.h"
#include "xcs/trace.h"

#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace {

using namespace xcs;

/// x -> x + n: n increments, each fed the record the previous one returned.
struct Chain {
  std::vector<OperatorPtr> steps;

  Record operator()(const Record &input) const {
    Record record = (*steps.front())(input);
    for (std::size_t i = 1; i < steps.size(); ++i)
      record = (*steps[i])(record);
    return record;
  }
};

Chain make_chain(int length) {
  Chain chain;
  for (int i = 0; i < length; ++i)
    chain.steps.push_back(ops::affine(1, 1, "x", "x"));
  return chain;
}

/// x -> sum = (2x + 5) + (3x - 2): identity, two affines reading its
/// record, and Add joining them.
struct Diamond {
  OperatorPtr split = ops::identity({"x"});
  OperatorPtr left = ops::affine(2, 5);
  OperatorPtr right = ops::affine(3, -2);
  OperatorPtr merge = ops::binary(ops::BinaryOp::Add, "a", "b", "sum");
  FieldId y{"y"}, a{"a"}, b{"b"};

  Record operator()(const Record &input) const {
    Record split_out = (*split)(input);
    Record left_out = (*left)(split_out);
    Record right_out = (*right)(split_out);
    return (*merge)(Record({{a, left_out.at(y)}, {b, right_out.at(y)}}));
  }
};

/// x -> ys = [x + 0, ..., x + n - 1]: n affines that all read the input.
struct FanOut {
  std::vector<OperatorPtr> members;
  FieldId y{"y"}, ys{"ys"};

  Record operator()(const Record &input) const {
    std::vector<Value> items;
    items.reserve(members.size());
    for (const OperatorPtr &member : members)
      items.push_back((*member)(input).at(y));
    Record output;
    output.set(ys, Value::list(std::move(items)));
    return output;
  }
};

FanOut make_fan_out(int width) {
  FanOut fan_out;
  for (int i = 0; i < width; ++i)
    fan_out.members.push_back(ops::affine(1, i));
  return fan_out;
}

/// {x: int} -> {p: bool}: x > 0.
OperatorPtr sign() {
  return ops::function(
      "Sign", Specification().input("x", Kind::Int).output("p", Kind::Bool),
      [](const Record &in) { return Record{{"p", in.at("x").as_int() > 0}}; });
}

/// x -> y = tail(x > 0 ? 2x + 5 : 3x - 2): a sign test chooses one of two
/// affines, an affine follows. Four calls: Sign, the cond, its branch, the
/// tail. The glue passes the predicate to ops::cond; hand-written C++
/// branches on it.
struct Branch {
  OperatorPtr test = sign();
  OperatorPtr then_op = ops::affine(2, 5);
  OperatorPtr else_op = ops::affine(3, -2);
  OperatorPtr choose = ops::cond("p", then_op, else_op);
  OperatorPtr tail = ops::affine(1, 1, "y", "y");
  FieldId x{"x"}, y{"y"}, p{"p"};

  /// The composite's forward.
  Record operator()(const Record &input) const {
    Record tested = (*test)(input);
    Record chosen = (*choose)(Record({{p, tested.at(p)}, {x, input.at(x)}}));
    return (*tail)(chosen);
  }
  /// What a user writes without ops::cond.
  Record by_hand(const Record &input) const {
    Record tested = (*test)(input);
    const Operator &taken = tested.at(p).as_bool() ? *then_op : *else_op;
    return (*tail)(taken(Record({{x, input.at(x)}})));
  }
};

/// x -> x + n: repeat_until runs an increment until x reaches n.
struct Loop {
  explicit Loop(int runs)
      : body(ops::function("Increment",
                           Specification()
                               .input("x", Kind::Int)
                               .output("x", Kind::Int)
                               .output("done", Kind::Bool),
                           [runs](const Record &in) {
                             std::int64_t x = in.at("x").as_int() + 1;
                             return Record{{"x", x}, {"done", x > runs}};
                           })),
        loop(ops::repeat_until(body, "done", static_cast<std::uint32_t>(runs))),
        runs(runs) {}

  OperatorPtr body;
  OperatorPtr loop;
  int runs;
  FieldId x{"x"}, done{"done"};

  Record operator()(const Record &input) const {
    return Record({{x, (*loop)(input).at(x)}});
  }
  /// What a user writes without ops::repeat_until.
  Record by_hand(const Record &input) const {
    Record current = input;
    Record output;
    for (int i = 0; i < runs; ++i) {
      output = (*body)(current);
      if (output.at(done).as_bool())
        break;
      current = Record({{x, output.at(x)}});
    }
    return Record({{x, output.at(x)}});
  }
};

/// Setup stops on a failure rather than measure an error path.
template <typename T> T checked(llvm::Expected<T> value) {
  if (!value) {
    std::cerr << llvm::toString(value.takeError()) << "\n";
    std::abort();
  }
  return std::move(*value);
}

/// A shape ready to run every way: its composite, and the composite traced,
/// lowered, passed and compiled at both levels.
struct Prepared {
  OperatorPtr composite;
  Record input;
  std::vector<OperatorPtr> table;
  ir::Module module;
  std::optional<CompiledGraph> o0;
  std::optional<CompiledGraph> o2;
};

Prepared prepare(OperatorPtr composite, Record input) {
  Prepared prepared;
  prepared.composite = std::move(composite);
  prepared.input = std::move(input);
  Trace traced = trace(*prepared.composite, prepared.input);
  XCSGraph graph = AutoGraphBuilder().build(traced, prepared.composite->name());
  prepared.module = checked(ir::lower(graph, prepared.table));
  ir::run_default_pipeline(prepared.module);
  prepared.o0 = checked(compile(prepared.module, prepared.table, OptLevel::O0));
  prepared.o2 = checked(compile(prepared.module, prepared.table, OptLevel::O2));
  return prepared;
}

enum class Mode {
  Compiled,
  CompiledSerial,
  CompiledO2,
  Interp,
  Eager,
  Handwritten
};

constexpr Mode all_modes[] = {Mode::Compiled,   Mode::CompiledSerial,
                              Mode::CompiledO2, Mode::Interp,
                              Mode::Eager,      Mode::Handwritten};

const char *mode_name(Mode mode) {
  switch (mode) {
  case Mode::Compiled:
    return "compiled";
  case Mode::CompiledSerial:
    return "compiled_serial";
  case Mode::CompiledO2:
    return "compiled_o2";
  case Mode::Interp:
    return "interp";
  case Mode::Eager:
    return "eager";
  case Mode::Handwritten:
    return "handwritten";
  }
  return "?";
}

/// Calls \p use with a callable that runs \p prepared in \p mode once:
/// hand-written C++ is \p by_hand, the composite's forward \p body. The
/// mode is chosen here, outside the callable, so that a timing loop over it
/// contains only the run.
template <typename Body, typename ByHand, typename Use>
void with_mode(Mode mode, const Prepared &prepared, const Body &body,
               const ByHand &by_hand, Use &&use) {
  const Record &input = prepared.input;
  switch (mode) {
  case Mode::Compiled:
    return use([&] { return prepared.o0->run(input); });
  case Mode::CompiledSerial:
    return use([&] { return prepared.o0->run(input, {.workers = 1}); });
  case Mode::CompiledO2:
    return use([&] { return prepared.o2->run(input); });
  case Mode::Interp:
    return use(
        [&] { return ir::interpret(prepared.module, prepared.table, input); });
  case Mode::Eager:
    return use([&] { return (*prepared.composite)(input); });
  case Mode::Handwritten:
    return use([&] { return by_hand(input); });
  }
}

/// Aborts unless every mode computes what the hand-written body computes.
template <typename Body, typename ByHand>
void check_modes_agree(const std::string &shape, const Prepared &prepared,
                       const Body &body, const ByHand &by_hand) {
  Record expected = body(prepared.input);
  for (Mode mode : all_modes)
    with_mode(mode, prepared, body, by_hand, [&](auto run) {
      if (run() == expected)
        return;
      std::cerr << shape << "/" << mode_name(mode) << " computed "
                << run().to_string() << ", expected " << expected.to_string()
                << "\n";
      std::abort();
    });
}

std::string benchmark_name(const std::string &shape, Mode mode, int calls) {
  return "BM_" + shape + "/" + mode_name(mode) + "/" + std::to_string(calls);
}

/// The ratios reported for one shape, each against hand-written C++ except
/// compiled against the interpreter.
void add_ratios(const std::string &shape, int calls,
                std::vector<xcs::bench::Ratio> &ratios) {
  auto name = [&](Mode mode) { return benchmark_name(shape, mode, calls); };
  std::string handwritten = name(Mode::Handwritten);
  ratios.push_back({name(Mode::Compiled), handwritten, 1.1});
  ratios.push_back({name(Mode::Compiled), name(Mode::Interp), 1.0});
  ratios.push_back({name(Mode::CompiledSerial), handwritten, 1.1});
  ratios.push_back({name(Mode::CompiledO2), handwritten, 1.1});
  ratios.push_back({name(Mode::Interp), handwritten, std::nullopt});
  ratios.push_back({name(Mode::Eager), handwritten, std::nullopt});
}

/// --runs: how many times each benchmark runs, or 0 to time it.
benchmark::IterationCount fixed_runs = 0;

/// Registers BM_<shape>/<mode>/<calls> for every mode of the composite
/// named \p shape, with \p spec, whose forward is \p body; the hand-written
/// mode runs \p by_hand.
template <typename Body, typename ByHand>
void register_shape(const std::string &shape, int calls, const Body &body,
                    const ByHand &by_hand, Specification spec,
                    std::vector<xcs::bench::Ratio> &ratios) {
  auto prepared = std::make_shared<const Prepared>(
      prepare(ops::composite(shape, std::move(spec), body), Record{{"x", 1}}));
  check_modes_agree(shape, *prepared, body, by_hand);
  for (Mode mode : all_modes) {
    benchmark::internal::Benchmark *registered = benchmark::RegisterBenchmark(
        benchmark_name(shape, mode, calls).c_str(),
        [prepared, body, by_hand, mode](benchmark::State &state) {
          with_mode(mode, *prepared, body, by_hand, [&](auto run) {
            for (auto _ : state)
              benchmark::DoNotOptimize(run());
          });
        });
    if (fixed_runs > 0)
      registered->Iterations(fixed_runs);
  }
  add_ratios(shape, calls, ratios);
}

/// The same with the composite's forward as the hand-written C++.
template <typename Body>
void register_shape(const std::string &shape, int calls, const Body &body,
                    Specification spec,
                    std::vector<xcs::bench::Ratio> &ratios) {
  register_shape(shape, calls, body, body, std::move(spec), ratios);
}

Specification int_spec(std::string_view in, std::string_view out) {
  return Specification().input(in, Kind::Int).output(out, Kind::Int);
}

xcs::bench::Summary register_all() {
  std::vector<xcs::bench::Ratio> ratios;
  for (int length : {1, 16, 256})
    register_shape("Chain", length, make_chain(length), int_spec("x", "x"),
                   ratios);
  register_shape("Diamond", 4, Diamond{}, int_spec("x", "sum"), ratios);
  register_shape("FanOut", 16, make_fan_out(16),
                 Specification().input("x", Kind::Int).output("ys", Kind::List),
                 ratios);
  auto branch = std::make_shared<Branch>();
  register_shape(
      "Branch", 4, [branch](const Record &in) { return (*branch)(in); },
      [branch](const Record &in) { return branch->by_hand(in); },
      int_spec("x", "y"), ratios);
  for (int runs : {4, 16}) {
    auto loop = std::make_shared<Loop>(runs);
    register_shape(
        "Loop", runs, [loop](const Record &in) { return (*loop)(in); },
        [loop](const Record &in) { return loop->by_hand(in); },
        int_spec("x", "x"), ratios);
  }
  return {std::move(ratios), {}};
}

/// Takes --runs=N out of \p argv into fixed_runs; false when N is not a
/// positive whole number.
bool take_runs_flag(int &argc, char **argv) {
  constexpr std::string_view flag = "--runs=";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (!argument.starts_with(flag)) {
      argv[kept++] = argv[i];
      continue;
    }
    std::string_view digits = argument.substr(flag.size());
    auto [end, error] = std::from_chars(digits.data(),
                                        digits.data() + digits.size(),
                                        fixed_runs);
    if (error != std::errc() || end != digits.data() + digits.size() ||
        fixed_runs <= 0) {
      std::cerr << "xcs-bench-dispatch: --runs wants a positive whole "
                   "number, got '"
                << digits << "'\n";
      return false;
    }
  }
  argc = kept;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (!take_runs_flag(argc, argv))
    return 1;
  return xcs::bench::run_with_ratios(argc, argv, register_all);
}
