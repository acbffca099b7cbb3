//===- graph_builder_test.cpp - From traces to graphs ---------------------===//
//
// The scenarios of the tracing design: graph-level assertions on nodes,
// edges, field mappings, the output node and opaque reasons, plus the
// soundness check that the graph evaluated on other inputs gives what the
// eager call gives.
//
//===----------------------------------------------------------------------===//

#include "trace_test_util.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace xcs {
namespace {

using namespace testing_util;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

Specification int_in_out(std::string_view in, std::string_view out) {
  return Specification().input(in, Kind::Int).output(out, Kind::Int);
}

/// The graph evaluated on each input gives what the eager call gives.
void expect_sound(const XCSGraph &graph, const Operator &op,
                  const std::vector<Record> &inputs) {
  for (const Record &input : inputs)
    EXPECT_EQ(evaluate(graph, input), op(input)) << input.to_string();
}

TEST(GraphBuilder, EnsembleJudgeFlattensToFourLeaves) {
  ops::Example example = ops::example("ensemble-judge");
  XCSGraph graph = graph_of(*example.op, example.input, "ensemble_judge");

  EXPECT_THAT(operator_labels(graph),
              ElementsAre("Member1", "Member2", "Member3", "Judge"));
  const XCSNode *judge = nodes_labelled(graph, "Judge").front();
  std::vector<std::string> members;
  for (const XCSNode *node : graph.operator_nodes())
    if (node != judge) {
      members.push_back(node->id);
      EXPECT_THAT(mappings_into(graph, node->id),
                  ElementsAre("input:query->prompt"));
      EXPECT_TRUE(node->opaque_reason.empty());
    }
  EXPECT_THAT(mappings_into(graph, judge->id),
              UnorderedElementsAre("input:query->query",
                                   members[0] + ":response->responses[0]",
                                   members[1] + ":response->responses[1]",
                                   members[2] + ":response->responses[2]"));
  for (const std::string &a : members)
    for (const std::string &b : members)
      EXPECT_FALSE(has_edge(graph, a, b)) << a << " -> " << b;
  EXPECT_THAT(mappings_into(graph, graph.output_node_id()),
              ElementsAre(judge->id + ":answer->answer"));
  expect_sound(graph, *example.op,
               {Record{{"query", "a"}}, Record{{"query", "other question"}}});
}

TEST(GraphBuilder, DiamondMapsFieldsToDifferentInputNames) {
  ops::Example example = ops::example("diamond");
  XCSGraph graph = graph_of(*example.op, example.input);

  EXPECT_THAT(operator_labels(graph),
              ElementsAre("Identity", "Affine", "Affine", "Add"));
  auto nodes = graph.operator_nodes();
  EXPECT_THAT(mappings_into(graph, nodes[0]->id), ElementsAre("input:x->x"));
  EXPECT_THAT(mappings_into(graph, nodes[1]->id),
              ElementsAre(nodes[0]->id + ":x->x"));
  EXPECT_THAT(mappings_into(graph, nodes[2]->id),
              ElementsAre(nodes[0]->id + ":x->x"));
  EXPECT_THAT(mappings_into(graph, nodes[3]->id),
              UnorderedElementsAre(nodes[1]->id + ":y->a",
                                   nodes[2]->id + ":y->b"));
  EXPECT_FALSE(has_edge(graph, nodes[1]->id, nodes[2]->id));
  expect_sound(graph, *example.op,
               {Record{{"x", 0}}, Record{{"x", -5}}, Record{{"x", 10}}});
}

TEST(GraphBuilder, ThreeDeepNestedCompositesFlattenToLeaves) {
  ops::Example example = ops::example("nested");
  XCSGraph graph = graph_of(*example.op, example.input);

  for (const XCSNode *node : graph.operator_nodes()) {
    EXPECT_THAT(node->label(), ::testing::Not(HasSubstr("Nested")));
    EXPECT_TRUE(node->opaque_reason.empty());
  }
  EXPECT_EQ(graph.operator_nodes().size(), 5u);
  expect_sound(graph, *example.op,
               {Record{{"x", 0}}, Record{{"x", -5}}, Record{{"x", 7}}});
}

TEST(GraphBuilder, GlueThatDerivesAStringStaysOpaque) {
  OperatorPtr echo = ops::identity({"text"});
  OperatorPtr op = composite(
      "Suffix",
      Specification().input("text", Kind::String).output("text", Kind::String),
      [echo](const Record &in) {
        std::string text(in.at("text").as_string());
        return (*echo)(Record{{"text", text + "_left"}});
      });
  XCSGraph graph = graph_of(*op, Record{{"text", "a"}});

  ASSERT_THAT(operator_labels(graph), ElementsAre("Suffix"));
  EXPECT_THAT(graph.operator_nodes()[0]->opaque_reason,
              HasSubstr("reads the content of graph input 'text'"));
  expect_sound(graph, *op, {Record{{"text", "b"}}, Record{{"text", "zz"}}});
}

TEST(GraphBuilder, GlueThatAddsOneStaysOpaque) {
  OperatorPtr twice = ops::affine(2, 0);
  OperatorPtr op =
      composite("PlusOne", int_in_out("x", "y"), [twice](const Record &in) {
        return (*twice)(Record{{"x", in.at("x").as_int() + 1}});
      });
  XCSGraph graph = graph_of(*op, Record{{"x", 1}});

  ASSERT_THAT(operator_labels(graph), ElementsAre("PlusOne"));
  EXPECT_THAT(graph.operator_nodes()[0]->opaque_reason, HasSubstr("as_int"));
  expect_sound(graph, *op, {Record{{"x", 5}}, Record{{"x", -5}}});
}

TEST(GraphBuilder, RouterChoosingAChildByValueStaysOpaque) {
  OperatorPtr negative = ops::affine(-1, 0);
  OperatorPtr positive = ops::affine(1, 100);
  OperatorPtr op = composite(
      "Router", int_in_out("x", "y"), [=](const Record &in) {
        const OperatorPtr &branch = in.at("x").as_int() < 0 ? negative : positive;
        return (*branch)(in);
      });
  XCSGraph graph = graph_of(*op, Record{{"x", 3}});

  ASSERT_THAT(operator_labels(graph), ElementsAre("Router"));
  EXPECT_THAT(graph.operator_nodes()[0]->opaque_reason,
              HasSubstr("reads the content"));
  expect_sound(graph, *op, {Record{{"x", -3}}, Record{{"x", 0}}});
}

TEST(GraphBuilder, BranchingOnKindAloneStaysOpaque) {
  OperatorPtr echo = ops::identity({"v"});
  OperatorPtr op = composite(
      "KindSwitch", Specification().input("v").output("v"),
      [echo](const Record &in) {
        if (in.at("v").is_string())
          return (*echo)(in);
        return (*echo)(Record{{"v", xcs::constant("not a string")}});
      });
  XCSGraph graph = graph_of(*op, Record{{"v", "s"}});
  ASSERT_THAT(operator_labels(graph), ElementsAre("KindSwitch"));
  expect_sound(graph, *op, {Record{{"v", 1}}, Record{{"v", "t"}}});
}

TEST(GraphBuilder, OneInstanceCalledThreeTimesGivesThreeNodes) {
  OperatorPtr inc = ops::affine(1, 1, "x", "x");
  OperatorPtr op =
      composite("Thrice", int_in_out("x", "x"), [inc](const Record &in) {
        return (*inc)((*inc)((*inc)(in)));
      });
  XCSGraph graph = graph_of(*op, Record{{"x", 0}});

  auto nodes = graph.operator_nodes();
  ASSERT_EQ(nodes.size(), 3u);
  for (const XCSNode *node : nodes)
    EXPECT_EQ(node->op, inc);
  EXPECT_THAT(mappings_into(graph, nodes[0]->id), ElementsAre("input:x->x"));
  EXPECT_THAT(mappings_into(graph, nodes[1]->id),
              ElementsAre(nodes[0]->id + ":x->x"));
  EXPECT_THAT(mappings_into(graph, nodes[2]->id),
              ElementsAre(nodes[1]->id + ":x->x"));
  // Affine may return an int or a double where Thrice declares an int. The
  // graph computes Thrice's forward: the operator that runs it in Thrice's
  // place validates the result, so there is no check node for Thrice.
  EXPECT_EQ(graph.topological_order(),
            (std::vector<std::string>{"input", nodes[0]->id, nodes[1]->id,
                                      nodes[2]->id, "output"}));
  expect_sound(graph, *op, {Record{{"x", 10}}});
}

TEST(GraphBuilder, ChildThrowingDuringTracingPropagatesAndBuildsNoGraph) {
  ops::ModelCallOptions options;
  options.name = "Flaky";
  options.fail_on = "boom";
  OperatorPtr flaky = ops::model_call(options);
  OperatorPtr op = ops::sequence("Seq", {flaky, ops::identity({"response"})});
  try {
    xcs::trace(*op, Record{{"prompt", "boom!"}});
    FAIL() << "expected the child's exception";
  } catch (const std::runtime_error &e) {
    EXPECT_THAT(e.what(), HasSubstr("model 'Flaky' failed"));
  }
}

TEST(GraphBuilder, GlueThatCatchesAChildExceptionStaysOpaque) {
  ops::ModelCallOptions options;
  options.fail_on = "boom";
  OperatorPtr flaky = ops::model_call(options);
  OperatorPtr op = composite(
      "Fallback",
      Specification().input("prompt", Kind::String).output("response"),
      [flaky](const Record &in) {
        try {
          return (*flaky)(in);
        } catch (const std::exception &) {
          return Record{{"response", xcs::constant("fallback")}};
        }
      });
  XCSGraph graph = graph_of(*op, Record{{"prompt", "boom"}});
  ASSERT_THAT(operator_labels(graph), ElementsAre("Fallback"));
  EXPECT_THAT(graph.operator_nodes()[0]->opaque_reason,
              HasSubstr("handled an exception"));
  expect_sound(graph, *op, {Record{{"prompt", "fine"}}});
}

TEST(GraphBuilder, ProducerFieldsReachOnlyTheirConsumers) {
  OperatorPtr producer = ops::function(
      "Producer",
      Specification().input("x", Kind::Int).output("value1").output("value2").output(
          "metadata"),
      [](const Record &in) {
        std::int64_t x = in.at("x").as_int();
        return Record{{"value1", x}, {"value2", x * 10}, {"metadata", "m"}};
      });
  OperatorPtr first = ops::affine(1, 1, "v", "out");
  OperatorPtr second = ops::affine(1, 2, "v", "out");
  OperatorPtr op = composite(
      "Fanout", Specification().input("x", Kind::Int).output("a").output("b"),
      [=](const Record &in) {
        Record p = (*producer)(in);
        Record a = (*first)(Record{{"v", p.at("value1")}});
        Record b = (*second)(Record{{"v", p.at("value2")}});
        return Record{{"a", a.at("out")}, {"b", b.at("out")}};
      });
  XCSGraph graph = graph_of(*op, Record{{"x", 3}});

  auto nodes = graph.operator_nodes();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_THAT(mappings_into(graph, nodes[1]->id),
              ElementsAre(nodes[0]->id + ":value1->v"));
  EXPECT_THAT(mappings_into(graph, nodes[2]->id),
              ElementsAre(nodes[0]->id + ":value2->v"));
  expect_sound(graph, *op, {Record{{"x", 4}}, Record{{"x", -1}}});
}

TEST(GraphBuilder, EqualOutputsOfTwoProducersAreTwoSources) {
  OperatorPtr yes1 = ops::function(
      "Voter1", Specification().input("q").output("vote"),
      [](const Record &) { return Record{{"vote", "yes"}}; });
  OperatorPtr yes2 = ops::function(
      "Voter2", Specification().input("q").output("vote"),
      [](const Record &) { return Record{{"vote", "yes"}}; });
  OperatorPtr op = composite(
      "Votes", Specification().input("q").output("votes"),
      [=](const Record &in) {
        Record a = (*yes1)(in), b = (*yes2)(in);
        return Record{{"votes", Value::list({b.at("vote"), a.at("vote")})}};
      });
  XCSGraph graph = graph_of(*op, Record{{"q", 1}});
  auto nodes = graph.operator_nodes();
  EXPECT_THAT(mappings_into(graph, graph.output_node_id()),
              UnorderedElementsAre(nodes[1]->id + ":vote->votes[0]",
                                   nodes[0]->id + ":vote->votes[1]"));
}

TEST(GraphBuilder, NestedElementOfAProducerOutputMapsByPath) {
  OperatorPtr search = ops::function(
      "Search", Specification().input("q").output("result", Kind::Record),
      [](const Record &in) {
        Record result{{"items", Value::list({in.at("q"), "second"})}};
        return Record{{"result", Value::record(result)}};
      });
  OperatorPtr read = ops::identity({"doc"});
  Path first_item = Path::parse("result.items[0]");
  OperatorPtr op = composite(
      "SearchThenRead", Specification().input("q").output("doc"),
      [=](const Record &in) {
        Record found = (*search)(in);
        return (*read)(Record{{"doc", first_item.at(found)}});
      });
  XCSGraph graph = graph_of(*op, Record{{"q", "query"}});
  auto nodes = graph.operator_nodes();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_THAT(mappings_into(graph, nodes[1]->id),
              ElementsAre(nodes[0]->id + ":result.items[0]->doc"));
  expect_sound(graph, *op, {Record{{"q", "other"}}, Record{{"q", 5}}});
}

TEST(GraphBuilder, ConstantsAndStateBecomeConstantInputs) {
  class Prefixed : public Operator, public StateDependency {
  public:
    explicit Prefixed(OperatorPtr format)
        : Operator("Prefixed",
                   Specification().input("q", Kind::String).output("text")),
          format_(std::move(format)) {}
    Record forward(const Record &in) const override {
      return (*format_)(Record{{"prefix", prefix_}, {"q", in.at("q")},
                               {"tag", xcs::constant("t")}});
    }
    std::uint64_t state_signature() const override { return 1; }

  private:
    OperatorPtr format_;
    Value prefix_ = "Q: ";
  };
  auto op = std::make_shared<Prefixed>(ops::format("{prefix}{q} [{tag}]"));
  XCSGraph graph = graph_of(*op, Record{{"q", "why"}});
  ASSERT_THAT(operator_labels(graph), ElementsAre("Format"));
  const XCSNode &format = *graph.operator_nodes()[0];
  ASSERT_EQ(format.constants.size(), 2u);
  expect_sound(graph, *op, {Record{{"q", "how"}}});
}

TEST(GraphBuilder, UnexplainedValueInGlueWithoutStateStaysOpaque) {
  OperatorPtr format = ops::format("{prefix}{q}");
  OperatorPtr op = composite(
      "Prefixed", Specification().input("q", Kind::String).output("text"),
      [format](const Record &in) {
        return (*format)(Record{{"prefix", "Q: "}, {"q", in.at("q")}});
      });
  XCSGraph graph = graph_of(*op, Record{{"q", "why"}});
  ASSERT_THAT(operator_labels(graph), ElementsAre("Prefixed"));
  EXPECT_THAT(graph.operator_nodes()[0]->opaque_reason,
              HasSubstr("computes input 'prefix'"));
}

TEST(GraphBuilder, GlueRunningChildrenOnItsOwnThreadStaysOpaque) {
  OperatorPtr inc = ops::affine(1, 1);
  OperatorPtr op =
      composite("Threaded", int_in_out("x", "y"), [inc](const Record &in) {
        Record out;
        std::thread worker([&] { out = (*inc)(in); });
        worker.join();
        return out;
      });
  XCSGraph graph = graph_of(*op, Record{{"x", 1}});
  ASSERT_THAT(operator_labels(graph), ElementsAre("Threaded"));
  EXPECT_THAT(graph.operator_nodes()[0]->opaque_reason,
              HasSubstr("another thread"));
  expect_sound(graph, *op, {Record{{"x", 41}}});
}

TEST(GraphBuilder, LeafRootGivesOneNodeGraph) {
  OperatorPtr leaf = ops::affine(3, 0);
  XCSGraph graph = graph_of(*leaf, Record{{"x", 2}});
  ASSERT_THAT(operator_labels(graph), ElementsAre("Affine"));
  EXPECT_THAT(mappings_into(graph, graph.output_node_id()),
              ElementsAre(graph.operator_nodes()[0]->id + ":y->y"));
  expect_sound(graph, *leaf, {Record{{"x", 9}}});
}

TEST(GraphBuilder, OperatorNotOwnedBySharedPtrIsAGraphError) {
  class Plain : public Operator {
  public:
    Plain() : Operator("Plain", Specification().input("x").output("x")) {}
    Record forward(const Record &in) const override { return in; }
  } plain;
  Trace trace = xcs::trace(plain, Record{{"x", 1}});
  try {
    AutoGraphBuilder().build(trace, "plain_graph");
    FAIL() << "expected GraphError";
  } catch (const GraphError &e) {
    EXPECT_THAT(e.what(), HasSubstr("plain_graph"));
    EXPECT_THAT(e.what(), HasSubstr("'Plain'"));
  }
}

} // namespace
} // namespace xcs
