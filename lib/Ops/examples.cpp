//===- Ops/examples.cpp - Built-in example pipelines ----------------------===//
///
/// \file
/// Composites written the way users write them: forward() calls children
/// and routes their fields in plain C++. The glue only passes values on,
/// reads fields and builds records; it never computes on a value, so the
/// JIT may flatten each of these into a graph of its leaves.
///
//===----------------------------------------------------------------------===//

#include "Core/mapped_operator.h"
#include "Ops/support.h"
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

/// FNV-1a of \p text: a deterministic stand-in for a model's judgement.
std::uint64_t fnv(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text)
    hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

/// {query: string} -> {hard: bool}: a classifier standing in for a small
/// model that says whether a question needs the strong model (here: more
/// than 24 characters).
class Classify : public detail::Leaf {
public:
  Classify()
      : Leaf("Classify",
             Specification().input("query", Kind::String).output("hard",
                                                                  Kind::Bool),
             {{FieldId("hard"), {FieldId("query")}}}, {"classify", Value()}) {}
  Record forward(const Record &inputs) const override {
    return Record{{"hard", inputs.at("query").as_string().size() > 24}};
  }
};

/// {draft: string} -> {accepted: bool, feedback: string}: a critic standing
/// in for a judging model, deterministic in the draft: it accepts about
/// one draft in three.
class Critic : public detail::Leaf {
public:
  Critic()
      : Leaf("Critic",
             Specification()
                 .input("draft", Kind::String)
                 .output("accepted", Kind::Bool)
                 .output("feedback", Kind::String),
             {{FieldId("accepted"), {FieldId("draft")}},
              {FieldId("feedback"), {FieldId("draft")}}},
             {"critic", Value()}) {}
  Record forward(const Record &inputs) const override {
    bool accepted = fnv(inputs.at("draft").as_string()) % 3 == 0;
    return Record{{"accepted", accepted},
                  {"feedback", accepted ? "good" : "be more specific"}};
  }
};

/// A simulated model named \p name.
OperatorPtr model(std::string name, std::uint64_t seed) {
  ModelCallOptions options;
  options.name = std::move(name);
  options.seed = seed;
  return model_call(std::move(options));
}

/// {query} -> {answer}: the classifier decides, a cond runs the strong or
/// the cheap model. Only the chosen model is called.
class Route : public Operator, public Composite {
public:
  Route()
      : Operator("Route", Specification()
                              .input("query", Kind::String)
                              .output("answer", Kind::String)) {}

  Record forward(const Record &inputs) const override {
    Record kind = (*classify_)(Record{{query_, inputs.at(query_)}});
    Record answer = (*choose_)(
        Record{{hard_, kind.at(hard_)}, {prompt_, inputs.at(query_)}});
    return Record{{answer_, answer.at(response_)}};
  }

private:
  OperatorPtr classify_ = std::make_shared<Classify>();
  OperatorPtr choose_ = cond("hard", model("Strong", 2), model("Cheap", 1));
  FieldId query_{"query"}, hard_{"hard"}, prompt_{"prompt"},
      response_{"response"}, answer_{"answer"};
};

/// One round of self-refine: {draft, feedback} -> {draft, feedback,
/// accepted}: the reviser rewrites the draft with the feedback, the critic
/// judges the new draft.
class Refine : public Operator, public Composite, public Registrable {
public:
  Refine()
      : Operator("Refine", Specification()
                               .input("draft", Kind::String)
                               .input("feedback", Kind::String)
                               .output("draft", Kind::String)
                               .output("feedback", Kind::String)
                               .output("accepted", Kind::Bool)) {}

  RegistryForm registry_form() const override { return {"refine", Value()}; }

  Record forward(const Record &inputs) const override {
    Record prompt = (*instruct_)(inputs);
    Record revised = (*reviser_)(prompt);
    Record judged = (*critic_)(Record{{draft_, revised.at(response_)}});
    return Record{{draft_, revised.at(response_)},
                  {feedback_, judged.at(feedback_)},
                  {accepted_, judged.at(accepted_)}};
  }

private:
  OperatorPtr instruct_ =
      format("Revise: {draft}\nFeedback: {feedback}", "prompt");
  OperatorPtr reviser_ = model("Reviser", 7);
  OperatorPtr critic_ = std::make_shared<Critic>();
  FieldId draft_{"draft"}, feedback_{"feedback"}, accepted_{"accepted"},
      response_{"response"};
};

/// {query} -> {answer, rounds, accepted}: a first draft and its critique,
/// then rounds of revision until the critic accepts, at most 3.
class SelfRefine : public Operator, public Composite {
public:
  SelfRefine()
      : Operator("SelfRefine", Specification()
                                   .input("query", Kind::String)
                                   .output("answer", Kind::String)
                                   .output("rounds", Kind::Int)
                                   .output("accepted", Kind::Bool)) {}

  Record forward(const Record &inputs) const override {
    Record first = (*drafter_)(Record{{prompt_, inputs.at(query_)}});
    Record critique = (*critic_)(Record{{draft_, first.at(response_)}});
    Record refined = (*refine_)(Record{{draft_, first.at(response_)},
                                       {feedback_, critique.at(feedback_)}});
    return Record{{answer_, refined.at(draft_)},
                  {rounds_, refined.at(iterations_)},
                  {accepted_, refined.at(accepted_)}};
  }

private:
  OperatorPtr drafter_ = model("Drafter", 5);
  OperatorPtr critic_ = std::make_shared<Critic>();
  OperatorPtr refine_ =
      repeat_until(std::make_shared<Refine>(), "accepted", 3);
  FieldId query_{"query"}, prompt_{"prompt"}, response_{"response"},
      draft_{"draft"}, feedback_{"feedback"}, accepted_{"accepted"},
      iterations_{"iterations"}, answer_{"answer"}, rounds_{"rounds"};
};

/// Whether the judge finds \p answer too short: a deterministic stand-in
/// for a length or quality check, true for about half of the answers.
bool too_short(std::string_view answer) { return fnv(answer) % 2 == 0; }

/// {response: string} -> {short: bool}: too_short() as a declared leaf.
class IsShort : public detail::Leaf {
public:
  IsShort()
      : Leaf("IsShort",
             Specification().input("response", Kind::String).output(
                 "short", Kind::Bool),
             {{FieldId("short"), {FieldId("response")}}},
             {"is_short", Value()}) {}
  Record forward(const Record &inputs) const override {
    return Record{{"short", too_short(inputs.at("response").as_string())}};
  }
};

/// "Ask again if the answer is short", with the choice in glue: the glue
/// reads the answer, so the whole composite stays one opaque node that
/// runs Ask, Facts and Again one after another (docs/jit.md).
class AskAgainGlue : public Operator, public Composite, public Registrable {
public:
  AskAgainGlue()
      : Operator("AskAgainGlue", Specification()
                                     .input("query", Kind::String)
                                     .output("answer", Kind::String)
                                     .output("facts", Kind::String)) {}

  /// Its plan is this one opaque node, which the IR names so.
  RegistryForm registry_form() const override {
    return {"ask_again_glue", Value()};
  }

  Record forward(const Record &inputs) const override {
    Record prompt{{"prompt", inputs.at("query")}};
    Record first = (*ask_)(prompt);
    Record facts = (*facts_)(prompt);
    Record answer = too_short(first.at("response").as_string())
                        ? (*again_)(prompt)
                        : first;
    return Record{{"answer", answer.at("response")},
                  {"facts", facts.at("response")}};
  }

private:
  OperatorPtr ask_ = model("Ask", 11);
  OperatorPtr facts_ = model("Facts", 12);
  OperatorPtr again_ = model("Again", 13);
};

/// The same pipeline with the choice as ops::cond: the graph flattens, so
/// Facts runs concurrently with Ask and the judge, and Again runs only
/// when the answer is short, as a real branch of the compiled code.
class AskAgain : public Operator, public Composite {
public:
  AskAgain()
      : Operator("AskAgain", Specification()
                                 .input("query", Kind::String)
                                 .output("answer", Kind::String)
                                 .output("facts", Kind::String)) {}

  Record forward(const Record &inputs) const override {
    Record prompt{{"prompt", inputs.at("query")}};
    Record first = (*ask_)(prompt);
    Record facts = (*facts_)(prompt);
    Record judged = (*is_short_)(Record{{"response", first.at("response")}});
    Record answer = (*retry_)(Record{{"short", judged.at("short")},
                                     {"prompt", inputs.at("query")},
                                     {"response", first.at("response")}});
    return Record{{"answer", answer.at("response")},
                  {"facts", facts.at("response")}};
  }

private:
  OperatorPtr ask_ = model("Ask", 11);
  OperatorPtr facts_ = model("Facts", 12);
  OperatorPtr is_short_ = std::make_shared<IsShort>();
  OperatorPtr retry_ =
      cond("short", model("Again", 13), identity({"response"}));
};

/// {question, style} -> {answer}: a simulated model answers the question,
/// a format puts the style before its response.
class AnswerOne : public Operator, public Composite {
public:
  AnswerOne()
      : Operator("AnswerOne", Specification()
                                  .input("question", Kind::String)
                                  .input("style", Kind::String)
                                  .output("answer", Kind::String)) {}

  Record forward(const Record &inputs) const override {
    Record response = (*model_)(Record{{"prompt", inputs.at("question")}});
    return (*style_)(Record{{"style", inputs.at("style")},
                            {"response", response.at("response")}});
  }

private:
  OperatorPtr model_ = model("Answerer", 21);
  OperatorPtr style_ = format("{style}: {response}", "answer");
};

/// xcs::vmap(element, mapped), which lib/Batch provides.
OperatorPtr mapped(OperatorPtr element, std::vector<std::string> fields) {
  xcs::detail::VmapFactory factory = xcs::detail::vmap_factory.load();
  if (!factory)
    throw Error("the map example needs xcs::vmap, which is not loaded");
  return factory(std::move(element), std::move(fields));
}

/// {questions, style} -> {answers}: AnswerOne on every question (vmap),
/// the style shared by all; jit makes the call a map node whose body is
/// AnswerOne's plan.
class AnswerAll : public Operator, public Composite {
public:
  AnswerAll()
      : Operator("AnswerAll", Specification()
                                  .input("questions", Kind::List)
                                  .input("style", Kind::String)
                                  .output("answers", Kind::List)) {}

  Record forward(const Record &inputs) const override {
    Record answered = (*each_)(Record{{"question", inputs.at("questions")},
                                      {"style", inputs.at("style")}});
    return Record{{"answers", answered.at("answer")}};
  }

private:
  OperatorPtr each_ = mapped(std::make_shared<AnswerOne>(), {"question"});
};

template <typename T> OperatorPtr make() { return std::make_shared<T>(); }

OperatorPtr make_ensemble_judge() { return ensemble_judge(voters()); }

/// The examples' own operators, by the registry name each prints (its
/// registry_form()), sorted by name.
struct OperatorEntry {
  std::string_view name;
  OperatorPtr (*build)();
};

constexpr OperatorEntry operator_entries[] = {
    {"ask_again_glue", make<AskAgainGlue>}, {"classify", make<Classify>},
    {"critic", make<Critic>},               {"is_short", make<IsShort>},
    {"refine", make<Refine>}};

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
    {"route",
     "a classifier sends the query to a cheap or a strong model (cond): "
     "only the chosen one runs",
     make<Route>, R"({"query": "What is the capital of France?"})"},
    {"self-refine",
     "draft, critique, then revise until the critic accepts, at most 3 "
     "rounds (repeat_until)",
     make<SelfRefine>, R"({"query": "Explain XCS in one line."})"},
    {"ask-again",
     "ask, and ask again if the answer is short (cond), beside a facts "
     "lookup that runs concurrently",
     make<AskAgain>, R"({"query": "Why is the sky blue?"})"},
    {"ask-again-glue",
     "ask-again with the choice in glue: one opaque node, run serially",
     make<AskAgainGlue>, R"({"query": "Why is the sky blue?"})"},
    {"map",
     "one pipeline (model, then format) over a list of questions (vmap): "
     "a map node whose body is the pipeline's plan",
     make<AnswerAll>,
     R"({"questions": ["Why?", "How?", "When?"], "style": "short"})"},
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

std::vector<std::string> example_operator_names() {
  std::vector<std::string> names;
  for (const OperatorEntry &entry : operator_entries)
    names.emplace_back(entry.name);
  return names;
}

OperatorPtr example_operator(std::string_view name) {
  std::string known;
  for (const OperatorEntry &entry : operator_entries) {
    if (entry.name == name)
      return entry.build();
    known += (known.empty() ? "" : ", ") + std::string(entry.name);
  }
  throw InputError("unknown example operator '" + std::string(name) +
                   "' (known: " + known + ")");
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
