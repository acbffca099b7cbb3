//===- Ops/examples.cpp - Built-in example pipelines ----------------------===//
///
/// \file
/// Composites written the way users write them: forward() calls children
/// and routes their fields in plain C++. The glue only passes values on,
/// reads fields and builds records; it never computes on a value, so the
/// JIT may flatten each of these into a graph of its leaves.
///
//===----------------------------------------------------------------------===//

#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/ops.h"

#include <memory>

namespace xcs::ops {
namespace {

Specification int_spec(std::string_view in, std::string_view out) {
  return Specification().input(in, Kind::Int).output(out, Kind::Int);
}

std::vector<OperatorPtr> voters() {
  std::vector<OperatorPtr> members;
  for (std::uint64_t seed : {1, 2, 3}) {
    ModelCallOptions options;
    options.name = "Member" + std::to_string(seed);
    options.seed = seed;
    options.vocabulary = 2;
    members.push_back(model_call(std::move(options)));
  }
  return members;
}

class EnsembleJudge : public Operator, public Composite {
public:
  explicit EnsembleJudge(std::vector<OperatorPtr> members)
      : Operator("EnsembleJudge", Specification()
                                      .input("query", Kind::String)
                                      .output("answer", Kind::String)),
        ensemble_(ensemble(std::move(members))) {}

  Record forward(const Record &inputs) const override {
    const Value &query = inputs.at(query_);
    Record voted = (*ensemble_)(Record({{prompt_, query}}));
    Record judged = (*judge_)(
        Record({{query_, query}, {responses_, voted.at(responses_)}}));
    return Record({{answer_, judged.at(answer_)}});
  }

private:
  OperatorPtr ensemble_;
  OperatorPtr judge_ = judge();
  FieldId query_{"query"}, prompt_{"prompt"}, responses_{"responses"},
      answer_{"answer"};
};

class Diamond : public Operator, public Composite {
public:
  Diamond() : Operator("Diamond", int_spec("x", "sum")) {}

  Record forward(const Record &inputs) const override {
    Record split = (*split_)(Record({{x_, inputs.at(x_)}}));
    Record left = (*left_)(Record({{x_, split.at(x_)}}));
    Record right = (*right_)(Record({{x_, split.at(x_)}}));
    Record merged =
        (*merge_)(Record({{a_, left.at(y_)}, {b_, right.at(y_)}}));
    return Record({{sum_, merged.at(sum_)}});
  }

private:
  OperatorPtr split_ = identity({"x"});
  OperatorPtr left_ = affine(2, 5, "x", "y");
  OperatorPtr right_ = affine(3, -2, "x", "y");
  OperatorPtr merge_ = binary(BinaryOp::Add, "a", "b", "sum");
  FieldId x_{"x"}, y_{"y"}, a_{"a"}, b_{"b"}, sum_{"sum"};
};

/// Innermost level of "nested": y = (2x + 1) + (x + 3).
class NestedInner : public Operator, public Composite {
public:
  NestedInner() : Operator("NestedInner", int_spec("x", "y")) {}

  Record forward(const Record &inputs) const override {
    Record x = Record({{x_, inputs.at(x_)}});
    Record twice = (*twice_)(x);
    Record shifted = (*shift_)(x);
    Record sum =
        (*add_)(Record({{a_, twice.at(y_)}, {b_, shifted.at(y_)}}));
    return Record({{y_, sum.at(y_)}});
  }

private:
  OperatorPtr twice_ = affine(2, 1);
  OperatorPtr shift_ = affine(1, 3);
  OperatorPtr add_ = binary(BinaryOp::Add);
  FieldId x_{"x"}, y_{"y"}, a_{"a"}, b_{"b"};
};

/// Middle level of "nested": y = inner(x) * x.
class NestedMiddle : public Operator, public Composite {
public:
  NestedMiddle() : Operator("NestedMiddle", int_spec("x", "y")) {}

  Record forward(const Record &inputs) const override {
    Record inner = (*inner_)(Record({{x_, inputs.at(x_)}}));
    Record product =
        (*multiply_)(Record({{a_, inner.at(y_)}, {b_, inputs.at(x_)}}));
    return Record({{y_, product.at(y_)}});
  }

private:
  OperatorPtr inner_ = std::make_shared<NestedInner>();
  OperatorPtr multiply_ = binary(BinaryOp::Mul);
  FieldId x_{"x"}, y_{"y"}, a_{"a"}, b_{"b"};
};

/// Outer level of "nested": result = middle(x) - 1.
class NestedOuter : public Operator, public Composite {
public:
  NestedOuter() : Operator("NestedOuter", int_spec("x", "result")) {}

  Record forward(const Record &inputs) const override {
    Record middle = (*middle_)(Record({{x_, inputs.at(x_)}}));
    Record result = (*decrement_)(Record({{x_, middle.at(y_)}}));
    return Record({{result_, result.at(result_)}});
  }

private:
  OperatorPtr middle_ = std::make_shared<NestedMiddle>();
  OperatorPtr decrement_ = affine(1, -1, "x", "result");
  FieldId x_{"x"}, y_{"y"}, result_{"result"};
};

OperatorPtr make_chain() {
  return sequence("Chain", {affine(2, 1, "x", "a"), affine(3, -4, "a", "b"),
                            affine(1, 10, "b", "c"), affine(-1, 0, "c", "y")});
}

template <typename T> OperatorPtr make() { return std::make_shared<T>(); }

OperatorPtr make_ensemble_judge() { return ensemble_judge(voters()); }

struct Entry {
  std::string_view name;
  std::string_view description;
  OperatorPtr (*build)();
  /// The default input as a JSON object.
  std::string_view input;
};

constexpr Entry entries[] = {
    {"ensemble-judge",
     "three simulated models answer the query; a judge synthesizes the "
     "majority",
     make_ensemble_judge, R"({"query": "What is the capital of France?"})"},
    {"diamond", "one input, two affine branches merged by Add: (2x+5)+(3x-2)",
     make<Diamond>, R"({"x": 5})"},
    {"chain", "a sequence of four affine steps: -(3(2x+1)-4+10)", make_chain,
     R"({"x": 5})"},
    {"nested",
     "three levels of composites around arithmetic leaves: "
     "(3x+4)*x-1",
     make<NestedOuter>, R"({"x": 5})"},
};

} // namespace

OperatorPtr ensemble_judge(std::vector<OperatorPtr> members) {
  return std::make_shared<EnsembleJudge>(std::move(members));
}

std::vector<std::string> example_names() {
  std::vector<std::string> names;
  for (const Entry &entry : entries)
    names.emplace_back(entry.name);
  return names;
}

Example example(std::string_view name) {
  for (const Entry &entry : entries)
    if (entry.name == name)
      return {std::string(entry.name), std::string(entry.description),
              entry.build(), parse_json_record(entry.input, entry.name)};
  std::string known;
  for (const Entry &entry : entries)
    known += (known.empty() ? "" : ", ") + std::string(entry.name);
  throw InputError("unknown example '" + std::string(name) +
                   "'; known examples: " + known);
}

} // namespace xcs::ops
