//===- timeline_test.cpp - The Chrome trace-event timeline ----------------===//
//
// Timelines written by a batch run and by a jit operator, parsed back: every
// call has a span, each names its item and lies within that item's span,
// and a plan's calls name their node.
//
//===----------------------------------------------------------------------===//

#include "batch_test_support.h"

#include "xcs/jit.h"
#include "xcs/json.h"
#include "xcs/metrics.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace xcs {
namespace {

using test::VectorSource;

std::string temp_path(const std::string &name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".json"))
      .string();
}

Value read_json(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), path);
}

struct Span {
  std::string name;
  double begin = 0, end = 0;
  std::int64_t item = -1;
  std::int64_t node = -1;
};

/// The call spans (complete and async) and the item spans of a timeline.
struct Timeline {
  std::vector<Span> calls;
  std::map<std::int64_t, Span> items;
};

std::int64_t int_or(const Record &record, const char *field,
                    std::int64_t fallback) {
  const Value *value = record.find(field);
  return value ? value->as_int() : fallback;
}

Timeline spans_of(const Value &json) {
  Timeline timeline;
  std::map<std::pair<std::string, std::int64_t>, Span> open;
  for (const Value &event :
       json.as_record().at("traceEvents").as_list()) {
    const Record &e = event.as_record();
    std::string phase(e.at("ph").as_string());
    if (phase == "M")
      continue;
    std::string category(e.at("cat").as_string());
    double ts = e.at("ts").as_double();
    if (phase == "X") {
      const Record &args = e.at("args").as_record();
      timeline.calls.push_back(Span{std::string(e.at("name").as_string()), ts,
                                    ts + e.at("dur").as_double(),
                                    int_or(args, "item", -1),
                                    int_or(args, "node", -1)});
      continue;
    }
    std::pair key{category, e.at("id").as_int()};
    if (phase == "b") {
      const Record &args = e.at("args").as_record();
      open[key] = Span{std::string(e.at("name").as_string()), ts, 0,
                       int_or(args, "item", -1), int_or(args, "node", -1)};
      continue;
    }
    EXPECT_EQ(phase, "e");
    auto it = open.find(key);
    EXPECT_NE(it, open.end()) << "an end without a begin";
    if (it == open.end())
      continue;
    Span span = it->second;
    span.end = ts;
    open.erase(it);
    if (category == "item")
      timeline.items[span.item] = span;
    else
      timeline.calls.push_back(span);
  }
  EXPECT_TRUE(open.empty()) << "a begin without an end";
  return timeline;
}

/// Every call span names an item and lies within that item's span.
void expect_nested(const Timeline &timeline) {
  for (const Span &call : timeline.calls) {
    auto item = timeline.items.find(call.item);
    ASSERT_NE(item, timeline.items.end())
        << call.name << " names item " << call.item;
    EXPECT_LE(item->second.begin, call.begin) << call.name;
    EXPECT_LE(call.end, item->second.end) << call.name;
    EXPECT_LE(call.begin, call.end);
  }
}

std::size_t count_named(const Timeline &timeline, const std::string &name) {
  std::size_t n = 0;
  for (const Span &call : timeline.calls)
    n += call.name == name;
  return n;
}

TEST(Timeline, AnAsynchronousOperatorsCallsAreAsyncSpansWithinTheirItems) {
  std::string path = temp_path("xcs-timeline-async");
  ops::ModelCallOptions o;
  o.name = "Member";
  o.latency = std::chrono::microseconds(200);
  auto model = ops::model_call(o);
  std::vector<BatchItem> items;
  for (std::uint64_t i = 0; i < 40; ++i)
    items.push_back({i, Record{{"prompt", "p" + std::to_string(i)}}, nullptr});
  VectorSource source(items);
  BatchRunner runner(model, test::in_flight(16, path));
  runner.run(source, [](BatchOutcome) {});
  Timeline timeline = spans_of(read_json(path));
  EXPECT_EQ(timeline.items.size(), 40u);
  EXPECT_EQ(count_named(timeline, "Member"), model->calls());
  EXPECT_EQ(model->calls(), 40u);
  expect_nested(timeline);
  std::filesystem::remove(path);
}

TEST(Timeline, APlansCallsNameTheirNodesAndItems) {
  std::string path = temp_path("xcs-timeline-plan");
  ops::ModelCallOptions a, b;
  a.name = "A";
  b.name = "B";
  a.seed = 1;
  b.seed = 2;
  a.latency = b.latency = std::chrono::microseconds(100);
  auto member_a = ops::model_call(a);
  auto member_b = ops::model_call(b);
  OperatorPtr pipeline = jit(ops::ensemble_judge({member_a, member_b}));
  std::vector<BatchItem> items;
  for (std::uint64_t i = 0; i < 24; ++i)
    items.push_back({i, Record{{"query", "q" + std::to_string(i)}}, nullptr});
  VectorSource source(items);
  BatchSummary summary;
  {
    BatchRunner runner(pipeline, test::in_flight(6, path));
    summary = runner.run(source, [](BatchOutcome) {});
  }
  Timeline timeline = spans_of(read_json(path));
  EXPECT_EQ(timeline.items.size(), 24u);
  // Every call has a span, the structural discovery's symbolic run aside
  // (it calls no leaf).
  EXPECT_EQ(count_named(timeline, "A"), member_a->calls());
  EXPECT_EQ(count_named(timeline, "B"), member_b->calls());
  EXPECT_EQ(count_named(timeline, "Judge"), 24u);
  // The jit operator's own call, on the runner's thread, per item.
  EXPECT_EQ(count_named(timeline, pipeline->name()), 24u);
  expect_nested(timeline);
  std::size_t with_node = 0;
  for (const Span &call : timeline.calls)
    with_node += call.node >= 0;
  EXPECT_EQ(with_node, 3u * 24u);
  // Per-node times: the two members and the judge, 24 calls each.
  ASSERT_EQ(summary.node_times.size(), 3u);
  for (const Record &node : summary.node_times) {
    EXPECT_EQ(node.at("calls").as_int(), 24);
    EXPECT_GE(node.at("max_ns").as_int(), 0);
    EXPECT_GE(node.at("total_ns").as_int(), node.at("max_ns").as_int());
  }
  std::filesystem::remove(path);
}

TEST(Timeline, ADetachedPlansLaterCallsNameTheirItems) {
  // Every call is asynchronous, so the plan runs detached: B's calls start
  // on the thread that completes A's, which must still say whose they are.
  std::string path = temp_path("xcs-timeline-detached");
  ops::ModelCallOptions a, b;
  a.name = "A";
  b.name = "B";
  a.latency = b.latency = std::chrono::microseconds(100);
  auto first = ops::model_call(a);
  auto second = ops::model_call(b);
  OperatorPtr pipeline = jit(ops::composite(
      "AThenB",
      Specification().input("prompt", Kind::String).output("response"),
      [first, second](const Record &in) {
        Record answer = (*first)(in);
        return (*second)(Record{{"prompt", answer.at("response")}});
      }));
  (*pipeline)(Record{{"prompt", "warm"}}); // builds the plan, untimed
  std::vector<BatchItem> items;
  for (std::uint64_t i = 0; i < 24; ++i)
    items.push_back({i, Record{{"prompt", "p" + std::to_string(i)}}, nullptr});
  VectorSource source(items);
  {
    BatchRunner runner(pipeline, test::in_flight(8, path));
    runner.run(source, [](BatchOutcome) {});
  }
  Timeline timeline = spans_of(read_json(path));
  EXPECT_EQ(timeline.items.size(), 24u);
  EXPECT_EQ(count_named(timeline, "A"), 24u);
  EXPECT_EQ(count_named(timeline, "B"), 24u);
  expect_nested(timeline);
  std::filesystem::remove(path);
}

TEST(Timeline, AJitOperatorsOptionRecordsAndReportsNodeTimes) {
  std::string path = temp_path("xcs-timeline-jit");
  ops::Example example = ops::example("diamond");
  {
    JitOptions options;
    options.timeline = path;
    OperatorPtr compiled = jit(example.op, options);
    for (int x = 0; x < 5; ++x)
      (*compiled)(Record{{"x", x}});
    Record report = JitPerformanceMetrics::report(*compiled);
    const Value *nodes = report.find("node_times");
    ASSERT_NE(nodes, nullptr);
    ASSERT_FALSE(nodes->as_list().empty());
    for (const Value &node : nodes->as_list())
      EXPECT_GE(node.as_record().at("calls").as_int(), 5);
  }
  // Written when the operator goes.
  Timeline timeline = spans_of(read_json(path));
  EXPECT_EQ(count_named(timeline, "Diamond"), 5u);
  EXPECT_GE(count_named(timeline, "Add"), 5u);
  std::filesystem::remove(path);
}

TEST(Timeline, TheEnvironmentVariableNamesTheFileOfRunnersWithoutOne) {
  std::string path = temp_path("xcs-timeline-env");
  ASSERT_EQ(::setenv("XCS_TIMELINE", path.c_str(), 1), 0);
  auto gate = std::make_shared<test::Gate>(2);
  VectorSource source = VectorSource::counting(6);
  {
    BatchRunner runner(gate, test::in_flight(2));
    runner.run(source, [](BatchOutcome) {});
  }
  ::unsetenv("XCS_TIMELINE");
  Timeline timeline = spans_of(read_json(path));
  EXPECT_EQ(timeline.items.size(), 6u);
  EXPECT_EQ(count_named(timeline, "Gate"), 6u);
  expect_nested(timeline);
  std::filesystem::remove(path);
}

TEST(Timeline, WithoutOneNoSpanIsKept) {
  // A jit operator without the option (and without XCS_TIMELINE) reports
  // no node times.
  ASSERT_EQ(std::getenv("XCS_TIMELINE"), nullptr);
  OperatorPtr compiled = jit(ops::example("diamond").op);
  (*compiled)(Record{{"x", 1}});
  EXPECT_EQ(JitPerformanceMetrics::report(*compiled).find("node_times"),
            nullptr);
}

} // namespace
} // namespace xcs
