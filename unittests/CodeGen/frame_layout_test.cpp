//===- frame_layout_test.cpp - Where compiled code keeps values -----------===//

#include "CodeGen/frame_layout.h"

#include "Runtime/runtime_abi.h"

#include "scheduled_ir.h"

#include <gtest/gtest.h>

namespace xcs::codegen {
namespace {

constexpr std::uint32_t none = FrameLayout::none;

/// Calls whose results are read by field (%2, %9) and used whole (%4 in a
/// list, %6 through a path that starts with an index).
constexpr std::string_view text = R"(
operator @f "F"
graph @g(x) -> (a, b, c, d, e, f) {
  %0 = input x
  %1 = const 7
  %2 = call @f(x: %0)
  %3 = get %2 y
  %4 = call @f(x: %1)
  %5 = list [%4, %3]
  %6 = call @f(x: %3)
  %7 = get %6 [0]
  %8 = get %5 [1]
  %9 = call @f(x: %0)
  %10 = get %9 y.z
  %11 = const "s"
  output a: %3, b: %5, c: %7, d: %8, e: %10, f: %11
}
)";

class FrameLayoutTest : public ::testing::Test {
protected:
  FrameLayoutTest()
      : module_(test::scheduled(text)),
        layout_(layout_frame(module_.function)) {}

  const ir::Node &node(ir::NodeIndex i) const {
    return module_.function.nodes[i];
  }

  ir::Module module_;
  FrameLayout layout_;
};

TEST_F(FrameLayoutTest, GivesEachCallARecordSlotInNodeOrder) {
  EXPECT_EQ(layout_.shape.record_slots, 4u);
  std::vector<std::uint32_t> expected(module_.function.nodes.size(), none);
  expected[2] = 0;
  expected[4] = 1;
  expected[6] = 2;
  expected[9] = 3;
  EXPECT_EQ(layout_.record_slot, expected);
}

TEST_F(FrameLayoutTest, BoxesOnlyCallsUsedWhole) {
  EXPECT_FALSE(layout_.boxed[2]);
  EXPECT_TRUE(layout_.boxed[4]);
  EXPECT_TRUE(layout_.boxed[6]);
  EXPECT_FALSE(layout_.boxed[9]);
}

TEST_F(FrameLayoutTest, NumbersValueSlotsDenselyLeavingOutUnboxedCalls) {
  // The input %0 is only read whole, by %2 and %9: no slot either.
  std::vector<std::uint32_t> expected = {none, 0, none, 1, 2, 3,   4,
                                         5,    6, none, 7, 8, none};
  EXPECT_EQ(layout_.value_slot, expected);
  EXPECT_EQ(layout_.shape.value_slots, 9u);
}

TEST_F(FrameLayoutTest, NodesSharingASlotStillShareOne) {
  module_.function.slots[5] = module_.function.slots[3];
  FrameLayout shared = layout_frame(module_.function);
  EXPECT_EQ(shared.value_slot[5], shared.value_slot[3]);
  EXPECT_EQ(shared.shape.value_slots, 8u);
}

TEST_F(FrameLayoutTest, ReadersOfOneRecordUnderItsOwnNamesReadItWhole) {
  EXPECT_EQ(layout_.whole[2], runtime::whole_input_record);
  EXPECT_EQ(layout_.whole[9], runtime::whole_input_record);
  // %4 reads a constant, %6 reads y as x, the output mixes sources.
  EXPECT_EQ(layout_.whole[4], runtime::no_whole_record);
  EXPECT_EQ(layout_.whole[6], runtime::no_whole_record);
  EXPECT_EQ(layout_.whole[12], runtime::no_whole_record);
  EXPECT_EQ(layout_.whole[3], runtime::no_whole_record);
}

TEST_F(FrameLayoutTest, AGetReadOnlyWholeHasNoSlot) {
  ir::Module module = test::scheduled(R"(
operator @f "F"
graph @g(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  output y: %2
}
)");
  FrameLayout layout = layout_frame(module.function);
  EXPECT_EQ(layout.whole[3], 0u);
  EXPECT_EQ(layout.value_slot[0], none);
  EXPECT_EQ(layout.value_slot[2], none);
  EXPECT_EQ(layout.shape.value_slots, 0u);
  // The output returns %1's record whole: the call builds it in place.
  EXPECT_EQ(layout.shape.output_record, 0u);
}

TEST_F(FrameLayoutTest, AnOutputOfSeveralSourcesBindsNoRecordSlot) {
  EXPECT_EQ(layout_.shape.output_record, runtime::FrameShape::no_output_record);
}

TEST_F(FrameLayoutTest, GetsReadRecordSlotsOnlyThroughAField) {
  EXPECT_TRUE(reads_record(module_.function, node(3)));
  EXPECT_FALSE(reads_record(module_.function, node(7)));
  EXPECT_FALSE(reads_record(module_.function, node(8)));
  EXPECT_TRUE(reads_record(module_.function, node(10)));
}

TEST_F(FrameLayoutTest, OnlyGetsOfOneFieldOfACallHaveTheirOwnHelper) {
  EXPECT_TRUE(reads_field(module_.function, node(3)));
  EXPECT_FALSE(reads_field(module_.function, node(7)));
  EXPECT_FALSE(reads_field(module_.function, node(10)));
}

TEST_F(FrameLayoutTest, NumbersConstantsAndPathsInNodeOrder) {
  EXPECT_EQ(layout_.table_index[1], 0u);
  EXPECT_EQ(layout_.table_index[11], 1u);
  EXPECT_EQ(layout_.table_index[3], 0u);
  EXPECT_EQ(layout_.table_index[7], 1u);
  EXPECT_EQ(layout_.table_index[8], 2u);
  EXPECT_EQ(layout_.table_index[10], 3u);
  EXPECT_EQ(layout_.table_index[0], none);
  EXPECT_EQ(layout_.table_index[2], none);
}

TEST_F(FrameLayoutTest, SideTablesFollowTheSameNumbering) {
  SideTables tables = collect_side_tables(module_.function);
  EXPECT_EQ(tables.constants, (std::vector<Value>{7, "s"}));
  EXPECT_EQ(tables.paths,
            (std::vector<Path>{Path::parse("y"), Path().index(0),
                               Path().index(1), Path::parse("y.z")}));
}

} // namespace
} // namespace xcs::codegen
