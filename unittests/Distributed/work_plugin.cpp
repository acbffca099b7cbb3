//===- Distributed/work_plugin.cpp - Operators for the MPI tests ----------===//
///
/// \file
/// The operator plugin the tests and the benchmark of runs across ranks
/// load: "work", {x: int} -> {y: int}, y a hash of x over `iterations`
/// rounds of arithmetic (CPU-bound, the same on every rank). What varies by
/// rank comes from the environment, which mpirun hands every rank alike,
/// so each rank checks its own number (OMPI_COMM_WORLD_RANK):
///
///   XCS_TEST_ITEM_MS=M                         every rank sleeps M ms an item
///   XCS_TEST_SLOW_RANK=R, XCS_TEST_SLOW_MS=M   rank R sleeps M ms instead
///   XCS_TEST_KILL_RANK=R, XCS_TEST_KILL_AFTER=N rank R dies (SIGKILL) when
///                                              its N+1-th item starts
///   XCS_TEST_BIND_FAIL_RANK=R                  rank R cannot make "work"
///
//===----------------------------------------------------------------------===//

#include "xcs/error.h"
#include "xcs/registry.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

namespace {

/// The environment variable \p name as a number, or -1.
long env_number(const char *name) {
  const char *text = std::getenv(name);
  return text && *text ? std::strtol(text, nullptr, 10) : -1;
}

long my_rank() { return env_number("OMPI_COMM_WORLD_RANK"); }

class Work : public xcs::Operator {
public:
  explicit Work(std::int64_t iterations)
      : Operator("Work", xcs::Specification()
                             .input("x", xcs::Kind::Int)
                             .output("y", xcs::Kind::Int)),
        iterations_(iterations),
        slow_(my_rank() >= 0 && my_rank() == env_number("XCS_TEST_SLOW_RANK")),
        kill_(my_rank() >= 0 && my_rank() == env_number("XCS_TEST_KILL_RANK")) {
  }

  xcs::Record forward(const xcs::Record &inputs) const override {
    if (kill_ && started_.fetch_add(1) >= env_number("XCS_TEST_KILL_AFTER"))
      std::raise(SIGKILL);
    long sleep_ms = env_number(slow_ ? "XCS_TEST_SLOW_MS" : "XCS_TEST_ITEM_MS");
    if (sleep_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    auto h = static_cast<std::uint64_t>(inputs.at("x").as_int());
    for (std::int64_t i = 0; i < iterations_; ++i)
      h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull + 0x9e3779b97f4a7c15ull;
    return {{"y", static_cast<std::int64_t>(h >> 1)}};
  }

private:
  std::int64_t iterations_;
  bool slow_;
  bool kill_;
  mutable std::atomic<long> started_{0};
};

xcs::OperatorPtr make_work(const xcs::Value &arguments) {
  if (my_rank() >= 0 && my_rank() == env_number("XCS_TEST_BIND_FAIL_RANK"))
    throw xcs::InputError("this rank has no license for 'work'");
  const xcs::Value *iterations = arguments.is_record()
                                     ? arguments.as_record().find("iterations")
                                     : nullptr;
  if (iterations && (!iterations->is_int() || iterations->as_int() < 0))
    throw xcs::InputError("argument 'iterations' must be a whole number >= 0");
  return std::make_shared<Work>(iterations ? iterations->as_int() : 0);
}

} // namespace

extern "C" void xcs_register_operators(xcs::OperatorRegistry &registry) {
  registry.add("work", make_work);
}
