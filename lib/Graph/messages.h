//===- Graph/messages.h - Wording shared by graph errors --------*- C++ -*-===//
#pragma once

#include "xcs/graph.h"

#include <string>

namespace xcs::detail {

/// "graph 'NAME': ", the start of every message about \p graph, so a failure
/// deep in a pipeline says which graph it came from.
inline std::string graph_prefix(const XCSGraph &graph) {
  return "graph '" + graph.name() + "': ";
}

/// "node 'ID'".
inline std::string node_text(const std::string &id) {
  return "node '" + id + "'";
}

} // namespace xcs::detail
