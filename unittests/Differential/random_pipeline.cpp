//===- random_pipeline.cpp - Random composites for differential tests -----===//

#include "random_pipeline.h"

#include "xcs/ops.h"
#include "xcs/path.h"
#include "xcs/trace.h"

#include <memory>
#include <random>
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
        for (const Value &item : in.at("items").as_list())
          sum += item.as_int();
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
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

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
      spec.output(name, Kind::Int);
      outputs.emplace_back(name, pick(ints));
    }
    return std::make_shared<RandomComposite>(
        "Random" + std::to_string(depth), std::move(spec), std::move(steps),
        std::move(outputs));
  }

private:
  const Source &pick(const std::vector<Source> &from) {
    return from[uniform(rng_, 0, static_cast<int>(from.size()) - 1)];
  }

  /// One step at position \p index; appends the int values it makes
  /// available to \p ints.
  Step step(int index, std::vector<Source> &ints, int depth) {
    auto out = [&](const char *path) {
      ints.push_back(Source{index, Path::parse(path)});
    };
    Step s;
    switch (uniform(rng_, 0, depth > 0 ? 5 : 4)) {
    case 0:
      s.op = ops::affine(uniform(rng_, -2, 2), uniform(rng_, -9, 9));
      s.wires = {{"x", pick(ints)}};
      out("y");
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
      out("y");
      break;
    }
    case 2:
      s.op = sum_list();
      for (int i = uniform(rng_, 1, 4); i > 0; --i)
        s.list_items.push_back(pick(ints));
      out("y");
      break;
    case 3:
      s.op = pack();
      s.wires = {{"a", pick(ints)}, {"b", pick(ints)}};
      out("pair[0]");
      out("pair[1]");
      out("info.b");
      break;
    case 4:
      s.op = ops::identity({"x"});
      s.wires = {{"x", pick(ints)}};
      out("x");
      break;
    default: {
      s.op = composite(2, 4, depth - 1);
      s.wires = {{"x0", pick(ints)}, {"x1", pick(ints)}};
      for (const FieldSpec &field : s.op->spec().outputs())
        ints.push_back(Source{index, Path().field(field.id)});
      break;
    }
    }
    return s;
  }

  Rng rng_;
};

} // namespace

RandomPipeline random_pipeline(std::uint64_t seed, int max_steps) {
  Generator generator(seed);
  RandomPipeline pipeline;
  pipeline.op = generator.composite(3, max_steps, 2);
  Rng rng(seed ^ 0x5eedULL);
  for (int i = 0; i < 4; ++i)
    pipeline.inputs.push_back(Record{{"x0", uniform(rng, -100, 100)},
                                     {"x1", uniform(rng, -100, 100)},
                                     {"x2", uniform(rng, -100, 100)}});
  return pipeline;
}

} // namespace xcs::testing_util
