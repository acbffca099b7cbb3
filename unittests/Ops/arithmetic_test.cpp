//===- arithmetic_test.cpp - affine, binary, counter ----------------------===//

#include "test_util.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <thread>

namespace xcs::ops {
namespace {

using test::dependencies_of;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr std::int64_t max_int = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t min_int = std::numeric_limits<std::int64_t>::min();

Value apply(const OperatorPtr &op, Value lhs, Value rhs) {
  return (*op)(Record{{"a", std::move(lhs)}, {"b", std::move(rhs)}}).at("y");
}

TEST(Affine, ComputesOnInts) {
  OperatorPtr op = affine(3, -4);
  EXPECT_EQ(op->name(), "Affine");
  EXPECT_EQ(op->spec().to_string(), "(x: any) -> (y: any)");
  EXPECT_EQ((*op)(Record{{"x", 5}}), (Record{{"y", 11}}));
  EXPECT_EQ((*op)(Record{{"x", -2}}), (Record{{"y", -10}}));
}

TEST(Affine, GivesADoubleForADouble) {
  Value y = (*affine(2, 1))(Record{{"x", 0.25}}).at("y");
  ASSERT_TRUE(y.is_double());
  EXPECT_EQ(y.as_double(), 1.5);
}

TEST(Affine, UsesTheGivenFieldNames) {
  OperatorPtr op = affine(1, 1, "in", "out");
  EXPECT_EQ((*op)(Record{{"in", 1}}), (Record{{"out", 2}}));
  auto deps = dependencies_of(op);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].output, FieldId("out"));
  EXPECT_EQ(deps[0].inputs, std::vector<FieldId>{FieldId("in")});
}

TEST(Affine, RejectsNonNumbers) {
  OperatorPtr op = affine(1, 0);
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", "5"}});
      },
      ThrowsMessage<InputError>(
          "operator 'Affine': input field 'x': expected int or "
          "double, got string"));
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", Value::list({})}});
      },
      ThrowsMessage<InputError>(HasSubstr("got list")));
  EXPECT_THAT(
      [&] { (*op)(Record{}); },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Affine'"), HasSubstr("'x'"),
                                      HasSubstr("missing"))));
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", 1}, {"z", 1}});
      },
      ThrowsMessage<InputError>(HasSubstr("'z'")));
}

TEST(Affine, ReportsOverflowInsteadOfWrapping) {
  EXPECT_THAT(
      [] {
        (*affine(2, 0))(Record{{"x", max_int}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Affine'"),
                                      HasSubstr("integer overflow"),
                                      HasSubstr("*"))));
  EXPECT_THAT(
      [] {
        (*affine(1, 1))(Record{{"x", max_int}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Affine'"), HasSubstr("+"))));
  EXPECT_EQ((*affine(1, -1))(Record{{"x", min_int + 1}}).at("y"),
            Value(min_int));
}

TEST(Affine, RejectsEmptyFieldNames) {
  EXPECT_THAT([] { affine(1, 0, "", "y"); },
              ThrowsMessage<InputError>(AllOf(HasSubstr("'Affine'"),
                                              HasSubstr("empty input field"))));
  EXPECT_THAT([] { affine(1, 0, "x", ""); },
              ThrowsMessage<InputError>(HasSubstr("empty output field")));
}

TEST(Binary, ComputesEachOperation) {
  EXPECT_EQ(apply(binary(BinaryOp::Add), 7, 5), Value(12));
  EXPECT_EQ(apply(binary(BinaryOp::Sub), 7, 5), Value(2));
  EXPECT_EQ(apply(binary(BinaryOp::Mul), 7, -5), Value(-35));
  EXPECT_EQ(binary(BinaryOp::Add)->name(), "Add");
  EXPECT_EQ(binary(BinaryOp::Sub)->name(), "Sub");
  EXPECT_EQ(binary(BinaryOp::Mul)->name(), "Mul");
}

TEST(Binary, MixingInADoubleGivesADouble) {
  Value sum = apply(binary(BinaryOp::Add), 1, 0.5);
  ASSERT_TRUE(sum.is_double());
  EXPECT_EQ(sum.as_double(), 1.5);
  EXPECT_EQ(apply(binary(BinaryOp::Mul), 2.5, 2), Value(5.0));
  EXPECT_EQ(apply(binary(BinaryOp::Sub), 0.5, 0.25), Value(0.25));
}

TEST(Binary, UsesTheGivenFieldNames) {
  OperatorPtr op = binary(BinaryOp::Sub, "l", "r", "d");
  EXPECT_EQ(op->spec().to_string(), "(l: any, r: any) -> (d: any)");
  EXPECT_EQ((*op)(Record{{"l", 1}, {"r", 3}}), (Record{{"d", -2}}));
  auto deps = dependencies_of(op);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].inputs, (std::vector<FieldId>{FieldId("l"), FieldId("r")}));
}

TEST(Binary, ReportsOverflowForEachOperation) {
  EXPECT_THAT([] { apply(binary(BinaryOp::Add), max_int, 1); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'Add'"), HasSubstr("integer overflow"))));
  EXPECT_THAT([] { apply(binary(BinaryOp::Sub), min_int, 1); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'Sub'"), HasSubstr("integer overflow"))));
  EXPECT_THAT([] { apply(binary(BinaryOp::Mul), min_int, -1); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'Mul'"), HasSubstr("integer overflow"))));
}

TEST(Binary, RejectsNonNumbersNamingTheField) {
  EXPECT_THAT([] { apply(binary(BinaryOp::Mul), 1, true); },
              ThrowsMessage<InputError>(
                  "operator 'Mul': input field 'b': expected int or double, "
                  "got bool"));
  EXPECT_THAT(
      [] { apply(binary(BinaryOp::Add), nullptr, 1); },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Add'"), HasSubstr("'a'"), HasSubstr("got null"))));
}

TEST(Binary, RejectsBadFieldNames) {
  EXPECT_THAT([] { binary(BinaryOp::Add, "a", "a"); },
              ThrowsMessage<InputError>(AllOf(
                  HasSubstr("'Add'"), HasSubstr("duplicate input field 'a'"))));
  EXPECT_THAT([] { binary(BinaryOp::Sub, "a", "b", ""); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'Sub'"), HasSubstr("empty output field"))));
}

TEST(Counter, CountsUpFromOne) {
  OperatorPtr op = counter();
  EXPECT_EQ(op->name(), "Counter");
  EXPECT_EQ(op->spec().to_string(), "() -> (count: int)");
  for (std::int64_t expected = 1; expected <= 3; ++expected)
    EXPECT_EQ((*op)(Record{}), (Record{{"count", expected}}));
  EXPECT_EQ((*counter("n"))(Record{}), (Record{{"n", 1}}));
  EXPECT_TRUE(dependencies_of(op).at(0).inputs.empty());
}

TEST(Counter, EachInstanceCountsAlone) {
  OperatorPtr first = counter(), second = counter();
  (*first)(Record{});
  EXPECT_EQ((*second)(Record{}).at("count"), Value(1));
}

TEST(Counter, GivesEveryThreadDistinctCounts) {
  OperatorPtr op = counter();
  constexpr int threads = 4, calls = 2000;
  std::vector<std::vector<std::int64_t>> seen(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < calls; ++i)
        seen[t].push_back((*op)(Record{}).at("count").as_int());
    });
  for (std::thread &worker : workers)
    worker.join();
  std::vector<std::int64_t> all;
  for (const auto &counts : seen)
    all.insert(all.end(), counts.begin(), counts.end());
  std::sort(all.begin(), all.end());
  for (std::size_t i = 0; i < all.size(); ++i)
    ASSERT_EQ(all[i], static_cast<std::int64_t>(i + 1));
}

TEST(Counter, RejectsInputsAndBadNames) {
  EXPECT_THAT(
      [] {
        (*counter())(Record{{"x", 1}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Counter'"), HasSubstr("'x'"))));
  EXPECT_THAT([] { counter(""); },
              ThrowsMessage<InputError>(HasSubstr("empty output field")));
}

} // namespace
} // namespace xcs::ops
