//===- element_map.cpp - What every mapped call shares --------------------===//

#include "Core/element_map.h"

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

} // namespace xcs::element_map
