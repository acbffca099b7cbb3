//===- timeline.cpp - Operator calls as a Chrome trace --------------------===//

#include "JIT/timeline.h"

#include "Core/log.h"
#include "Core/trace_hooks.h"
#include "xcs/error.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

namespace xcs {
namespace {

/// The live timelines, by path, and Core's hooks that feed them.
class Registry final : public detail::TimelineHooks {
public:
  static Registry &get() {
    // Never destroyed: calls may end during static destruction.
    static Registry *registry = new Registry;
    return *registry;
  }

  std::shared_ptr<Timeline> open(const std::string &path) {
    std::lock_guard lock(mutex_);
    if (auto it = live_.find(path); it != live_.end())
      if (std::shared_ptr<Timeline> timeline = it->second.lock())
        return timeline;
    detail::install_timeline_hooks(*this);
    auto timeline = std::shared_ptr<Timeline>(new Timeline(path), [](Timeline *t) {
      get().close(t);
    });
    live_[path] = timeline;
    recording_.push_back(timeline.get());
    detail::live_timelines.fetch_add(1, std::memory_order_relaxed);
    detail::call_watchers.fetch_add(1, std::memory_order_relaxed);
    return timeline;
  }

  void call_ended(detail::CallSpan span) const override {
    std::lock_guard lock(mutex_);
    for (Timeline *timeline : recording_)
      timeline->add(span);
  }

private:
  void close(Timeline *timeline) {
    {
      std::lock_guard lock(mutex_);
      std::erase(recording_, timeline);
      if (auto it = live_.find(timeline->path());
          it != live_.end() && it->second.expired())
        live_.erase(it);
      detail::live_timelines.fetch_sub(1, std::memory_order_relaxed);
      detail::call_watchers.fetch_sub(1, std::memory_order_relaxed);
    }
    delete timeline;
  }

  mutable std::mutex mutex_;
  std::map<std::string, std::weak_ptr<Timeline>> live_;
  std::vector<Timeline *> recording_;
};

/// Opens \p path for writing, truncating it; InputError naming it if that
/// fails.
std::unique_ptr<llvm::raw_fd_ostream> create_file(const std::string &path) {
  std::error_code error;
  auto out = std::make_unique<llvm::raw_fd_ostream>(path, error,
                                                    llvm::sys::fs::OF_None);
  if (error)
    throw InputError("cannot write the timeline '" + path +
                     "': " + error.message());
  return out;
}

} // namespace

Timeline::Timeline(std::string path)
    : path_(std::move(path)), origin_(detail::TimelineClock::now()) {
  create_file(path_);
}

std::shared_ptr<Timeline> Timeline::open(const std::string &path) {
  if (path.empty())
    throw InputError("the timeline's path is empty");
  return Registry::get().open(path);
}

std::shared_ptr<Timeline> Timeline::open_configured(const std::string &path) {
  if (!path.empty())
    return open(path);
  const char *variable = std::getenv("XCS_TIMELINE");
  if (variable && *variable)
    return open(variable);
  return nullptr;
}

Timeline::~Timeline() {
  if (!dirty_)
    return;
  try {
    write();
  } catch (const std::exception &error) {
    log::logger().error("{}", error.what());
  }
}

void Timeline::add(const detail::CallSpan &span) {
  std::lock_guard lock(mutex_);
  calls_.push_back(span);
  dirty_ = true;
}

void Timeline::item(std::int64_t index,
                    detail::TimelineClock::time_point begin,
                    detail::TimelineClock::time_point end, bool failed) {
  std::lock_guard lock(mutex_);
  items_.push_back(ItemSpan{index, begin, end, failed});
  dirty_ = true;
}

namespace {

/// Writes the trace events of one timeline.
class EventWriter {
public:
  EventWriter(llvm::json::OStream &json,
              detail::TimelineClock::time_point origin)
      : json_(json), origin_(origin) {}

  void thread_name(std::uint32_t thread) {
    json_.object([&] {
      json_.attribute("ph", "M");
      json_.attribute("name", "thread_name");
      json_.attribute("pid", 1);
      json_.attribute("tid", thread);
      json_.attributeObject("args", [&] {
        json_.attribute("name", "thread " + std::to_string(thread));
      });
    });
  }

  void call(const detail::CallSpan &span, std::uint64_t id) {
    auto args = [&] {
      json_.attributeObject("args", [&] {
        if (span.item != detail::no_item)
          json_.attribute("item", span.item);
        if (span.node != detail::no_node)
          json_.attribute("node", span.node);
        json_.attribute("failed", span.failed);
      });
    };
    if (!span.async) {
      event(span.name, "call", "X", span.thread, span.begin, [&] {
        json_.attribute("dur", micros(span.end - span.begin));
        args();
      });
      return;
    }
    event(span.name, "async call", "b", span.thread, span.begin, [&] {
      json_.attribute("id", id);
      args();
    });
    event(span.name, "async call", "e", span.thread, span.end,
          [&] { json_.attribute("id", id); });
  }

  void item(std::int64_t index, detail::TimelineClock::time_point begin,
            detail::TimelineClock::time_point end, bool failed) {
    std::string name = "item " + std::to_string(index);
    event(name, "item", "b", 0, begin, [&] {
      json_.attribute("id", index);
      json_.attributeObject("args", [&] {
        json_.attribute("item", index);
        json_.attribute("failed", failed);
      });
    });
    event(name, "item", "e", 0, end, [&] { json_.attribute("id", index); });
  }

private:
  static double micros(detail::TimelineClock::duration d) {
    return std::chrono::duration<double, std::micro>(d).count();
  }

  template <typename Extra>
  void event(const std::string &name, const char *category, const char *phase,
             std::uint32_t thread, detail::TimelineClock::time_point at,
             Extra &&extra) {
    json_.object([&] {
      json_.attribute("name", name);
      json_.attribute("cat", category);
      json_.attribute("ph", phase);
      json_.attribute("ts", micros(at - origin_));
      json_.attribute("pid", 1);
      json_.attribute("tid", thread);
      extra();
    });
  }

  llvm::json::OStream &json_;
  detail::TimelineClock::time_point origin_;
};

} // namespace

void Timeline::write() {
  std::lock_guard lock(mutex_);
  std::unique_ptr<llvm::raw_fd_ostream> out = create_file(path_);
  {
    llvm::json::OStream json(*out);
    EventWriter events(json, origin_);
    json.object([&] {
      json.attribute("displayTimeUnit", "ms");
      json.attributeArray("traceEvents", [&] {
        std::set<std::uint32_t> threads;
        for (const detail::CallSpan &span : calls_)
          threads.insert(span.thread);
        for (std::uint32_t thread : threads)
          events.thread_name(thread);
        std::uint64_t id = 0;
        for (const detail::CallSpan &span : calls_)
          events.call(span, ++id);
        for (const ItemSpan &item : items_)
          events.item(item.index, item.begin, item.end, item.failed);
      });
    });
  }
  *out << '\n';
  out->close();
  if (out->has_error()) {
    std::string message = out->error().message();
    out->clear_error();
    throw InputError("cannot write the timeline '" + path_ + "': " + message);
  }
  dirty_ = false;
}

std::vector<Record> Timeline::node_times() const {
  struct Times {
    std::int64_t calls = 0, total = 0, max = 0;
  };
  std::map<std::tuple<std::uint32_t, std::string>, Times> by_node;
  {
    std::lock_guard lock(mutex_);
    for (const detail::CallSpan &span : calls_) {
      if (span.node == detail::no_node)
        continue;
      Times &times = by_node[{span.node, span.name}];
      std::int64_t took = std::chrono::nanoseconds(span.end - span.begin).count();
      ++times.calls;
      times.total += took;
      times.max = std::max(times.max, took);
    }
  }
  std::vector<Record> rows;
  for (const auto &[key, times] : by_node)
    rows.push_back(Record{{"node", static_cast<std::int64_t>(std::get<0>(key))},
                          {"operator", std::get<1>(key)},
                          {"calls", times.calls},
                          {"total_ns", times.total},
                          {"max_ns", times.max}});
  return rows;
}

} // namespace xcs
