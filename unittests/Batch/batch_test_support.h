//===- batch_test_support.h - What the batch tests share --------*- C++ -*-===//
#pragma once

#include "xcs/async.h"
#include "xcs/batch.h"
#include "xcs/error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace xcs::test {

/// Options with \p max_in_flight and, if given, a timeline file.
inline BatchOptions in_flight(std::size_t max_in_flight,
                              std::string timeline = "") {
  BatchOptions options;
  options.max_in_flight = max_in_flight;
  options.timeline = std::move(timeline);
  return options;
}

/// Items from a vector: item i is {x: i} unless given.
class VectorSource final : public BatchSource {
public:
  explicit VectorSource(std::vector<BatchItem> items)
      : items_(std::move(items)) {}
  static VectorSource counting(std::uint64_t n) {
    std::vector<BatchItem> items;
    for (std::uint64_t i = 0; i < n; ++i)
      items.push_back(BatchItem{i, Record{{"x", static_cast<std::int64_t>(i)}},
                                nullptr});
    return VectorSource(std::move(items));
  }
  std::optional<BatchItem> next() override {
    if (next_ == items_.size())
      return std::nullopt;
    ++pulled_;
    return items_[next_++];
  }
  std::optional<std::uint64_t> total() const override { return items_.size(); }
  std::size_t pulled() const { return pulled_; }

private:
  std::vector<BatchItem> items_;
  std::size_t next_ = 0;
  std::size_t pulled_ = 0;
};

/// An asynchronous {x: int} -> {y: x * 10} that holds every call until
/// `gate` calls are held, then calls `on_gate` (on the thread of the last
/// start) and completes the held calls in reverse order of their start. A
/// cancelled call fails with xcs::Error "cancelled" at once. Calls with a
/// negative x fail with InputError.
class Gate final : public AsyncOperator {
public:
  explicit Gate(std::size_t gate)
      : AsyncOperator("Gate", Specification()
                                  .input("x", Kind::Int)
                                  .output("y", Kind::Int)),
        gate_(gate) {}

  std::function<void()> on_gate;
  /// When false, a full gate does not complete its calls (for cancel).
  bool release = true;

  void start(const Record &in, Completion done) const override {
    auto call = std::make_shared<Completion>(std::move(done));
    call->on_cancel([call] {
      call->fail(std::make_exception_ptr(Error("cancelled")));
    });
    std::vector<std::pair<std::int64_t, std::shared_ptr<Completion>>> open;
    {
      std::lock_guard lock(mutex_);
      ++started_;
      held_.emplace_back(in.at("x").as_int(), call);
      peak_ = std::max(peak_, held_.size());
      if (held_.size() < gate_)
        return;
      open.swap(held_);
    }
    if (on_gate)
      on_gate();
    if (!release)
      return;
    for (auto it = open.rbegin(); it != open.rend(); ++it)
      it->second->complete_with([&] { return compute(it->first); });
  }

  static Record compute(std::int64_t x) {
    if (x < 0)
      throw InputError("negative x: " + std::to_string(x));
    return Record{{"y", x * 10}};
  }

  std::size_t peak() const {
    std::lock_guard lock(mutex_);
    return peak_;
  }
  std::size_t started() const {
    std::lock_guard lock(mutex_);
    return started_;
  }
  /// Opens once \p gate calls are held from now on; none may be held.
  void set_gate(std::size_t gate) {
    std::lock_guard lock(mutex_);
    gate_ = gate;
  }

private:
  std::size_t gate_;
  mutable std::mutex mutex_;
  mutable std::vector<std::pair<std::int64_t, std::shared_ptr<Completion>>>
      held_;
  mutable std::size_t peak_ = 0;
  mutable std::size_t started_ = 0;
};

} // namespace xcs::test
