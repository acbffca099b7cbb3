//===- printer.cpp - The text form of a module ----------------------------===//

#include "IR/printer.h"

#include "IR/syntax.h"

#include "xcs/error.h"
#include "xcs/json.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <string_view>

namespace xcs::ir {
namespace {

/// The JSON text of \p value, or a placeholder naming why it has none.
std::string json_text(const Value &value) {
  try {
    return to_json(value);
  } catch (const InputError &error) {
    return std::string("<unprintable: ") + error.what() + ">";
  }
}

std::string field_text(FieldId field) {
  std::string_view name = field.name();
  return syntax::is_bare_name(name) ? std::string(name)
                                    : json_text(Value(name));
}

std::string path_text(const Path &path) {
  if (path.empty())
    return "<empty path>";
  std::string text;
  for (const Path::Step &step : path.steps()) {
    if (step.is_index()) {
      text += "[" + std::to_string(step.index) + "]";
      continue;
    }
    if (!text.empty())
      text += ".";
    text += field_text(step.field);
  }
  return text;
}

/// Joins the texts \p item(i) for i < \p count with ", ".
template <typename Item>
std::string joined(std::size_t count, const Item &item) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0)
      text += ", ";
    text += item(i);
  }
  return text;
}

std::string fields_text(const std::vector<FieldId> &fields) {
  return joined(fields.size(),
                [&](std::size_t i) { return field_text(fields[i]); });
}

/// Operand \p i of \p node; a placeholder when a malformed node lacks it.
std::string operand_text(const Node &node, std::size_t i) {
  return i < node.operands.size() ? value_name(node.operands[i])
                                  : std::string("<missing operand>");
}

/// `field: %a, ...`. In a malformed node, a field or operand without its
/// partner prints next to a placeholder, so nothing is hidden.
std::string arguments_text(const Node &node) {
  std::size_t count = std::max(node.fields.size(), node.operands.size());
  return joined(count, [&](std::size_t i) {
    std::string field =
        i < node.fields.size() ? field_text(node.fields[i]) : "<missing field>";
    return field + ": " + operand_text(node, i);
  });
}

/// An operator name as a trailing comment: raw unless it would end the
/// comment early.
std::string comment_text(const std::string &name) {
  bool plain = std::none_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20;
  });
  return plain ? name : json_text(Value(name));
}

class Printer {
public:
  explicit Printer(const Module &module)
      : module_(module), function_(&module.function) {}

  /// The operators, the body graphs, then the main graph: each graph a map
  /// node names is printed above it, as the reader wants it.
  std::string print() {
    out_ += "; xcs routing IR\n";
    for (std::size_t i = 0; i < module_.operators.size(); ++i)
      print_operator(i);
    for (const Function &body : module_.bodies)
      print_graph(body);
    print_graph(module_.function);
    return std::move(out_);
  }

private:
  void print_operator(std::size_t i) {
    const OperatorRef &ref = module_.operators[i];
    out_ +=
        "operator @op" + std::to_string(i) + " " + json_text(Value(ref.name));
    if (!ref.arguments.is_null())
      out_ += " " + json_text(ref.arguments);
    if (!ref.registered)
      out_ += " unregistered";
    out_ += "\n";
  }

  void print_graph(const Function &function) {
    function_ = &function;
    out_ += "\ngraph @" + function.name + "(" + fields_text(function.inputs) +
            ") -> (" + fields_text(function.outputs) + ") {\n";
    for (NodeIndex i = 0; i < function.nodes.size(); ++i)
      out_ += "  " + node_text(i) + "\n";
    print_schedule();
    print_slots();
    out_ += "}\n";
  }

  std::string node_text(NodeIndex i) const {
    const Node &node = function_->nodes[i];
    std::string text = is_named(node.opcode) ? value_name(i) + " = " : "";
    text += opcode_name(node.opcode);
    // Only an output without fields has no body.
    std::string body = body_text(node);
    return body.empty() ? text : text + " " + body;
  }

  /// What follows the opcode.
  std::string body_text(const Node &node) const {
    switch (node.opcode) {
    case Opcode::Input:
      return field_text(node.field);
    case Opcode::Const:
      return json_text(node.value);
    case Opcode::Call:
      return call_text(node);
    case Opcode::Check:
      return check_text(node);
    case Opcode::Get:
      return operand_text(node, 0) + " " + path_text(node.path);
    case Opcode::List:
      return "[" +
             joined(node.operands.size(),
                    [&](std::size_t i) { return operand_text(node, i); }) +
             "]";
    case Opcode::Record:
      return "{" + arguments_text(node) + "}";
    case Opcode::Output:
      return arguments_text(node);
    case Opcode::Cond:
    case Opcode::Switch:
    case Opcode::Fallback:
    case Opcode::Repeat:
      return structured_text(node);
    case Opcode::Map:
      return map_text(node);
    }
    llvm_unreachable("a switch over every opcode");
  }

  /// "@opN(arguments) on f then @opT else @opE  ; NAME" and the other
  /// structured forms (docs/ir.md).
  std::string structured_text(const Node &node) const {
    std::string text = "@op" + std::to_string(node.op) + "(" +
                       arguments_text(node) + ")";
    auto branch = [&](std::size_t i) {
      return i < node.branches.size()
                 ? "@op" + std::to_string(node.branches[i])
                 : std::string("<missing branch>");
    };
    if (node.opcode == Opcode::Cond)
      text += " on " + field_text(node.field) + " then " + branch(0) +
              " else " + branch(1);
    else if (node.opcode == Opcode::Switch) {
      text += " on " + field_text(node.field);
      for (std::size_t i = 0; i < node.cases.size(); ++i)
        text += " case " + json_text(node.cases[i]) + " " + branch(i) + ",";
      text += " default " + branch(node.cases.size());
    } else if (node.opcode == Opcode::Fallback)
      text += " try " + branch(0) + " catch " + branch(1);
    else
      text += " body " + branch(0) + " until " + field_text(node.field) +
              " max " + std::to_string(node.max_iterations);
    if (node.op < module_.operators.size())
      text += "  ; " + comment_text(label(module_.operators[node.op]));
    return text;
  }

  /// "@opN(arguments) over [f, ...] body @G[ outcomes e][ limit K]  ; NAME".
  std::string map_text(const Node &node) const {
    std::string text = "@op" + std::to_string(node.op) + "(" +
                       arguments_text(node) + ") over [" +
                       fields_text(node.mapped) + "] body ";
    text += node.body < module_.bodies.size()
                ? "@" + module_.bodies[node.body].name
                : "<missing body " + std::to_string(node.body) + ">";
    if (node.per_element)
      text += " outcomes " + field_text(node.field);
    if (node.limit != 0)
      text += " limit " + std::to_string(node.limit);
    if (node.op < module_.operators.size())
      text += "  ; " + comment_text(label(module_.operators[node.op]));
    return text;
  }

  std::string call_text(const Node &node) const {
    return (node.async ? "async " : "") + operator_text(node, "");
  }

  std::string check_text(const Node &node) const {
    return operator_text(node, " " + std::string(side_name(node.side)));
  }

  /// "@opN<between>(arguments)", commented with the operator's name.
  std::string operator_text(const Node &node,
                            const std::string &between) const {
    std::string text = "@op" + std::to_string(node.op) + between + "(" +
                       arguments_text(node) + ")";
    if (node.op < module_.operators.size())
      text += "  ; " + comment_text(label(module_.operators[node.op]));
    return text;
  }

  /// How a call names its operator for a reader: the "name" argument when
  /// there is one (a model's name tells more than "model_call"), else the
  /// name it is bound by.
  static std::string label(const OperatorRef &ref) {
    if (ref.arguments.is_record())
      if (const Value *name = ref.arguments.as_record().find("name"))
        if (name->is_string())
          return std::string(name->as_string());
    return ref.name;
  }

  void print_schedule() {
    if (function_->tasks.empty())
      return;
    out_ += "  schedule {\n";
    for (std::size_t t = 0; t < function_->tasks.size(); ++t) {
      const Task &task = function_->tasks[t];
      out_ += "    task " + std::to_string(t) + " join " +
              std::to_string(task.join_count);
      if (!task.successors.empty())
        out_ += " -> " + joined(task.successors.size(), [&](std::size_t i) {
                  return std::to_string(task.successors[i]);
                });
      out_ += ":";
      if (!task.nodes.empty())
        out_ += " " + joined(task.nodes.size(), [&](std::size_t i) {
                  return value_name(task.nodes[i]);
                });
      out_ += "\n";
    }
    out_ += "  }\n";
  }

  void print_slots() {
    if (function_->slots.empty() && function_->slot_count == 0)
      return;
    out_ += "  slots " + std::to_string(function_->slot_count) + " [" +
            joined(function_->slots.size(),
                   [&](std::size_t i) {
                     return std::to_string(function_->slots[i]);
                   }) +
            "]\n";
  }

  const Module &module_;
  /// The graph being printed.
  const Function *function_;
  std::string out_;
};

} // namespace

std::string print(const Module &module) { return Printer(module).print(); }

} // namespace xcs::ir
