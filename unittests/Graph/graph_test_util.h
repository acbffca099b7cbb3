//===- graph_test_util.h - Helpers shared by the Graph tests ----*- C++ -*-===//
///
/// \file
/// Small operators defined here rather than taken from xcs::ops, so the graph
/// tests depend only on the graph and the core data model.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/graph.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace xcs::graph_test {

/// An operator whose forward is a lambda; counts its calls.
class FunctionOperator : public Operator {
public:
  using Body = std::function<Record(const Record &)>;
  FunctionOperator(std::string name, Specification spec, Body body)
      : Operator(std::move(name), std::move(spec)), body_(std::move(body)) {}

  Record forward(const Record &inputs) const override {
    ++calls_;
    return body_(inputs);
  }
  int calls() const { return calls_; }

private:
  Body body_;
  mutable std::atomic<int> calls_{0};
};

/// y = scale * x + offset.
inline std::shared_ptr<FunctionOperator> affine(double scale, double offset) {
  return std::make_shared<FunctionOperator>(
      "Affine",
      Specification().input("x", Kind::Double).output("y", Kind::Double),
      [=](const Record &in) {
        return Record{{"y", scale * in.at("x").as_double() + offset}};
      });
}

/// sum = a + b.
inline std::shared_ptr<FunctionOperator> adder() {
  return std::make_shared<FunctionOperator>(
      "Add",
      Specification()
          .input("a", Kind::Double)
          .input("b", Kind::Double)
          .output("sum", Kind::Double),
      [](const Record &in) {
        return Record{{"sum", in.at("a").as_double() + in.at("b").as_double()}};
      });
}

/// Any inputs; outputs them as one record field `all`.
inline std::shared_ptr<FunctionOperator> echo(std::string name = "Echo") {
  return std::make_shared<FunctionOperator>(
      std::move(name), Specification().open_inputs().output("all"),
      [](const Record &in) {
        return Record{{"all", Value::record(in)}};
      });
}

inline Path path(const char *text) { return Path::parse(text); }

inline FieldMapping mapping(const char *source, const char *target) {
  return FieldMapping{path(source), path(target)};
}

inline XCSNode operator_node(std::string id, OperatorPtr op,
                             std::vector<ConstantInput> constants = {}) {
  XCSNode node;
  node.id = std::move(id);
  node.op = std::move(op);
  node.constants = std::move(constants);
  return node;
}

inline XCSNode output_node(std::string id) {
  XCSNode node;
  node.id = std::move(id);
  node.kind = NodeKind::Output;
  return node;
}

inline XCSEdge edge(std::string from, std::string to,
                    std::vector<FieldMapping> mappings) {
  return XCSEdge{std::move(from), std::move(to), std::move(mappings)};
}

/// Adds echo nodes named \p ids, in order.
inline void add_echo_nodes(XCSGraph &graph,
                           std::initializer_list<const char *> ids) {
  for (const char *id : ids)
    graph.add_node(operator_node(id, echo()));
}

} // namespace xcs::graph_test
