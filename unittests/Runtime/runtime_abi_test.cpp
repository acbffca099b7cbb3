//===- runtime_abi_test.cpp - The helpers compiled code calls -------------===//
//
// The helpers are plain functions: these tests call them as compiled code
// would, with a frame and indexes, and check the slots and the failures.
//
//===----------------------------------------------------------------------===//

#include "Runtime/runtime_abi.h"

#include "xcs/error.h"
#include "xcs/ops.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <set>
#include <stdexcept>
#include <string>

namespace xcs::runtime {
namespace {

std::uint32_t field(const char *name) { return FieldId(name).index(); }

OperatorPtr thrower() {
  return ops::function(
      "Thrower", Specification().open_inputs(),
      [](const Record &) -> Record { throw std::logic_error("boom"); });
}

/// Runs xcs_rt_call for \p node as compiled code does, with a call site of
/// the other arguments.
std::int32_t call_node(Frame &frame, std::uint32_t node, std::uint32_t op,
                       const std::uint32_t *pairs, std::uint32_t n,
                       std::uint32_t whole, std::uint32_t record_slot,
                       const std::uint32_t *reads, std::uint32_t m) {
  const CallSite site{op, record_slot, whole, n, m, no_slot, pairs, reads};
  return xcs_rt_call(&frame, node, &site);
}

void fill(RecordSlot &slot, Record record) {
  slot.fill([&] { return std::move(record); });
}

/// An operator declaring the output y: int, for checks.
OperatorPtr int_output() {
  return ops::function("IntOut", Specification().output("y", Kind::Int),
                       [](const Record &) {
                         return Record{{"y", 1}};
                       });
}

/// A frame with four value slots, two record slots, the input {x: 3},
/// operators [affine y = 2x + 1, Thrower, IntOut], constants [5], paths
/// [y, items[1]] and checked fields [IntOut's output y, checked by %6].
class RuntimeAbiTest : public ::testing::Test {
protected:
  RuntimeAbiTest()
      : input_{{"x", 3}}, operators_{ops::affine(2, 1), thrower(),
                                     int_output()},
        constants_{Value(5)}, paths_{Path::parse("y"), Path::parse("items[1]")},
        checked_fields_{{operators_[2]->spec().find_output(FieldId("y")),
                         operators_[2].get(), SpecSide::Outputs, 6}},
        tables_{operators_.data(), constants_.data(), paths_.data(),
                checked_fields_.data(), unproven_.data()},
        frame_({4, 2}, input_, tables_, output_) {}

  Record input_;
  std::vector<OperatorPtr> operators_;
  std::vector<Value> constants_;
  std::vector<Path> paths_;
  std::vector<FieldCheck> checked_fields_;
  /// No call's inputs are proven: every call validates them.
  std::vector<std::uint8_t> unproven_ = std::vector<std::uint8_t>(16, 0);
  Record output_;
  FrameTables tables_;
  Frame frame_;

  /// Runs %1 = call affine(x: slot 0 = \p x) into record slot 1, whose one
  /// reads triple is the fused check %6 of \p field, read by get %2.
  std::int32_t call_then_check(Value x, const char *field_name) {
    const std::uint32_t pairs[] = {field("x"), 0};
    const std::uint32_t reads[] = {2 | fused_check, field(field_name), 0};
    frame_.value(0) = std::move(x);
    return call_node(frame_, 1, 0, pairs, 1, no_whole_record, 1, reads, 1);
  }

  /// Expects the frame's failure to be check %6's of IntOut's output y,
  /// with an InputError whose message holds \p mismatch.
  void expect_check_failure(const std::string &mismatch) {
    EXPECT_EQ(frame_.failure().node, 6u);
    EXPECT_EQ(frame_.failure().what, "IntOut");
    try {
      std::rethrow_exception(frame_.failure().error);
    } catch (const InputError &error) {
      EXPECT_NE(std::string(error.what()).find(mismatch), std::string::npos)
          << error.what();
    }
  }
};

TEST_F(RuntimeAbiTest, InputCopiesTheInputField) {
  EXPECT_EQ(xcs_rt_input(&frame_, 0, field("x"), 2), 0);
  EXPECT_EQ(frame_.value(2), Value(3));
}

TEST_F(RuntimeAbiTest, ConstCopiesTheConstant) {
  EXPECT_EQ(xcs_rt_const(&frame_, 0, 0, 1), 0);
  EXPECT_EQ(frame_.value(1), Value(5));
}

TEST_F(RuntimeAbiTest, CallKeepsTheResultRecordInItsSlot) {
  frame_.value(0) = Value(4);
  const std::uint32_t pairs[] = {field("x"), 0};
  EXPECT_EQ(
      call_node(frame_, 1, 0, pairs, 1, no_whole_record, 1, nullptr, 0), 0);
  EXPECT_EQ(frame_.record(1).get(), (Record{{"y", 9}}));
  EXPECT_FALSE(frame_.failed());
}

TEST_F(RuntimeAbiTest, CallReadsFieldsOfItsResult) {
  frame_.value(0) = Value(4);
  const std::uint32_t pairs[] = {field("x"), 0};
  const std::uint32_t reads[] = {2, field("y"), 3, 3, field("y"), 2};
  EXPECT_EQ(call_node(frame_, 1, 0, pairs, 1, no_whole_record, 1, reads, 2),
            0);
  EXPECT_EQ(frame_.value(3), Value(9));
  EXPECT_EQ(frame_.value(2), Value(9));
}

TEST_F(RuntimeAbiTest, AMissingFieldReadByTheCallNamesTheGet) {
  frame_.value(0) = Value(4);
  const std::uint32_t pairs[] = {field("x"), 0};
  const std::uint32_t reads[] = {2, field("y"), 3, 5, field("nope"), 2};
  EXPECT_NE(call_node(frame_, 1, 0, pairs, 1, no_whole_record, 1, reads, 2),
            0);
  EXPECT_EQ(frame_.value(3), Value(9));
  EXPECT_EQ(frame_.failure().node, 5u);
  EXPECT_EQ(frame_.failure().what, "get");
}

TEST_F(RuntimeAbiTest, AThrowingOperatorBecomesTheFramesFailure) {
  EXPECT_NE(
      call_node(frame_, 7, 1, nullptr, 0, no_whole_record, 0, nullptr, 0),
      0);
  ASSERT_TRUE(frame_.failed());
  EXPECT_EQ(frame_.failure().node, 7u);
  EXPECT_EQ(frame_.failure().what, "Thrower");
  EXPECT_THROW(std::rethrow_exception(frame_.failure().error),
               std::logic_error);
}

TEST_F(RuntimeAbiTest, ASpecificationMismatchIsAFailureToo) {
  frame_.value(0) = Value("not a number");
  const std::uint32_t pairs[] = {field("x"), 0};
  EXPECT_NE(
      call_node(frame_, 2, 0, pairs, 1, no_whole_record, 0, nullptr, 0), 0);
  EXPECT_THROW(std::rethrow_exception(frame_.failure().error), InputError);
}

TEST_F(RuntimeAbiTest, TheEarliestNodesFailureIsKept) {
  EXPECT_NE(
      call_node(frame_, 1, 1, nullptr, 0, no_whole_record, 0, nullptr, 0),
      0);
  EXPECT_NE(xcs_rt_get_path(&frame_, 2, 0, 1, 1), 0);
  EXPECT_EQ(frame_.failure().node, 1u);
  EXPECT_EQ(frame_.failure().what, "Thrower");
  // A node before it that fails later in time is the one an eager call
  // reports.
  EXPECT_NE(xcs_rt_get_path(&frame_, 0, 0, 1, 1), 0);
  EXPECT_EQ(frame_.failure().node, 0u);
  EXPECT_EQ(frame_.failure().what, "get");
}

TEST_F(RuntimeAbiTest, ACallTakesAWholeRecordWithJustItsFields) {
  frame_.value(0) = Value(100);
  const std::uint32_t pairs[] = {field("x"), 0};
  // The input {x: 3} is used whole: slot 0 is not read.
  EXPECT_EQ(
      call_node(frame_, 1, 0, pairs, 1, whole_input_record, 0, nullptr, 0),
      0);
  EXPECT_EQ(frame_.record(0).get(), (Record{{"y", 7}}));
  // A record with other fields too gives the call just its fields, still
  // read from the record: {x: 5}.
  fill(frame_.record(1), Record{{"x", 5}, {"z", 6}});
  EXPECT_EQ(call_node(frame_, 1, 0, pairs, 1, 1, 0, nullptr, 0), 0);
  EXPECT_EQ(frame_.record(0).get(), (Record{{"y", 11}}));
  // Without a whole record the call gathers its value slots: {x: 100}.
  EXPECT_EQ(
      call_node(frame_, 1, 0, pairs, 1, no_whole_record, 0, nullptr, 0), 0);
  EXPECT_EQ(frame_.record(0).get(), (Record{{"y", 201}}));
}

TEST_F(RuntimeAbiTest, ACheckReadsTheValueSlotOrTheWholeRecord) {
  const std::uint32_t pairs[] = {field("y"), 0};
  auto check = [&](std::uint32_t whole) {
    return xcs_rt_check(&frame_, 6, 0, pairs, 1, whole);
  };
  frame_.value(0) = Value(1);
  EXPECT_EQ(check(no_whole_record), 0);
  fill(frame_.record(1), Record{{"y", 2}, {"z", "other"}});
  frame_.value(0) = Value("not an int");
  EXPECT_EQ(check(1), 0);
  EXPECT_FALSE(frame_.failed());
  EXPECT_NE(check(no_whole_record), 0);
  expect_check_failure("expected int, got string");
}

TEST_F(RuntimeAbiTest, ACallRunsTheChecksThatFollowIt) {
  // %2 = get %1 y (no slot), %6 checks %2 against IntOut's output y: int;
  // the check's triple stands for the get.
  EXPECT_EQ(call_then_check(Value(3), "y"), 0);
  EXPECT_FALSE(frame_.failed());
  EXPECT_NE(call_then_check(Value(1.5), "y"), 0);
  expect_check_failure("expected int, got double");
}

TEST_F(RuntimeAbiTest, AFusedCheckOfAMissingFieldFailsAsItsGet) {
  // The triple reads z, which affine does not return.
  EXPECT_NE(call_then_check(Value(3), "z"), 0);
  EXPECT_EQ(frame_.failure().node, 2u);
  EXPECT_EQ(frame_.failure().what, "get");
}

TEST_F(RuntimeAbiTest, AGetWithoutASlotOnlyChecksItsField) {
  fill(frame_.record(0), Record{{"y", 1}});
  frame_.value(2) = Value(7);
  EXPECT_EQ(xcs_rt_get_field(&frame_, 4, 0, field("y"), no_slot), 0);
  EXPECT_EQ(frame_.value(2), Value(7));
  EXPECT_NE(xcs_rt_get_field(&frame_, 4, 0, field("z"), no_slot), 0);
  EXPECT_EQ(frame_.failure().what, "get");
}

TEST_F(RuntimeAbiTest, TheOutputTakesAWholeRecord) {
  fill(frame_.record(1), Record{{"y", 9}});
  frame_.value(0) = Value(9);
  const std::uint32_t pairs[] = {field("y"), 0};
  EXPECT_EQ(xcs_rt_output(&frame_, 0, pairs, 1, 1), 0);
  EXPECT_EQ(output_, (Record{{"y", 9}}));
}

/// A frame of one record slot bound to the caller's result record, as for
/// a graph whose output returns a call's record whole.
class BoundOutputTest : public ::testing::Test {
protected:
  BoundOutputTest()
      : operators_{ops::affine(2, 1), thrower()},
        tables_{operators_.data(), nullptr, nullptr, nullptr,
                unproven_.data()},
        frame_({0, 1, 0}, input_, tables_, output_) {}

  Record input_{{"x", 3}};
  std::vector<OperatorPtr> operators_;
  std::vector<std::uint8_t> unproven_ = std::vector<std::uint8_t>(1, 0);
  Record output_;
  FrameTables tables_;
  Frame frame_;
};

TEST_F(BoundOutputTest, TheCallBuildsTheResultInPlace) {
  EXPECT_EQ(&frame_.record(0).get(), &output_);
  const std::uint32_t inputs[] = {field("x"), no_slot};
  ASSERT_EQ(
      call_node(frame_, 0, 0, inputs, 1, whole_input_record, 0, nullptr, 0),
      0);
  EXPECT_EQ(output_, (Record{{"y", 7}}));
}

TEST_F(BoundOutputTest, AFailedCallLeavesAnEmptyResult) {
  EXPECT_NE(
      call_node(frame_, 0, 1, nullptr, 0, no_whole_record, 0, nullptr, 0),
      0);
  EXPECT_TRUE(output_.empty());
}

TEST_F(RuntimeAbiTest, BoxStoresTheRecordAsAValue) {
  fill(frame_.record(1), Record{{"y", 1}});
  EXPECT_EQ(xcs_rt_box(&frame_, 0, 1, 3), 0);
  EXPECT_EQ(frame_.value(3), Value::record(Record{{"y", 1}}));
}

TEST_F(RuntimeAbiTest, GetFieldReadsTheRecordSlot) {
  fill(frame_.record(0), Record{{"y", 1}, {"z", 2}});
  EXPECT_EQ(xcs_rt_get_field(&frame_, 0, 0, field("z"), 2), 0);
  EXPECT_EQ(frame_.value(2), Value(2));
}

TEST_F(RuntimeAbiTest, AMissingFieldFailsLikeThePathLookup) {
  fill(frame_.record(0), Record{{"y", 1}});
  EXPECT_NE(xcs_rt_get_field(&frame_, 4, 0, field("z"), 2), 0);
  EXPECT_EQ(frame_.failure().what, "get");
  std::string expected;
  try {
    Path::parse("z").at(frame_.record(0).get());
  } catch (const InputError &error) {
    expected = error.what();
  }
  EXPECT_EQ(describe(frame_.failure().error), expected);
}

TEST_F(RuntimeAbiTest, GetRecordPathFollowsThePathIntoTheRecordSlot) {
  fill(frame_.record(1), Record{{"items", Value::list({1, 2})}});
  EXPECT_EQ(xcs_rt_get_record_path(&frame_, 0, 1, 1, 0), 0);
  EXPECT_EQ(frame_.value(0), Value(2));
}

TEST_F(RuntimeAbiTest, GetPathFollowsThePathIntoAValueSlot) {
  frame_.value(1) = Value::record(Record{{"y", "found"}});
  EXPECT_EQ(xcs_rt_get_path(&frame_, 0, 1, 0, 1), 0);
  EXPECT_EQ(frame_.value(1), Value("found"));
}

TEST_F(RuntimeAbiTest, AMissingPathIsAFailure) {
  frame_.value(1) = Value::record(Record{{"items", Value::list({1})}});
  EXPECT_NE(xcs_rt_get_path(&frame_, 5, 1, 1, 2), 0);
  EXPECT_EQ(frame_.failure().node, 5u);
  EXPECT_THROW(std::rethrow_exception(frame_.failure().error), InputError);
}

TEST_F(RuntimeAbiTest, ListRecordAndOutputGatherValueSlots) {
  frame_.value(0) = Value(1);
  frame_.value(1) = Value("two");
  const std::uint32_t slots[] = {1, 0, 1};
  EXPECT_EQ(xcs_rt_list(&frame_, 0, slots, 3, 2), 0);
  EXPECT_EQ(frame_.value(2), Value::list({"two", 1, "two"}));

  const std::uint32_t pairs[] = {field("a"), 0, field("b"), 2};
  EXPECT_EQ(xcs_rt_record(&frame_, 0, pairs, 2, 3), 0);
  EXPECT_EQ(frame_.value(3),
            Value::record(Record{{"a", 1}, {"b", frame_.value(2)}}));

  EXPECT_EQ(xcs_rt_output(&frame_, 0, pairs, 2, no_whole_record), 0);
  EXPECT_EQ(output_, (Record{{"a", 1}, {"b", frame_.value(2)}}));
}

TEST(RuntimeSymbolsTest, NameEveryHelperOnce) {
  std::set<std::string_view> names;
  for (const RuntimeSymbol &symbol : runtime_symbols()) {
    EXPECT_TRUE(symbol.name.starts_with("xcs_rt_")) << symbol.name;
    EXPECT_NE(symbol.address, nullptr) << symbol.name;
    EXPECT_TRUE(names.insert(symbol.name).second) << symbol.name;
  }
  EXPECT_EQ(names.size(), 21u);
}

} // namespace
} // namespace xcs::runtime
