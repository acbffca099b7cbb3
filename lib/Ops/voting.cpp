//===- Ops/voting.cpp - most_common and judge -----------------------------===//
///
/// \file
/// Voting over a list of responses. Both operators share one majority count
/// so that the judge's answer always agrees with most_common.
///
//===----------------------------------------------------------------------===//

#include "Ops/support.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <memory>
#include <unordered_map>

namespace xcs::ops {
namespace {

using detail::fail;
using detail::Leaf;

/// The winning value and how many items voted for it.
struct Majority {
  Value value;
  std::size_t votes = 0;
};

/// The most frequent of \p items (not empty); a tie goes to the value seen
/// first, so the result does not depend on hashing order.
Majority majority(std::span<const Value> items) {
  std::unordered_map<Value, std::size_t> first_seen;
  std::vector<Majority> tally;
  for (const Value &item : items) {
    auto [it, inserted] = first_seen.try_emplace(item, tally.size());
    if (inserted)
      tally.push_back({item, 0});
    ++tally[it->second].votes;
  }
  Majority best = tally.front();
  for (const Majority &candidate : tally)
    if (candidate.votes > best.votes)
      best = candidate;
  return best;
}

/// The list in \p field; an empty one has no majority, so it is an input
/// error rather than an arbitrary answer.
std::span<const Value> non_empty_list(const Operator &op, const Record &inputs,
                                      FieldId field) {
  std::span<const Value> items = inputs.at(field).as_list();
  if (items.empty())
    fail(op.name(), "input field '" + std::string(field.name()) +
                        "': empty list, nothing to vote on");
  return items;
}

class MostCommon : public Leaf {
public:
  MostCommon(FieldId input, FieldId output)
      : Leaf("MostCommon",
             Specification()
                 .input(input.name(), Kind::List)
                 .output(output.name()),
             {{output, {input}}},
             {"most_common", Value::record({{"input", Value(input.name())},
                                            {"output", Value(output.name())}})}),
        input_(input), output_(output) {}

  Record forward(const Record &inputs) const override {
    Record outputs;
    outputs.set(output_, majority(non_empty_list(*this, inputs, input_)).value);
    return outputs;
  }

private:
  FieldId input_;
  FieldId output_;
};

class Judge : public Leaf {
public:
  explicit Judge(std::string name)
      : Leaf(name,
             Specification()
                 .input("query", Kind::String)
                 .input("responses", Kind::List)
                 .output("answer", Kind::String),
             {{FieldId("answer"), {FieldId("query"), FieldId("responses")}}},
             {"judge", Value::record({{"name", Value(name)}})}) {}

  /// "QUERY => MAJORITY (K of N agree)".
  Record forward(const Record &inputs) const override {
    std::span<const Value> responses =
        non_empty_list(*this, inputs, responses_);
    Majority best = majority(responses);
    std::string answer = std::string(inputs.at(query_).as_string()) + " => " +
                         detail::display_text(best.value) + " (" +
                         std::to_string(best.votes) + " of " +
                         std::to_string(responses.size()) + " agree)";
    Record outputs;
    outputs.set(answer_, Value(std::move(answer)));
    return outputs;
  }

private:
  FieldId query_{"query"};
  FieldId responses_{"responses"};
  FieldId answer_{"answer"};
};

} // namespace

OperatorPtr most_common(std::string input, std::string output) {
  detail::check_field_name("MostCommon", "input field", input);
  detail::check_field_name("MostCommon", "output field", output);
  return std::make_shared<MostCommon>(FieldId(input), FieldId(output));
}

OperatorPtr judge(std::string name) {
  detail::check_operator_name("judge", name);
  return std::make_shared<Judge>(std::move(name));
}

} // namespace xcs::ops
