//===- test_graphs.h - Hand-built graphs for lowering and interpreting ----===//
///
/// \file
/// Small XCSGraphs over xcs::ops operators, each exercising one kind of
/// routing: a chain of calls, a fan-out and fan-in (an ensemble and its
/// judge, reading `responses[i]`), and targets built from parts and
/// constants (`cfg.a`, `items[1]`) with deep reads of the graph input.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/graph.h"
#include "xcs/ops.h"

#include <string>
#include <utility>
#include <vector>

namespace xcs::ir::test {

inline FieldMapping mapping(const char *source, const char *target) {
  return FieldMapping{Path::parse(source), Path::parse(target)};
}

inline XCSNode operator_node(std::string id, OperatorPtr op,
                             std::vector<ConstantInput> constants = {}) {
  XCSNode node;
  node.id = std::move(id);
  node.op = std::move(op);
  node.constants = std::move(constants);
  return node;
}

inline void add_edge(XCSGraph &graph, std::string from, std::string to,
                     std::vector<FieldMapping> mappings) {
  graph.add_edge(XCSEdge{std::move(from), std::move(to), std::move(mappings)});
}

/// x -> y = 2x + 1 -> y = 3y -> result.
inline XCSGraph chain_graph() {
  XCSGraph graph("chain");
  graph.add_node(operator_node("first", ops::affine(2, 1)));
  graph.add_node(operator_node("second", ops::affine(3, 0)));
  add_edge(graph, "input", "first", {mapping("x", "x")});
  add_edge(graph, "first", "second", {mapping("y", "x")});
  add_edge(graph, "second", "output", {mapping("y", "result")});
  return graph;
}

/// Three models answer the query; a judge reads the query and their
/// responses as `responses[0..2]`.
inline XCSGraph ensemble_graph() {
  XCSGraph graph("ensemble judge");
  for (int i = 0; i < 3; ++i) {
    std::string id = "member" + std::to_string(i);
    ops::ModelCallOptions member;
    member.name = "Member" + std::to_string(i);
    member.seed = static_cast<std::uint64_t>(i);
    member.vocabulary = 2;
    graph.add_node(operator_node(id, ops::model_call(member)));
    add_edge(graph, "input", id, {mapping("query", "prompt")});
  }
  graph.add_node(operator_node("judge", ops::judge()));
  add_edge(graph, "input", "judge", {mapping("query", "query")});
  for (int i = 0; i < 3; ++i) {
    std::string target = "responses[" + std::to_string(i) + "]";
    add_edge(graph, "member" + std::to_string(i), "judge",
             {mapping("response", target.c_str())});
  }
  add_edge(graph, "judge", "output", {mapping("answer", "answer")});
  return graph;
}

/// {cfg: {a: doc.n, b: 5}, items: [100, x]} -> out = a + b + items[0] +
/// items[1]; the output also echoes the input's doc as `echo.doc`.
inline XCSGraph configure_graph() {
  XCSGraph graph("configure");
  OperatorPtr configure = ops::function(
      "Configure",
      Specification()
          .input("cfg", Kind::Record)
          .input("items", Kind::List)
          .output("out", Kind::Int),
      [](const Record &in) {
        const Record &cfg = in.at("cfg").as_record();
        auto items = in.at("items").as_list();
        return Record{{"out", cfg.at("a").as_int() + cfg.at("b").as_int() +
                                  items[0].as_int() + items[1].as_int()}};
      });
  graph.add_node(operator_node("c", configure,
                               {{Path::parse("cfg.b"), Value(5)},
                                {Path::parse("items[0]"), Value(100)}}));
  add_edge(graph, "input", "c",
           {mapping("doc.n", "cfg.a"), mapping("x", "items[1]")});
  add_edge(graph, "c", "output", {mapping("out", "result")});
  add_edge(graph, "input", "output", {mapping("doc", "echo.doc")});
  return graph;
}

} // namespace xcs::ir::test
