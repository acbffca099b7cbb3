//===- executor.cpp - Threads for compiled plans --------------------------===//

#include "Runtime/executor.h"

#include <algorithm>

namespace xcs::runtime {

Executor &Executor::global() {
  static Executor *executor = new Executor;
  return *executor;
}

Executor::Executor(unsigned max_threads) : pool_(max_threads) {}

namespace {

/// One piece of posted work: a pool request that frees itself once done.
class PostedWork final : public Helpable {
public:
  explicit PostedWork(std::function<void()> work) : work_(std::move(work)) {}
  void help() noexcept override {
    work_();
    delete this;
  }

private:
  std::function<void()> work_;
};

} // namespace

void Executor::post(std::function<void()> work) {
  auto *posted = new PostedWork(std::move(work));
  if (!pool_.request(*posted, 1, default_workers()))
    posted->help();
}

void Executor::set_default_workers(unsigned workers) {
  default_workers_.store(workers == 0 ? builtin_default_workers
                                      : std::min(workers, max_workers),
                         std::memory_order_relaxed);
}

} // namespace xcs::runtime
