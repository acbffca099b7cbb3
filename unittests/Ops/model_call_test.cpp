//===- model_call_test.cpp - The simulated model call ---------------------===//
//
// Expected responses were computed independently (a few lines of Python
// implementing FNV-1a 64 and the splitmix64 finalizer as documented in
// model_call.cpp), so these tests pin the hash across platforms.
//
//===----------------------------------------------------------------------===//

#include "xcs/error.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace xcs::ops {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

ModelCallOptions options(std::string name = "Model", std::uint64_t seed = 0) {
  ModelCallOptions result;
  result.name = std::move(name);
  result.seed = seed;
  return result;
}

std::string ask(const ModelCall &model, std::string prompt) {
  return std::string(
      model(Record{{"prompt", std::move(prompt)}}).at("response").as_string());
}

bool fails(const ModelCall &model, std::string prompt) {
  try {
    ask(model, std::move(prompt));
    return false;
  } catch (const std::runtime_error &) {
    return true;
  }
}

TEST(ModelCall, HasTheModelSpecification) {
  auto model = model_call(options("Gpt"));
  EXPECT_EQ(model->name(), "Gpt");
  EXPECT_EQ(model->spec().to_string(),
            "(prompt: string) -> (response: string)");
}

TEST(ModelCall, AnswersDeterministicallyFromPromptAndSeed) {
  EXPECT_EQ(ask(*model_call(options()), "hello"), "Model:004c3c22e05ef50a");
  EXPECT_EQ(ask(*model_call(options("Model", 7)), "hello"),
            "Model:d3fbb67fc35d96f8");
  auto first = model_call(options("M", 3)),
       second = model_call(options("M", 3));
  EXPECT_EQ(ask(*first, "same"), ask(*second, "same"));
  EXPECT_NE(ask(*first, "same"), ask(*first, "other"));
}

TEST(ModelCall, VocabularyLimitsTheAnswers) {
  ModelCallOptions opts = options("Model", 7);
  opts.vocabulary = 5;
  EXPECT_EQ(ask(*model_call(opts), "hello"), "answer-2");
  const char *expected[] = {"answer-0", "answer-2", "answer-1"};
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    ModelCallOptions member = options("M", seed);
    member.vocabulary = 3;
    EXPECT_EQ(ask(*model_call(member), "What is the capital of France?"),
              expected[seed - 1]);
  }
}

TEST(ModelCall, CountsEveryCall) {
  ModelCallOptions opts = options();
  opts.fail_on = "boom";
  auto model = model_call(opts);
  EXPECT_EQ(model->calls(), 0u);
  ask(*model, "a");
  EXPECT_FALSE(fails(*model, "b"));
  EXPECT_TRUE(fails(*model, "boom"));
  EXPECT_EQ(model->calls(), 3u);
}

TEST(ModelCall, CountsCallsFromManyThreads) {
  auto model = model_call(options());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i)
        ask(*model, "p" + std::to_string(i));
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(model->calls(), 1000u);
}

TEST(ModelCall, FailsOnPromptsContainingText) {
  ModelCallOptions opts = options("Flaky");
  opts.fail_on = "poison";
  auto model = model_call(opts);
  EXPECT_THAT([&] { ask(*model, "a poisoned prompt"); },
              ThrowsMessage<std::runtime_error>(
                  "model 'Flaky' failed on prompt 'a poisoned prompt'"));
  EXPECT_FALSE(fails(*model, "a fine prompt"));
}

TEST(ModelCall, FailureIsNotAnInputError) {
  ModelCallOptions opts = options();
  opts.failure_rate = 1.0;
  auto model = model_call(opts);
  try {
    ask(*model, "x");
    FAIL() << "expected a failure";
  } catch (const Error &) {
    FAIL() << "a model failure must not be an xcs::Error";
  } catch (const std::runtime_error &) {
  }
}

TEST(ModelCall, FailureRateExtremes) {
  ModelCallOptions always = options(), never = options();
  always.failure_rate = 1.0;
  auto failing = model_call(always), working = model_call(never);
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(fails(*failing, "p" + std::to_string(i)));
    EXPECT_FALSE(fails(*working, "p" + std::to_string(i)));
  }
}

TEST(ModelCall, FailureRateIsApproximatelyHonouredAndDeterministic) {
  ModelCallOptions opts = options("Model", 42);
  opts.failure_rate = 0.3;
  auto model = model_call(opts), twin = model_call(opts);
  int failures = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string prompt = "prompt-" + std::to_string(i);
    bool failed = fails(*model, prompt);
    failures += failed;
    if (i < 100) {
      EXPECT_EQ(fails(*twin, prompt), failed) << prompt;
    }
  }
  EXPECT_GT(failures, 2800);
  EXPECT_LT(failures, 3200);
}

TEST(ModelCall, SleepsForTheLatency) {
  ModelCallOptions opts = options();
  opts.latency = std::chrono::milliseconds(20);
  auto model = model_call(opts);
  auto start = std::chrono::steady_clock::now();
  ask(*model, "wait");
  EXPECT_GE(std::chrono::steady_clock::now() - start, opts.latency);
}

TEST(ModelCall, RejectsBadOptions) {
  for (double rate : {-0.1, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    ModelCallOptions opts = options("Bad");
    opts.failure_rate = rate;
    EXPECT_THAT([&] { model_call(opts); },
                ThrowsMessage<InputError>(
                    AllOf(HasSubstr("'Bad'"), HasSubstr("'failure_rate'"))));
  }
  ModelCallOptions slow = options("Bad");
  slow.latency = std::chrono::microseconds(-1);
  EXPECT_THAT([&] { model_call(slow); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'Bad'"), HasSubstr("'latency'"))));
  EXPECT_THAT([] { model_call(options("")); },
              ThrowsMessage<InputError>(HasSubstr("name is empty")));
}

TEST(ModelCall, RejectsWrongInputs) {
  auto model = model_call(options("Gpt"));
  EXPECT_THAT(
      [&] {
        (*model)(Record{{"prompt", 1}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Gpt'"), HasSubstr("'prompt'"),
                                      HasSubstr("expected string, got int"))));
  EXPECT_THAT(
      [&] {
        (*model)(Record{{"prompt", "x"}, {"extra", 1}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Gpt'"), HasSubstr("'extra'"))));
  EXPECT_EQ(model->calls(), 0u);
}

} // namespace
} // namespace xcs::ops
