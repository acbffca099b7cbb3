//===- Driver/operator_binding_test.cpp - Operators made by name ----------===//
///
/// \file
/// The operator registry, the typed reading of factory arguments, the
/// built-in factories and binding a parsed module's operator table. The
/// FileCheck tests run the same through the tool; these pin the messages
/// and the corner cases.
///
//===----------------------------------------------------------------------===//

#include "Driver/builtin_operators.h"
#include "Driver/operator_arguments.h"
#include "Driver/operator_binding.h"
#include "JIT/plan_stages.h"
#include "IR/parser.h"
#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xcs {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// The message of the InputError that \p body throws.
template <typename Body> std::string input_error(Body body) {
  try {
    body();
  } catch (const InputError &error) {
    return error.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

OperatorRegistry builtins() {
  OperatorRegistry registry;
  add_builtin_operators(registry);
  return registry;
}

TEST(OperatorRegistryTest, FindsWhatWasAddedAndListsItSorted) {
  OperatorRegistry registry;
  OperatorFactory factory = [](const Value &) -> OperatorPtr {
    return nullptr;
  };
  registry.add("zeta", factory);
  registry.add("alpha", factory);
  EXPECT_NE(registry.find("zeta"), nullptr);
  EXPECT_EQ(registry.find("beta"), nullptr);
  EXPECT_THAT(registry.names(), ElementsAre("alpha", "zeta"));
}

TEST(OperatorRegistryTest, RejectsDuplicatesEmptyNamesAndEmptyFactories) {
  OperatorRegistry registry = builtins();
  OperatorFactory factory = [](const Value &) -> OperatorPtr {
    return nullptr;
  };
  EXPECT_THAT(input_error([&] { registry.add("affine", factory); }),
              HasSubstr("'affine' is already registered"));
  EXPECT_THAT(input_error([&] { registry.add("", factory); }),
              HasSubstr("name is empty"));
  EXPECT_THAT(input_error([&] { registry.add("x", OperatorFactory()); }),
              HasSubstr("factory of 'x' is empty"));
}

TEST(OperatorArgumentsTest, DefaultsApplyWithoutArguments) {
  OperatorArguments args(Value(), {"out", "rate"});
  EXPECT_EQ(args.string_or("out", "y"), "y");
  EXPECT_EQ(args.number_or("rate", 0.5), 0.5);
  EXPECT_EQ(args.integer_in("n", 3, 0, 10), 3);
  EXPECT_THAT(input_error([&] { args.string("out"); }),
              HasSubstr("missing argument 'out'"));
}

TEST(OperatorArgumentsTest, ReadsEveryKind) {
  Value arguments = parse_json(R"({"s": "x", "i": 7, "d": 2, "l": ["a", "b"],
                                   "m": {"from": "to"}})");
  OperatorArguments args(arguments, {"s", "i", "d", "l", "m"});
  EXPECT_EQ(args.string("s"), "x");
  EXPECT_EQ(args.integer("i"), 7);
  EXPECT_EQ(args.number_or("d", 0.0), 2.0);
  EXPECT_THAT(args.strings("l"), ElementsAre("a", "b"));
  EXPECT_THAT(args.string_map("m"),
              ElementsAre(std::pair<std::string, std::string>("from", "to")));
}

TEST(OperatorArgumentsTest, NamesTheArgumentAndTheKindItMustHave) {
  Value arguments = parse_json(R"({"s": 1, "l": ["a", 2], "m": {"a": 1},
                                   "n": -1, "d": "x"})");
  OperatorArguments args(arguments, {"s", "l", "m", "n", "d"});
  EXPECT_EQ(input_error([&] { args.string("s"); }),
            "argument 's' must be a string, got int");
  EXPECT_EQ(input_error([&] { args.strings("l"); }),
            "argument 'l' must be a list of strings, got int");
  EXPECT_EQ(input_error([&] { args.string_map("m"); }),
            "argument 'm' must be an object of strings, got int");
  EXPECT_EQ(input_error([&] { args.integer_in("n", 0, 0, 5); }),
            "argument 'n' must be in [0, 5], got -1");
  EXPECT_EQ(input_error([&] { args.number_or("d", 0.0); }),
            "argument 'd' must be a number, got string");
}

TEST(OperatorArgumentsTest, UnknownArgumentsAreErrors) {
  Value arguments = parse_json(R"({"mull": 2})");
  EXPECT_EQ(input_error([&] {
              OperatorArguments(arguments, {"mul", "add"});
            }),
            "unknown argument 'mull' (expected mul, add)");
  EXPECT_EQ(input_error([&] { OperatorArguments(arguments, {}); }),
            "unknown argument 'mull' (it takes no arguments)");
}

TEST(BuiltinOperatorsTest, EveryFactoryMakesItsOperator) {
  OperatorRegistry registry = builtins();
  EXPECT_THAT(registry.names(),
              ElementsAre("add", "affine", "chat_model", "counter", "declared",
                          "format", "identity", "judge", "model_call",
                          "most_common", "mul", "rename", "select", "sub"));
  auto make = [&](std::string_view name, std::string_view arguments) {
    return (*registry.find(name))(parse_json(arguments));
  };
  EXPECT_EQ(make("affine", R"({"mul": 3, "add": 1})")->name(), "Affine");
  EXPECT_EQ(
      (*make("affine", R"({"mul": 3, "add": 1, "in": "a"})"))(Record{{"a", 2}}),
      (Record{{"y", 7}}));
  EXPECT_EQ((*make("sub", "null"))(Record{{"a", 2}, {"b", 5}}),
            (Record{{"y", -3}}));
  EXPECT_EQ(make("judge", R"({"name": "Arbiter"})")->name(), "Arbiter");
  EXPECT_EQ(make("model_call", R"({"name": "M", "seed": 4})")->name(), "M");
  // Making one sends nothing (unittests/Net calls it against a server).
  EXPECT_EQ(make("chat_model", R"({"name": "C", "base_url": "http://x/v1",
                                   "model": "m"})")
                ->name(),
            "C");
}

TEST(BuiltinOperatorsTest, ModelCallChecksItsNumbers) {
  OperatorRegistry registry = builtins();
  const OperatorFactory &model = *registry.find("model_call");
  EXPECT_THAT(input_error([&] {
                model(parse_json(R"({"latency_ms": 1, "latency_us": 1})"));
              }),
              HasSubstr("give latency_ms or latency_us, not both"));
  EXPECT_THAT(
      input_error([&] { model(parse_json(R"({"latency_us": 60000001})")); }),
      HasSubstr("argument 'latency_us' must be in [0, 60000000]"));
  EXPECT_THAT(
      input_error([&] { model(parse_json(R"({"latency_ms": 3600000})")); }),
      HasSubstr("argument 'latency_ms' must be in [0, 60000]"));
  EXPECT_THAT(
      input_error([&] { model(parse_json(R"({"vocabulary": 5000000000})")); }),
      HasSubstr("argument 'vocabulary' must be in [0, 4294967295]"));
}

/// The registry form of \p op, which must have one.
RegistryForm form_of(const OperatorPtr &op) {
  const auto *registrable = dynamic_cast<const Registrable *>(op.get());
  if (!registrable) {
    ADD_FAILURE() << op->name() << " has no registry form";
    return {};
  }
  return registrable->registry_form();
}

// Every built-in operator names the factory that made it and arguments
// that make an operator with the same form and the same behaviour: the
// routing IR prints operators so, and reads them back.
TEST(BuiltinOperatorsTest, EveryOperatorPrintsTheFormThatMakesIt) {
  OperatorRegistry registry = builtins();
  std::vector<std::pair<std::string, std::string>> made{
      {"identity", R"({"fields": ["a", "b"]})"},
      {"select", R"({"fields": ["a"]})"},
      {"rename", R"({"mapping": {"a": "b", "c": "d"}})"},
      {"format", R"({"text": "{a}, {b}!", "output": "greeting"})"},
      {"affine", R"({"mul": -3, "add": 7, "in": "p", "out": "q"})"},
      {"add", "null"},
      {"sub", R"({"lhs": "l", "rhs": "r", "out": "o"})"},
      {"mul", "null"},
      {"counter", R"({"out": "n"})"},
      {"most_common", R"({"input": "votes"})"},
      {"judge", R"({"name": "Arbiter"})"},
      {"model_call", R"({"name": "M", "seed": -5, "latency_us": 1500,
                          "vocabulary": 3, "failure_rate": 0.25,
                          "fail_on": "boom"})"},
      {"chat_model", R"({"name": "C", "base_url": "http://x/v1", "model": "m",
                         "temperature": 0.5, "max_tokens": 9,
                         "headers": {"X-Team": "a"}})"},
      {"declared", R"({"name": "D", "spec": {"inputs": {"x": "int",
                       "n?": "any"}, "outputs": {"y": "list"},
                       "open_inputs": true}})"}};
  std::vector<std::string> covered;
  for (const auto &[name, arguments] : made) {
    OperatorPtr op = (*registry.find(name))(parse_json(arguments));
    RegistryForm form = form_of(op);
    EXPECT_EQ(form.name, name);
    OperatorPtr again = (*registry.find(form.name))(form.arguments);
    RegistryForm second = form_of(again);
    EXPECT_EQ(second.name, form.name);
    EXPECT_EQ(to_json(second.arguments), to_json(form.arguments)) << name;
    EXPECT_EQ(again->name(), op->name());
    EXPECT_EQ(again->spec().to_string(), op->spec().to_string()) << name;
    covered.push_back(name);
  }
  std::ranges::sort(covered);
  EXPECT_EQ(covered, registry.names());
}

ir::Module parse_module(std::string_view text) {
  llvm::Expected<ir::Module> module = ir::parse(text, "t.xcs");
  if (!module) {
    ADD_FAILURE() << llvm::toString(module.takeError());
    return {};
  }
  return std::move(*module);
}

TEST(BindOperatorsTest, MakesOneInstancePerEntry) {
  std::string text = R"(operator @a "affine" {"mul": 1, "add": 1}
operator @b "affine" {"mul": 1, "add": 1}
graph @g(x) -> (y) {
  %x = input x
  %1 = call @a(x: %x)
  %2 = call @b(x: %x)
  %y = get %2 y
  output y: %y
})";
  std::vector<OperatorPtr> ops =
      bind_operators(parse_module(text), text, "t.xcs", builtins());
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_NE(ops[0]->id(), ops[1]->id());
}

TEST(BindOperatorsTest, PointsAtTheDeclaration) {
  // A JSON argument holding the word "operator" is no declaration.
  std::string text = R"(operator @a "identity" {"fields": ["operator"]}

   operator @b "affine" {"mul": 1}
graph @g() -> () {
  output
})";
  EXPECT_EQ(input_error([&] {
              bind_operators(parse_module(text), text, "t.xcs", builtins());
            }),
            "t.xcs:3:4: operator @b \"affine\": missing argument 'add'");
}

/// A plugin's factory that misbehaves: the tool names the declaration and
/// keeps the factory's own words.
struct FactoryFailureCase {
  const char *name;
  OperatorFactory factory;
  const char *message;
};

class FactoryFailureTest : public ::testing::TestWithParam<FactoryFailureCase> {
};

TEST_P(FactoryFailureTest, PointsAtTheDeclaration) {
  OperatorRegistry registry;
  registry.add("shaky", GetParam().factory);
  std::string text = "operator @s \"shaky\" {\"level\": 2}\n"
                     "graph @g() -> () {\n  output\n}\n";
  EXPECT_EQ(input_error([&] {
              bind_operators(parse_module(text), text, "t.xcs", registry);
            }),
            std::string("t.xcs:1:1: operator @s \"shaky\": ") +
                GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Factories, FactoryFailureTest,
    ::testing::Values(FactoryFailureCase{"returns_null",
                                         [](const Value &) -> OperatorPtr {
                                           return nullptr;
                                         },
                                         "the factory returned no operator"},
                      FactoryFailureCase{"throws_a_standard_exception",
                                         [](const Value &) -> OperatorPtr {
                                           throw std::out_of_range(
                                               "level 2 is not supported");
                                         },
                                         "level 2 is not supported"}),
    [](const auto &info) { return info.param.name; });

TEST(StagesTest, ParsesAListIntoPipelineOrder) {
  EXPECT_THAT(parse_plan_stages("asm,ir,trace,ir", "--print"),
              ElementsAre(PlanStage::Trace, PlanStage::Ir, PlanStage::Asm));
  for (PlanStage stage : all_plan_stages())
    EXPECT_THAT(parse_plan_stages(plan_stage_name(stage), "--print"),
                ElementsAre(stage));
  EXPECT_THAT(input_error([] { parse_plan_stages("ir,,asm", "--print"); }),
              HasSubstr("unknown stage ''"));
}

} // namespace
} // namespace xcs
