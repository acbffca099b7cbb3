//===- element_map.cpp - What every mapped call shares --------------------===//

#include "Core/element_map.h"

#include "Core/startable.h"
#include "xcs/async.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <latch>
#include <mutex>
#include <string>
#include <thread>

namespace xcs::element_map {
namespace {

/// Threads a mapped call uses when its caller does not say.
constexpr std::size_t default_threads = 64;

bool is_mapped(const Mapping &mapping, FieldId field) {
  return std::ranges::find(mapping.mapped, field) != mapping.mapped.end();
}

Value error_entry(const std::exception_ptr &error) {
  if (!error)
    return Value();
  return Value::record(
      Record{{"type", control_flow::error_type_name(error)},
             {"message", control_flow::error_message(error)}});
}

/// Threads that run the elements of mapped calls. A job starts on an idle
/// thread when there is one, else on a new thread; a thread idle for a
/// while ends. Never destroyed: threads may still wait on it at exit.
class ElementThreads {
public:
  static ElementThreads &instance() {
    static ElementThreads *threads = new ElementThreads;
    return *threads;
  }

  void start(std::function<void()> job) {
    std::unique_lock lock(mutex_);
    jobs_.push_back(std::move(job));
    if (idle_ >= jobs_.size()) {
      wake_.notify_one();
      return;
    }
    lock.unlock();
    std::thread([this] { serve(); }).detach();
  }

private:
  /// How long a thread waits for a job before it ends.
  static constexpr std::chrono::seconds idle_time{2};

  void serve() {
    std::unique_lock lock(mutex_);
    while (true) {
      if (jobs_.empty()) {
        ++idle_;
        bool woken = wake_.wait_for(lock, idle_time,
                                    [&] { return !jobs_.empty(); });
        --idle_;
        if (!woken)
          return;
      }
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  /// Threads waiting for a job.
  std::size_t idle_ = 0;
};

} // namespace

std::vector<FieldId> element_outputs(const Specification &spec,
                                     bool per_element_outcomes,
                                     FieldId errors_field) {
  std::vector<FieldId> outputs;
  for (const FieldSpec &field : spec.outputs())
    if (!(per_element_outcomes && field.id == errors_field))
      outputs.push_back(field.id);
  return outputs;
}

std::size_t element_count(const Mapping &mapping, const Record &inputs) {
  std::size_t count = inputs.at(mapping.mapped.front()).as_list().size();
  bool same = std::ranges::all_of(mapping.mapped, [&](FieldId field) {
    return inputs.at(field).as_list().size() == count;
  });
  if (same)
    return count;
  std::string lengths;
  for (FieldId field : mapping.mapped)
    lengths += (lengths.empty() ? "" : ", ") + std::string(field.name()) +
               " has " + std::to_string(inputs.at(field).as_list().size());
  throw InputError("operator '" + std::string(mapping.name) +
                   "': mapped fields have different lengths: " + lengths);
}

Record element_input(const Mapping &mapping, const Record &inputs,
                     std::size_t index) {
  Record element;
  element.reserve(inputs.size());
  for (const auto &[field, value] : inputs)
    element.set(field,
                is_mapped(mapping, field) ? value.as_list()[index] : value);
  return element;
}

Record assemble(const Mapping &mapping, Outcomes outcomes) {
  std::size_t count = outcomes.outputs.size();
  if (!mapping.per_element_outcomes)
    for (std::size_t i = 0; i < count; ++i)
      if (outcomes.errors[i])
        throw ElementError(std::string(mapping.name), i, outcomes.errors[i]);
  Record result;
  result.reserve(mapping.outputs.size() + 1);
  for (FieldId field : mapping.outputs) {
    std::vector<Value> items;
    items.reserve(count);
    for (const std::optional<Record> &output : outcomes.outputs) {
      const Value *value = output ? output->find(field) : nullptr;
      items.push_back(value ? *value : Value());
    }
    result.set(field, Value::list(std::move(items)));
  }
  if (mapping.per_element_outcomes) {
    std::vector<Value> items;
    items.reserve(count);
    for (const std::exception_ptr &error : outcomes.errors)
      items.push_back(error_entry(error));
    result.set(mapping.errors_field, Value::list(std::move(items)));
  }
  return result;
}

void run_elements(std::size_t count, std::size_t threads,
                  llvm::function_ref<void(std::size_t)> run) {
  std::size_t wanted = std::min(count, threads == 0 ? default_threads : threads);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;)
      run(i);
  };
  if (wanted <= 1)
    return work();
  // Helpers from the idle threads of earlier calls, so that a call starts
  // none in the common case; each job gets a thread of its own at once,
  // so that elements that wait for each other all run.
  std::latch helpers_done(static_cast<std::ptrdiff_t>(wanted - 1));
  for (std::size_t t = 1; t < wanted; ++t)
    ElementThreads::instance().start([&] {
      work();
      helpers_done.count_down();
    });
  work();
  helpers_done.wait();
}

Record map_call(const Mapping &mapping, const Record &inputs,
                llvm::function_ref<Record(const Record &)> element,
                std::size_t threads) {
  std::size_t count = element_count(mapping, inputs);
  Outcomes outcomes(count);
  run_elements(count, threads, [&](std::size_t i) {
    try {
      outcomes.outputs[i] = element(element_input(mapping, inputs, i));
    } catch (...) {
      outcomes.errors[i] = std::current_exception();
    }
  });
  return assemble(mapping, std::move(outcomes));
}

namespace {

/// The elements of one map_operator() call started without a thread: how
/// many are in flight, and their outcomes as they arrive.
class StartedElements {
public:
  StartedElements(std::size_t count, std::size_t limit)
      : outcomes_(count), limit_(limit == 0 ? count : limit) {}

  /// Waits until another element may start.
  void wait_for_room() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return in_flight_ < limit_; });
    ++in_flight_;
  }
  void ended(std::size_t index, CallOutcome outcome) {
    std::lock_guard lock(mutex_);
    outcomes_.outputs[index] = std::move(outcome.outputs);
    outcomes_.errors[index] = std::move(outcome.error);
    --in_flight_;
    changed_.notify_all();
  }
  /// Waits for the elements in flight, then hands over every outcome.
  Outcomes finish() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return in_flight_ == 0; });
    return std::move(outcomes_);
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  Outcomes outcomes_;
  std::size_t limit_;
  std::size_t in_flight_ = 0;
};

} // namespace

Record map_operator(const Mapping &mapping, const Record &inputs,
                    const Operator &element, std::size_t limit) {
  std::size_t count = element_count(mapping, inputs);
  if (count == 0)
    return assemble(mapping, Outcomes(0));
  Record first = element_input(mapping, inputs, 0);
  if (!detail::starts_without_thread(element, first))
    return map_call(
        mapping, inputs, [&](const Record &input) { return element(input); },
        limit);
  // Shared with the completions, which may come after an element that
  // needed this thread threw here.
  auto started = std::make_shared<StartedElements>(count, limit);
  for (std::size_t i = 0; i < count; ++i) {
    started->wait_for_room();
    call_async(element, i == 0 ? first : element_input(mapping, inputs, i),
               [started, i](CallOutcome outcome) {
                 started->ended(i, std::move(outcome));
               });
  }
  return assemble(mapping, started->finish());
}

} // namespace xcs::element_map
