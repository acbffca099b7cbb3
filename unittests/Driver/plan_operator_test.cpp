//===- plan_operator_test.cpp - An IR file's plan as an operator ----------===//
//
// xcs-run runs a routing-IR file through a PlanOperator. A plan whose calls
// are all asynchronous must hold no thread per item: call_async starts it
// and returns while its calls are in flight.
//
//===----------------------------------------------------------------------===//

#include "Driver/builtin_operators.h"
#include "Driver/plan_operator.h"
#include "xcs/async.h"
#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace xcs {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<PlanOperator> plan_of(std::string_view name,
                                      std::string_view text) {
  std::string path = ::testing::TempDir() + "plan-operator-" +
                     std::string(name) + ".xcs";
  std::ofstream(path) << text;
  OperatorRegistry registry;
  add_builtin_operators(registry);
  auto dump = std::make_shared<const DumpPlan>(
      plan_ir_file(path, registry, OptLevel::O0, /*compile=*/true));
  return std::make_shared<PlanOperator>(std::string(name), std::move(dump));
}

/// The plan of one model_call with \p options (a JSON object's members)
/// on the prompt.
std::shared_ptr<PlanOperator> model_plan(std::string_view name,
                                         std::string_view options) {
  return plan_of(name, "operator @op0 \"model_call\" {" + std::string(options) +
                           R"(}
graph @Model(prompt) -> (response) {
  %0 = input prompt
  %1 = call async @op0(prompt: %0)
  %2 = get %1 response
  output response: %2
}
)");
}

/// Counts outcomes as they arrive from any thread.
struct Arrivals {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<CallOutcome> outcomes;

  std::function<void(CallOutcome)> callback() {
    return [this](CallOutcome outcome) {
      std::lock_guard lock(mutex);
      outcomes.push_back(std::move(outcome));
      changed.notify_all();
    };
  }
  std::size_t wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(30),
                     [&] { return outcomes.size() >= count; });
    return outcomes.size();
  }
};

TEST(PlanOperator, APlanOfAsynchronousCallsStartsWithoutHoldingTheThread) {
  // Each call waits a minute on the timer thread: 500 calls started on
  // this thread are all in flight at once only if none held it. Cancelling
  // them ends them all at once.
  auto plan = model_plan("slow", R"("latency_us":60000000,"name":"Slow")");
  ASSERT_TRUE(plan->can_start(Record{{"prompt", "hi"}}));
  Arrivals arrivals;
  std::vector<CallHandle> handles;
  for (int i = 0; i < 500; ++i)
    handles.push_back(call_async(
        *plan, Record{{"prompt", "p" + std::to_string(i)}},
        arrivals.callback()));
  {
    std::lock_guard lock(arrivals.mutex);
    EXPECT_EQ(arrivals.outcomes.size(), 0u);
  }
  for (const CallHandle &handle : handles)
    handle.cancel();
  ASSERT_EQ(arrivals.wait_for(500), 500u);
  for (const CallOutcome &outcome : arrivals.outcomes)
    EXPECT_THAT([&] { std::rethrow_exception(outcome.error); },
                ::testing::ThrowsMessage<ExecutionError>(
                    HasSubstr("node '%1' (operator 'Slow') failed: model "
                              "'Slow': call cancelled")));
}

TEST(PlanOperator, APlanWithASynchronousCallRunsOnTheCaller) {
  auto plan = plan_of("affine", R"(
operator @f "affine" {"mul": 2, "add": 1, "out": "y"}
graph @double(x) -> (y) {
  %x = input x
  %c = call @f(x: %x)
  %y = get %c y
  output y: %y
}
)");
  EXPECT_FALSE(plan->can_start(Record{{"x", 1}}));
  bool ended = false;
  call_async(*plan, Record{{"x", 4}}, [&](CallOutcome outcome) {
    ASSERT_TRUE(outcome.outputs);
    EXPECT_EQ(*outcome.outputs, (Record{{"y", 9}}));
    ended = true;
  });
  EXPECT_TRUE(ended);
}

TEST(PlanOperator, AFailingCallEndsAStartedRunWithThePlansError) {
  auto plan = model_plan("failing", R"("fail_on":"boom","name":"Failing")");
  Arrivals arrivals;
  call_async(*plan, Record{{"prompt", "boom"}}, arrivals.callback());
  call_async(*plan, Record{{"prompt", "fine"}}, arrivals.callback());
  ASSERT_EQ(arrivals.wait_for(2), 2u);
  std::vector<std::string> seen;
  for (const CallOutcome &outcome : arrivals.outcomes)
    seen.push_back(outcome.error ? describe(outcome.error)
                                 : std::string(outcome.outputs->at("response").as_string()));
  EXPECT_THAT(seen, ::testing::Contains(HasSubstr("model 'Failing' failed on "
                                                  "prompt 'boom'")));
  EXPECT_THAT(seen, ::testing::Contains(::testing::Not(HasSubstr("boom"))));
}

} // namespace
} // namespace xcs
