//===- Distributed/messages.cpp - What ranks tell each other --------------===//

#include "Distributed/messages.h"

#include "Distributed/wire.h"
#include "xcs/json.h"

#include <algorithm>

namespace xcs::distributed {

std::vector<char> encode_chunk(const std::vector<JsonlLine> &lines) {
  WireWriter out;
  out.put<std::uint64_t>(lines.size());
  for (const JsonlLine &line : lines) {
    out.put(line.index);
    out.put_string(line.text);
  }
  return out.take();
}

std::vector<JsonlLine> decode_chunk(const std::vector<char> &bytes) {
  WireReader in(bytes);
  std::vector<JsonlLine> lines(in.get<std::uint64_t>());
  for (JsonlLine &line : lines) {
    line.index = in.get<std::uint64_t>();
    line.text = in.get_string();
  }
  return lines;
}

std::vector<char> OutcomeBatch::encode() const {
  WireWriter out;
  out.put(retries);
  out.put(prompt_tokens);
  out.put(completion_tokens);
  out.put<std::uint64_t>(outcomes.size());
  for (const OutcomeLine &outcome : outcomes) {
    out.put(outcome.index);
    out.put<std::uint8_t>(outcome.failed);
    out.put(outcome.latency_ns);
    out.put_string(outcome.line);
  }
  return out.take();
}

OutcomeBatch OutcomeBatch::decode(const std::vector<char> &bytes) {
  WireReader in(bytes);
  OutcomeBatch batch;
  batch.retries = in.get<std::uint64_t>();
  batch.prompt_tokens = in.get<std::uint64_t>();
  batch.completion_tokens = in.get<std::uint64_t>();
  batch.outcomes.resize(in.get<std::uint64_t>());
  for (OutcomeLine &outcome : batch.outcomes) {
    outcome.index = in.get<std::uint64_t>();
    outcome.failed = in.get<std::uint8_t>() != 0;
    outcome.latency_ns = in.get<std::int64_t>();
    outcome.line = in.get_string();
  }
  return batch;
}

std::vector<char> WorkerReport::encode() const {
  WireWriter out;
  out.put<std::uint64_t>(endpoints.size());
  for (const ops::EndpointUsage &usage : endpoints) {
    out.put_string(usage.endpoint);
    out.put(usage.calls);
    out.put(usage.failures);
    out.put(usage.retries);
    out.put(usage.prompt_tokens);
    out.put(usage.completion_tokens);
  }
  std::vector<Value> nodes;
  for (const Record &node : node_times)
    nodes.push_back(Value::record(node));
  out.put_string(to_json(Value::list(std::move(nodes))));
  out.put_string(timeline);
  return out.take();
}

WorkerReport WorkerReport::decode(const std::vector<char> &bytes) {
  WireReader in(bytes);
  WorkerReport report;
  report.endpoints.resize(in.get<std::uint64_t>());
  for (ops::EndpointUsage &usage : report.endpoints) {
    usage.endpoint = in.get_string();
    usage.calls = in.get<std::uint64_t>();
    usage.failures = in.get<std::uint64_t>();
    usage.retries = in.get<std::uint64_t>();
    usage.prompt_tokens = in.get<std::uint64_t>();
    usage.completion_tokens = in.get<std::uint64_t>();
  }
  Value nodes = parse_json(in.get_string(), "a worker's node times");
  for (const Value &node : nodes.as_list())
    report.node_times.push_back(node.as_record());
  report.timeline = in.get_string();
  return report;
}

void add_usage(std::vector<ops::EndpointUsage> &into,
               const std::vector<ops::EndpointUsage> &more) {
  for (const ops::EndpointUsage &usage : more) {
    auto found = std::find_if(into.begin(), into.end(), [&](const auto &u) {
      return u.endpoint == usage.endpoint;
    });
    if (found == into.end()) {
      into.push_back(usage);
      continue;
    }
    found->calls += usage.calls;
    found->failures += usage.failures;
    found->retries += usage.retries;
    found->prompt_tokens += usage.prompt_tokens;
    found->completion_tokens += usage.completion_tokens;
  }
}

void add_node_times(std::vector<Record> &into,
                    const std::vector<Record> &more) {
  for (const Record &node : more) {
    auto same = [&](const Record &r) {
      return r.at("node") == node.at("node") &&
             r.at("operator") == node.at("operator");
    };
    auto found = std::find_if(into.begin(), into.end(), same);
    if (found == into.end()) {
      into.push_back(node);
      continue;
    }
    auto sum = [&](std::string_view field) {
      found->set(field, found->at(field).as_int() + node.at(field).as_int());
    };
    sum("calls");
    sum("total_ns");
    found->set("max_ns", std::max(found->at("max_ns").as_int(),
                                  node.at("max_ns").as_int()));
  }
  std::sort(into.begin(), into.end(), [](const Record &a, const Record &b) {
    return a.at("node").as_int() < b.at("node").as_int();
  });
}

} // namespace xcs::distributed
