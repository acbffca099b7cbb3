//===- jit_load_test.cpp - The load scenario, briefly ---------------------===//
//
// The scenario of xcs-stress-load (bench/jit_load_scenario.h) for two
// seconds on four threads, so the sanitizer builds run it: threads call,
// replace and retune jit operators while a global bound of 16 plans evicts
// plans under them. xcs-stress-load runs it for a minute.
//
//===----------------------------------------------------------------------===//

#include "JIT/compiled_module.h"
#include "JIT/jit_cache.h"
#include "jit_load_scenario.h"
#include "xcs/log.h"

#include <gtest/gtest.h>

namespace xcs {
namespace {

TEST(JitLoadTest, ThreadsCallReplaceAndRetuneUnderEviction) {
  std::size_t plans_before = JITCache::global().size();
  std::size_t modules_before = live_compiled_modules();
  std::uint64_t evictions_before = JITCache::global().evictions();
  bench::LoadOptions options;
  options.threads = 4;
  options.duration = std::chrono::seconds(2);
  // 4 x 100 calls over 100 slots need far more than 16 plans, whatever
  // the speed of the build.
  options.min_calls_per_thread = 100;
  // Operators reach their plan bound on purpose; each would warn once.
  LogLevel level = log_level();
  set_log_level(LogLevel::Error);

  bench::LoadFigures figures = bench::run_load(options);
  set_log_level(level);

  EXPECT_GE(figures.calls, 400u);
  EXPECT_EQ(figures.mismatches, 0u);
  EXPECT_EQ(figures.errors, 0u);
  EXPECT_GT(JITCache::global().evictions(), evictions_before);
  EXPECT_EQ(JITCache::global().size(), plans_before);
  EXPECT_EQ(live_compiled_modules(), modules_before);
}

} // namespace
} // namespace xcs
