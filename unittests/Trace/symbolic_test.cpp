//===- symbolic_test.cpp - Running glue on symbols ------------------------===//
//
// The symbolic run of the structural strategy (TraceMode::Symbolic): paths
// into symbols are routing and give the graph the right get, glue that
// throws on symbols keeps its composite a node that runs for real, glue
// that reads a symbol gives the run up, and a symbol read anywhere but in
// its run says it escaped instead of passing for null.
//
//===----------------------------------------------------------------------===//

#include "trace_test_util.h"

#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <thread>

namespace xcs {
namespace {

using namespace testing_util;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

/// The first words of what reading an escaped symbol throws.
constexpr const char *escaped =
    "a value from xcs::jit's symbolic analysis escaped into ";

/// {doc} -> {doc}: a declared leaf whose output is a nested record.
OperatorPtr search() { return ops::identity({"doc"}); }

/// {text} -> {text}: a declared leaf.
OperatorPtr shout() { return ops::format("{text}!"); }

/// A composite whose glue hands what \p body returns for the output of a
/// search() child on to a shout() child.
OperatorPtr reading(std::function<Value(const Record &found)> body) {
  OperatorPtr child = search();
  OperatorPtr next = shout();
  return ops::composite("Reader", Specification().input("doc").output("text"),
                        [=](const Record &in) {
                          Record found = (*child)(in);
                          return (*next)(Record{{"text", body(found)}});
                        });
}

TEST(SymbolicRun, APathIntoASymbolIsAGetOfTheLongerPath) {
  OperatorPtr op = reading([](const Record &found) {
    return Path::parse("doc.items[2].text").at(found);
  });
  Trace trace = xcs::trace(*op, Record{{"doc", Value()}}, TraceMode::Symbolic);
  EXPECT_EQ(trace.context->symbolic_failure(), "");
  XCSGraph graph = AutoGraphBuilder().build(trace, "reader");
  ASSERT_THAT(operator_labels(graph), ElementsAre("Identity", "Format"));
  EXPECT_THAT(
      mappings_into(graph, graph.operator_nodes()[1]->id),
      ElementsAre(graph.operator_nodes()[0]->id + ":doc.items[2].text->text"));
}

TEST(SymbolicRun, APathIntoWhatAPathGaveAddsUp) {
  OperatorPtr op = reading([](const Record &found) {
    Value item = Path::parse("doc.items[1]").at(found);
    return Path::parse("text").at(item);
  });
  Trace trace = xcs::trace(*op, Record{{"doc", Value()}}, TraceMode::Symbolic);
  XCSGraph graph = AutoGraphBuilder().build(trace, "reader");
  EXPECT_THAT(
      mappings_into(graph, graph.operator_nodes()[1]->id),
      ElementsAre(graph.operator_nodes()[0]->id + ":doc.items[1].text->text"));
}

TEST(SymbolicRun, TestingWhetherAPathExistsInASymbolGivesTheRunUp) {
  OperatorPtr op = reading([](const Record &found) {
    const Value *text = Path::parse("doc.text").find(found);
    return text ? *text : found.at("doc");
  });
  EXPECT_THAT(
      [&] {
        xcs::trace(*op, Record{{"doc", Value()}}, TraceMode::Symbolic);
      },
      ThrowsMessage<CompileError>(
          HasSubstr("structural: glue of 'Reader' reads the content of output "
                    "'doc' of 'Identity' (call 2) (Path::find)")));
}

/// {query} -> {answer}: three members, and glue that reads the response at
/// \p index of the list the ensemble builds.
OperatorPtr pick(std::size_t index) {
  std::vector<OperatorPtr> members;
  for (int i = 0; i < 3; ++i)
    members.push_back(ops::model_call({}));
  OperatorPtr ensemble = ops::ensemble(members);
  return ops::composite(
      "Pick", Specification().input("query").output("answer"),
      [=](const Record &in) {
        Record votes = (*ensemble)(Record{{"prompt", in.at("query")}});
        Path path = Path().field(FieldId("responses")).index(index);
        return Record{{"answer", path.at(votes)}};
      });
}

TEST(SymbolicRun, GlueThatThrowsKeepsItsCompositeANodeAndTheRestFlat) {
  ops::ModelCallOptions options;
  options.name = "Before";
  OperatorPtr before = ops::model_call(options);
  OperatorPtr failing = pick(5);
  OperatorPtr op = ops::composite(
      "Outer", Specification().input("query").output("answer"),
      [=](const Record &in) {
        Record first = (*before)(Record{{"prompt", in.at("query")}});
        return (*failing)(Record{{"query", first.at("response")}});
      });
  Trace trace = xcs::trace(*op, Record{{"query", "q"}}, TraceMode::Symbolic);
  EXPECT_EQ(trace.context->symbolic_failure(), "");
  EXPECT_EQ(trace.context->symbolic_error(),
            "the glue of 'Pick' threw: path 'responses[5]': index 5 is out "
            "of range for the list of 3 at 'responses'");
  XCSGraph graph = AutoGraphBuilder().build(trace, "outer");
  ASSERT_THAT(operator_labels(graph), ElementsAre("Before", "Pick"));
  const XCSNode *node = graph.operator_nodes()[1];
  EXPECT_THAT(node->opaque_reason,
              HasSubstr("a path in the glue did not fit output 'responses' of "
                        "'Ensemble'"));
  EXPECT_THAT(mappings_into(graph, node->id),
              ElementsAre(graph.operator_nodes()[0]->id + ":response->query"));
  // The node runs the real forward: it throws what the eager call throws.
  Record input{{"query", "other"}};
  EXPECT_THAT([&] { evaluate(graph, input); },
              ThrowsMessage<InputError>(HasSubstr("index 5 is out of range")));
}

TEST(SymbolicRun, GlueThatSwallowsTheRunsEndStillEndsIt) {
  OperatorPtr child = ops::identity({"v"});
  OperatorPtr op =
      ops::composite("Swallowing", Specification().input("v").output("v"),
                     [=](const Record &in) {
                       Record out = (*child)(in);
                       try {
                         (void)out.at("v").is_null();
                       } catch (const CompileError &) {
                         throw std::runtime_error("not a CompileError");
                       }
                       return out;
                     });
  EXPECT_THAT(
      [&] {
        xcs::trace(*op, Record{{"v", 1}}, TraceMode::Symbolic);
      },
      ThrowsMessage<CompileError>(
          HasSubstr("structural: glue of 'Swallowing' reads the content of "
                    "output 'v' of 'Identity' (call 2) (kind)")));
}

TEST(SymbolicRun, ASymbolReadOnAnotherThreadGivesTheRunUp) {
  OperatorPtr child = ops::identity({"v"});
  OperatorPtr op =
      ops::composite("Threaded", Specification().input("v").output("v"),
                     [=](const Record &in) {
                       Record out = (*child)(in);
                       std::thread reader([&] {
                         try {
                           (void)out.at("v").is_null();
                         } catch (const Error &) {
                         }
                       });
                       reader.join();
                       return out;
                     });
  Trace trace = xcs::trace(*op, Record{{"v", 1}}, TraceMode::Symbolic);
  EXPECT_THAT(trace.context->symbolic_failure(),
              HasSubstr("symbols were used on another thread (kind)"));
}

/// A composite whose glue keeps its child's output in \p kept.
OperatorPtr keeper(std::optional<Value> &kept) {
  OperatorPtr child = ops::identity({"v"});
  return ops::composite("Keeper", Specification().input("v").output("v"),
                        [&kept, child](const Record &in) {
                          Record out = (*child)(in);
                          kept = out.at("v");
                          return out;
                        });
}

TEST(SymbolicRun, ASymbolReadAfterItsRunSaysItEscapedAndWhere) {
  std::optional<Value> kept;
  OperatorPtr op = keeper(kept);
  xcs::trace(*op, Record{{"v", 1}}, TraceMode::Symbolic);
  ASSERT_TRUE(kept);
  auto escapes = ThrowsMessage<Error>(
      AllOf(HasSubstr(std::string(escaped) + "operator 'Keeper'"),
            HasSubstr("Strategy::Trace")));
  EXPECT_THAT([&] { (void)kept->is_null(); }, escapes);
  EXPECT_THAT([&] { (void)(*kept == Value()); }, escapes);
  EXPECT_THAT([&] { to_json(Record{{"v", *kept}}); }, escapes);
  EXPECT_THAT([&] { Path::parse("v.w").at(Record{{"v", *kept}}); }, escapes);
  EXPECT_THAT(
      [&] {
        Specification()
            .input("v", Kind::Int)
            .validate_inputs("Check", Record{{"v", *kept}});
      },
      escapes);
  EXPECT_THAT(
      [&] {
        (*ops::affine(2, 0, "v", "w"))(Record{{"v", *kept}});
      },
      escapes);
  EXPECT_EQ(Record({{"v", *kept}}).to_string(), "{\"v\":<symbol>}");
}

TEST(SymbolicRun, ASymbolIsNoValueOfALaterContextWithItsGeneration) {
  std::optional<Value> kept;
  OperatorPtr op = keeper(kept);
  std::uint32_t generation;
  {
    Trace trace = xcs::trace(*op, Record{{"v", 1}}, TraceMode::Symbolic);
    generation = trace.context->provenance_generation();
  }
  // Generations are handed out in turn: the run's comes round again.
  std::unique_ptr<TracerContext> later;
  for (int i = 0;
       i < 4096 && (!later || later->provenance_generation() != generation);
       ++i)
    later = std::make_unique<TracerContext>();
  ASSERT_EQ(later->provenance_generation(), generation);
  Record input;
  for (int i = 0; i < 16; ++i)
    input.set("f" + std::to_string(i), i);
  later->stamp_input(input);
  EXPECT_FALSE(later->provenance(*kept));
}

} // namespace
} // namespace xcs
