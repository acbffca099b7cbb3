//===- executor.cpp - Threads for compiled plans --------------------------===//

#include "Runtime/executor.h"

#include <algorithm>

namespace xcs::runtime {

Executor &Executor::global() {
  static Executor *executor = new Executor;
  return *executor;
}

Executor::Executor(unsigned max_threads) : pool_(max_threads) {}

void Executor::set_default_workers(unsigned workers) {
  default_workers_.store(workers == 0 ? builtin_default_workers
                                      : std::min(workers, max_workers),
                         std::memory_order_relaxed);
}

} // namespace xcs::runtime
