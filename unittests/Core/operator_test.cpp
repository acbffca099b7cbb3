//===- operator_test.cpp - Tests for xcs::Operator ------------------------===//

#include "xcs/operator.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <stdexcept>
#include <thread>

namespace xcs {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

/// An operator whose forward() runs a given function and counts its calls.
class Scripted : public Operator {
public:
  explicit Scripted(std::function<Record(const Record &)> body)
      : Operator("Scripted",
                 Specification().input("x", Kind::Int).output("y", Kind::Int)),
        body_(std::move(body)) {}

  Record forward(const Record &inputs) const override {
    ++calls_;
    return body_(inputs);
  }
  int calls() const { return calls_; }

private:
  std::function<Record(const Record &)> body_;
  mutable std::atomic<int> calls_{0};
};

Record increment(const Record &inputs) {
  return Record{{"y", inputs.at("x").as_int() + 1}};
}

TEST(OperatorTest, CallRunsForward) {
  Scripted op(increment);
  EXPECT_EQ(op.name(), "Scripted");
  EXPECT_EQ(op.spec().to_string(), "(x: int) -> (y: int)");
  EXPECT_EQ(op(Record{{"x", 41}}), (Record{{"y", 42}}));
  EXPECT_EQ(op.calls(), 1);
}

bool strictly_increasing(const std::vector<OperatorId> &ids) {
  return std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) ==
         ids.end();
}

TEST(OperatorTest, IdsAreUniqueIncreasingAndNonZero) {
  std::vector<OperatorId> ids;
  for (int i = 0; i < 100; ++i)
    ids.push_back(Scripted(increment).id());
  EXPECT_NE(ids.front(), 0u);
  // Instances are destroyed right away, so a reused address must not mean a
  // reused id.
  EXPECT_TRUE(strictly_increasing(ids));
}

TEST(OperatorTest, IdsAreUniqueAcrossThreads) {
  constexpr int thread_count = 8;
  constexpr int per_thread = 1000;
  std::vector<std::vector<OperatorId>> ids(thread_count);
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t)
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < per_thread; ++i)
        ids[t].push_back(Scripted(increment).id());
    });
  for (std::thread &thread : threads)
    thread.join();
  std::vector<OperatorId> all;
  for (const auto &some : ids) {
    // Each thread sees its own ids grow.
    EXPECT_TRUE(strictly_increasing(some));
    all.insert(all.end(), some.begin(), some.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  EXPECT_NE(all.front(), 0u);
}

TEST(OperatorTest, BadInputIsRejectedBeforeForward) {
  Scripted op(increment);
  EXPECT_THAT(
      [&] {
        op(Record{{"x", "one"}});
      },
      ThrowsMessage<InputError>(
          HasSubstr("operator 'Scripted': input field 'x': expected int, got "
                    "string")));
  EXPECT_THAT([&] { op(Record{}); },
              ThrowsMessage<InputError>(
                  HasSubstr("operator 'Scripted': input field 'x': missing")));
  EXPECT_EQ(op.calls(), 0);
}

struct BadOutputCase {
  const char *name;
  std::function<Record(const Record &)> body;
  const char *message;
};

class BadOutputTest : public ::testing::TestWithParam<BadOutputCase> {};

TEST_P(BadOutputTest, IsRejectedAfterForward) {
  Scripted op(GetParam().body);
  EXPECT_THAT(
      [&] {
        op(Record{{"x", 1}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("operator 'Scripted': output field 'y'"),
                HasSubstr(GetParam().message))));
  EXPECT_EQ(op.calls(), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Outputs, BadOutputTest,
    ::testing::Values(BadOutputCase{"missing",
                                    [](const Record &) { return Record{}; },
                                    "missing (expected int)"},
                      BadOutputCase{"wrong_kind",
                                    [](const Record &) {
                                      return Record{{"y", "2"}};
                                    },
                                    "expected int, got string"}),
    [](const auto &info) { return info.param.name; });

// A type no handler in the library knows, to show nothing is converted.
struct CustomFailure : std::logic_error {
  using std::logic_error::logic_error;
};

TEST(OperatorTest, ForwardExceptionsPropagateUnchanged) {
  Scripted op([](const Record &) -> Record {
    throw CustomFailure("model endpoint unreachable");
  });
  EXPECT_THAT(
      [&] {
        op(Record{{"x", 1}});
      },
      ThrowsMessage<CustomFailure>(
          ::testing::StrEq("model endpoint unreachable")));
}

} // namespace
} // namespace xcs
