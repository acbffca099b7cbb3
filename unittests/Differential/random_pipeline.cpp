//===- random_pipeline.cpp - Random composites for differential tests -----===//

#include "random_pipeline.h"

#include "xcs/error.h"
#include "xcs/ops.h"
#include "xcs/path.h"
#include "xcs/trace.h"

#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

namespace xcs::testing_util {
namespace {

using Rng = std::mt19937_64;

int uniform(Rng &rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

/// A value available to later steps: where the glue finds it.
struct Source {
  /// -1 for the composite's input, else the step whose output it is.
  int step;
  Path path;
  /// Whether a specification where it comes from declares it an int (a
  /// path into a list or record, or an output of kind any, does not).
  bool declared_int = true;
};

/// A leaf of the pipeline and how its inputs are wired.
struct Step {
  OperatorPtr op;
  /// Input field -> where its value comes from (or a constant).
  std::vector<std::pair<std::string, Source>> wires;
  std::vector<std::pair<std::string, std::int64_t>> constants;
  /// Input field built as a list of sources (the "items" of a Sum).
  std::vector<Source> list_items;
};

/// {items: list of ints} -> {y: their sum}.
OperatorPtr sum_list() {
  return ops::function(
      "Sum", Specification().input("items", Kind::List).output("y", Kind::Int),
      [](const Record &in) {
        std::int64_t sum = 0;
        for (const Value &item : in.at("items").as_list()) {
          if (item.kind() != Kind::Int)
            throw InputError("operator 'Sum': an item is a " +
                             std::string(kind_name(item.kind())) +
                             ", not an int");
          sum += item.as_int();
        }
        return Record{{"y", sum}};
      });
}

/// {a, b} -> {pair: [a, b], info: {a: a, b: b}}.
OperatorPtr pack() {
  return ops::function(
      "Pack",
      Specification()
          .input("a", Kind::Int)
          .input("b", Kind::Int)
          .output("pair", Kind::List)
          .output("info", Kind::Record),
      [](const Record &in) {
        return Record{
            {"pair", Value::list({in.at("a"), in.at("b")})},
            {"info", Value::record(Record{{"a", in.at("a")}, {"b", in.at("b")}})}};
      });
}

/// Mixes \p x's bits (splitmix64's finalizer), so that nearby hashes give
/// unrelated faults.
std::uint64_t mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// A leaf that fails on about one input in five: it throws, or its result
/// lacks its first declared output or has a string there. Its name is
/// unique, so an error message tells which node failed.
class FaultyLeaf : public Operator {
public:
  FaultyLeaf(OperatorPtr inner, std::uint64_t seed,
             std::shared_ptr<std::atomic<bool>> on)
      : Operator("Faulty" + std::to_string(seed) + "." + inner->name(),
                 inner->spec()),
        inner_(std::move(inner)), seed_(seed), on_(std::move(on)) {}

  Record forward(const Record &inputs) const override {
    // forward() rather than the call operator: this leaf stays a leaf.
    Record outputs = inner_->forward(inputs);
    if (!on_->load(std::memory_order_relaxed))
      return outputs;
    FieldId first = spec().outputs().front().id;
    switch (mix(seed_ ^ inputs.hash()) % 16) {
    case 0:
      throw std::runtime_error(name() + ": injected fault");
    case 1:
      outputs.erase(first);
      break;
    case 2:
      outputs.set(first, Value("not the declared kind"));
      break;
    default:
      break;
    }
    return outputs;
  }

private:
  OperatorPtr inner_;
  std::uint64_t seed_;
  std::shared_ptr<std::atomic<bool>> on_;
};

/// The composite: calls its steps in order, routing values as wired.
class RandomComposite : public Operator {
public:
  RandomComposite(std::string name, Specification spec, std::vector<Step> steps,
                  std::vector<std::pair<std::string, Source>> outputs)
      : Operator(std::move(name), std::move(spec)), steps_(std::move(steps)),
        outputs_(std::move(outputs)) {}

  Record forward(const Record &inputs) const override {
    std::vector<Record> results;
    results.reserve(steps_.size());
    auto fetch = [&](const Source &s) -> const Value & {
      return s.path.at(s.step < 0 ? inputs : results[s.step]);
    };
    for (const Step &step : steps_) {
      Record args;
      for (const auto &[field, source] : step.wires)
        args.set(field, fetch(source));
      for (const auto &[field, value] : step.constants)
        args.set(field, xcs::constant(value));
      if (!step.list_items.empty()) {
        std::vector<Value> items;
        for (const Source &source : step.list_items)
          items.push_back(fetch(source));
        args.set("items", Value::list(std::move(items)));
      }
      results.push_back((*step.op)(args));
    }
    Record out;
    for (const auto &[field, source] : outputs_)
      out.set(field, fetch(source));
    return out;
  }

private:
  std::vector<Step> steps_;
  std::vector<std::pair<std::string, Source>> outputs_;
};

class Generator {
public:
  /// With \p faults_on, leaves inject faults while it is set.
  Generator(std::uint64_t seed, std::shared_ptr<std::atomic<bool>> faults_on)
      : rng_(seed), faults_on_(std::move(faults_on)) {}

  /// A composite over inputs x0..x{inputs-1}; \p depth bounds nesting.
  OperatorPtr composite(int inputs, int max_steps, int depth) {
    std::vector<Source> ints;
    Specification spec;
    for (int i = 0; i < inputs; ++i) {
      std::string name = "x" + std::to_string(i);
      spec.input(name, Kind::Int);
      ints.push_back(Source{-1, Path().field(FieldId(name))});
    }
    std::vector<Step> steps;
    int count = uniform(rng_, 1, max_steps);
    for (int i = 0; i < count; ++i)
      steps.push_back(step(static_cast<int>(steps.size()), ints, depth));
    std::vector<std::pair<std::string, Source>> outputs;
    int outs = uniform(rng_, 1, 3);
    for (int i = 0; i < outs; ++i) {
      std::string name = "out" + std::to_string(i);
      const Source &source = pick(ints);
      // Mostly as a careful author declares it: int where the source is
      // declared int, else any. Sometimes int regardless, which only a run
      // can check: the composite must then stay opaque.
      bool declare_int = source.declared_int || uniform(rng_, 0, 3) == 0;
      spec.output(name, declare_int ? std::optional<Kind>(Kind::Int)
                                    : std::nullopt);
      outputs.emplace_back(name, source);
    }
    return std::make_shared<RandomComposite>(
        "Random" + std::to_string(depth), std::move(spec), std::move(steps),
        std::move(outputs));
  }

private:
  const Source &pick(const std::vector<Source> &from) {
    return from[uniform(rng_, 0, static_cast<int>(from.size()) - 1)];
  }

  /// A source declared int: the composite's inputs always are.
  const Source &pick_declared_int(const std::vector<Source> &from) {
    while (true)
      if (const Source &source = pick(from); source.declared_int)
        return source;
  }

  /// One step at position \p index; appends the int values it makes
  /// available to \p ints.
  Step step(int index, std::vector<Source> &ints, int depth) {
    auto out = [&](const char *path, bool declared_int) {
      ints.push_back(Source{index, Path::parse(path), declared_int});
    };
    Step s;
    switch (uniform(rng_, 0, depth > 0 ? 5 : 4)) {
    case 0:
      s.op = ops::affine(uniform(rng_, -2, 2), uniform(rng_, -9, 9));
      s.wires = {{"x", pick(ints)}};
      out("y", true);
      break;
    case 1: {
      static const ops::BinaryOp kinds[] = {ops::BinaryOp::Add,
                                            ops::BinaryOp::Sub};
      s.op = ops::binary(kinds[uniform(rng_, 0, 1)]);
      s.wires = {{"a", pick(ints)}};
      if (uniform(rng_, 0, 3) == 0)
        s.constants = {{"b", uniform(rng_, -50, 50)}};
      else
        s.wires.emplace_back("b", pick(ints));
      out("y", true);
      break;
    }
    case 2:
      s.op = sum_list();
      for (int i = uniform(rng_, 1, 4); i > 0; --i)
        s.list_items.push_back(pick(ints));
      out("y", true);
      break;
    case 3:
      s.op = pack();
      s.wires = {{"a", pick(ints)}, {"b", pick(ints)}};
      out("pair[0]", false);
      out("pair[1]", false);
      out("info.b", false);
      break;
    case 4:
      s.op = ops::identity({"x"});
      s.wires = {{"x", pick(ints)}};
      out("x", false);
      break;
    default: {
      s.op = composite(2, 4, depth - 1);
      // Its inputs are declared int: wiring anything else would keep it
      // opaque, which the outputs already exercise.
      s.wires = {{"x0", pick_declared_int(ints)},
                 {"x1", pick_declared_int(ints)}};
      for (const FieldSpec &field : s.op->spec().outputs())
        ints.push_back(Source{index, Path().field(field.id),
                              field.kind == Kind::Int});
      return s;
    }
    }
    if (faults_on_)
      s.op = std::make_shared<FaultyLeaf>(std::move(s.op), ++leaves_,
                                          faults_on_);
    return s;
  }

  Rng rng_;
  std::shared_ptr<std::atomic<bool>> faults_on_;
  /// Leaves made so far: numbers each faulty leaf.
  std::uint64_t leaves_ = 0;
};

} // namespace

RandomPipeline random_pipeline(std::uint64_t seed, int max_steps,
                               bool with_faults) {
  RandomPipeline pipeline;
  Generator generator(seed, with_faults ? pipeline.faults_on : nullptr);
  pipeline.op = generator.composite(3, max_steps, 2);
  Rng rng(seed ^ 0x5eedULL);
  for (int i = 0; i < 4; ++i)
    pipeline.inputs.push_back(Record{{"x0", uniform(rng, -100, 100)},
                                     {"x1", uniform(rng, -100, 100)},
                                     {"x2", uniform(rng, -100, 100)}});
  return pipeline;
}

} // namespace xcs::testing_util
