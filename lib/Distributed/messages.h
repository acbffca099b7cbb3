//===- Distributed/messages.h - What ranks tell each other ------*- C++ -*-===//
///
/// \file
/// The contents of the messages of wire.h's tags, each with its encoding:
/// chunks of data lines (rank 0 to a worker), batches of finished result
/// lines (a worker to rank 0) and a worker's report once its items are
/// done. Items travel as their data lines and outcomes as their result
/// lines, made on the worker by the functions the one-process run uses, so
/// that rank 0 writes exactly the bytes one process would.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver/jsonl_source.h"
#include "xcs/chat_model.h"
#include "xcs/record.h"

#include <cstdint>
#include <string>
#include <vector>

namespace xcs::distributed {

std::vector<char> encode_chunk(const std::vector<JsonlLine> &lines);
std::vector<JsonlLine> decode_chunk(const std::vector<char> &bytes);

/// An item's outcome as its result line.
struct OutcomeLine {
  std::uint64_t index = 0;
  bool failed = false;
  std::int64_t latency_ns = 0;
  std::string line;
};

/// Outcomes of a worker, with what its models spent so far (for progress).
struct OutcomeBatch {
  std::uint64_t retries = 0;
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
  std::vector<OutcomeLine> outcomes;

  std::vector<char> encode() const;
  static OutcomeBatch decode(const std::vector<char> &bytes);
};

/// What a worker tells rank 0 once its items are done, for the summary and
/// the timeline.
struct WorkerReport {
  std::vector<ops::EndpointUsage> endpoints;
  /// BatchSummary::node_times.
  std::vector<Record> node_times;
  /// The worker's timeline file (Chrome trace-event JSON), "" without one.
  std::string timeline;

  std::vector<char> encode() const;
  static WorkerReport decode(const std::vector<char> &bytes);
};

/// Adds \p more to \p into, endpoint by endpoint.
void add_usage(std::vector<ops::EndpointUsage> &into,
               const std::vector<ops::EndpointUsage> &more);
/// Adds \p more to \p into, node by node (calls and totals add up, the
/// maximum is the larger).
void add_node_times(std::vector<Record> &into, const std::vector<Record> &more);

} // namespace xcs::distributed
