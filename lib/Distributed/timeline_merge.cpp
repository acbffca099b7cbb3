//===- Distributed/timeline_merge.cpp - One timeline for a job ------------===//

#include "Distributed/timeline_merge.h"

#include "xcs/error.h"
#include "xcs/json.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace xcs::distributed {
namespace {

/// Appends the events of timeline \p text to \p events, on process \p rank.
void add_events(std::vector<Value> &events, const std::string &text,
                const std::string &source, int rank) {
  Value timeline = parse_json(text, source);
  const Value *list = timeline.as_record().find("traceEvents");
  if (!list)
    return;
  for (const Value &event : list->as_list()) {
    Record moved = event.as_record();
    moved.set("pid", Value(static_cast<std::int64_t>(rank)));
    events.push_back(Value::record(std::move(moved)));
  }
  events.push_back(Value::record(Record{
      {"ph", "M"},
      {"name", "process_name"},
      {"pid", Value(static_cast<std::int64_t>(rank))},
      {"args",
       Value::record(Record{{"name", "rank " + std::to_string(rank)}})}}));
}

std::string read_text(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("cannot read the timeline '" + path +
                     "': " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

void merge_timelines(const std::string &path, bool has_own,
                     const std::vector<WorkerReport> &reports) {
  std::vector<Value> events;
  if (has_own)
    add_events(events, read_text(path), path, 0);
  for (std::size_t rank = 1; rank < reports.size(); ++rank)
    if (!reports[rank].timeline.empty())
      add_events(events, reports[rank].timeline,
                 "the timeline of rank " + std::to_string(rank),
                 static_cast<int>(rank));
  Record merged{{"displayTimeUnit", "ms"},
                {"traceEvents", Value::list(std::move(events))}};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << to_json(merged) << '\n';
  if (!out.flush())
    throw InputError("cannot write the timeline '" + path +
                     "': " + std::strerror(errno));
}

} // namespace xcs::distributed
