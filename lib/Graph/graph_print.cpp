//===- graph_print.cpp - DOT and text dumps of an XCSGraph ----------------===//

#include "xcs/graph.h"

#include "Core/observation.h"

#include <vector>

namespace xcs {
namespace {

/// \p text as a DOT string literal. A newline becomes DOT's centred line
/// break, so multi-line labels can be built with '\n'.
std::string dot_quoted(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string joined(const std::vector<std::string> &parts,
                   std::string_view separator) {
  std::string text;
  for (const std::string &part : parts)
    text += (text.empty() ? "" : std::string(separator)) + part;
  return text;
}

std::string constant_text(const ConstantInput &constant) {
  return constant.target.to_string() + " = " + constant.value.to_string();
}

std::string mapping_text(const FieldMapping &mapping) {
  return mapping.source.to_string() + " -> " + mapping.target.to_string();
}

std::string dot_node(const XCSNode &node, bool is_result) {
  std::string label = node.label();
  for (const ConstantInput &constant : node.constants)
    label += "\n" + constant_text(constant);
  std::vector<std::string> attributes{"label=" + dot_quoted(label)};
  if (node.kind == NodeKind::Input)
    attributes.push_back("shape=invhouse");
  if (node.kind == NodeKind::Output)
    attributes.push_back("shape=house");
  if (node.kind == NodeKind::Check)
    attributes.push_back("shape=diamond");
  if (is_result)
    attributes.push_back("peripheries=2");
  if (!node.opaque_reason.empty()) {
    attributes.push_back("style=dashed");
    attributes.push_back("tooltip=" +
                         dot_quoted("opaque: " + node.opaque_reason));
  }
  return "  " + dot_quoted(node.id) + " [" + joined(attributes, ", ") + "];\n";
}

std::string dot_edge(const XCSEdge &edge) {
  std::vector<std::string> mappings;
  for (const FieldMapping &mapping : edge.mappings)
    mappings.push_back(mapping_text(mapping));
  std::string line =
      "  " + dot_quoted(edge.from) + " -> " + dot_quoted(edge.to);
  if (!mappings.empty())
    line += " [label=" + dot_quoted(joined(mappings, "\n")) + "]";
  return line + ";\n";
}

std::string text_node(const XCSNode &node) {
  std::string line = "  node " + node.id + " [" + node.label() + "]";
  if (node.call_id != 0)
    line += " call=" + std::to_string(node.call_id);
  for (const ConstantInput &constant : node.constants)
    line += " const " + constant_text(constant);
  // Last, because the reason is free text.
  if (!node.opaque_reason.empty())
    line += " opaque: " + node.opaque_reason;
  return line + "\n";
}

std::string text_edge(const XCSEdge &edge) {
  std::string head = "  edge " + edge.from + " -> " + edge.to;
  if (edge.mappings.empty())
    return head + "\n";
  std::string lines;
  for (const FieldMapping &mapping : edge.mappings)
    lines += head + ": " + mapping_text(mapping) + "\n";
  return lines;
}

} // namespace

// Both dumps hold an ObservationPause: printing a stamped constant is XCS
// looking at the graph, not user glue reading a value.

std::string XCSGraph::to_dot() const {
  detail::ObservationPause pause;
  std::string dot = "digraph " + dot_quoted(name_) + " {\n";
  for (const XCSNode &node : nodes_)
    dot += dot_node(node, node.id == output_node_id_);
  for (const XCSEdge &edge : edges_)
    dot += dot_edge(edge);
  return dot + "}\n";
}

std::string XCSGraph::to_text() const {
  detail::ObservationPause pause;
  std::string text = "graph " + name_ + "\n";
  for (const XCSNode &node : nodes_)
    text += text_node(node);
  for (const XCSEdge &edge : edges_)
    text += text_edge(edge);
  return text + "  output " + output_node_id_ + "\n";
}

} // namespace xcs
