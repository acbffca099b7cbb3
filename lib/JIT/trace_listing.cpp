//===- JIT/trace_listing.cpp - A trace as text ----------------------------===//

#include "JIT/trace_listing.h"

#include "xcs/error.h"

#include <vector>

namespace xcs {
namespace {

std::string call_line(const TraceRecord &record) {
  std::string line =
      "call " + std::to_string(record.call_id) + " " + record.operator_name;
  if (record.parent_call_id != 0)
    line += ", in call " + std::to_string(record.parent_call_id);
  line += ": " + record.inputs.to_string() + " -> ";
  line += record.exception ? "threw: " + describe(record.exception)
                           : record.outputs.to_string();
  return line;
}

/// Why a composite's children are, or are not, nodes of the graph.
std::string verdict_line(const TraceRecord &record) {
  if (record.flattenable())
    return "flattened: its glue only routes values";
  return "opaque: " + record.opaque_reason;
}

} // namespace

std::string list_trace(const Trace &trace) {
  const std::vector<TraceRecord> &records = trace.context->records();
  // Records are in call order, so a parent's depth is known before its
  // children's.
  std::vector<std::size_t> depth(records.size() + 1, 0);
  std::string text;
  if (trace.context->mode() == TraceMode::Symbolic)
    text += "; a symbolic run: leaves did not run, and the symbols they "
            "returned list as <symbol>\n";
  for (const TraceRecord &record : records) {
    if (record.parent_call_id != 0)
      depth[record.call_id] = depth[record.parent_call_id] + 1;
    std::string indent(2 * depth[record.call_id], ' ');
    text += indent + call_line(record) + "\n";
    if (record.is_composite())
      text += indent + "  " + verdict_line(record) + "\n";
  }
  return text;
}

} // namespace xcs
