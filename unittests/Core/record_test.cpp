//===- record_test.cpp - Tests for xcs::Record ----------------------------===//

#include "xcs/record.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace xcs {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(RecordTest, InitializerListSetsEveryField) {
  Record record{{"query", "hi"}, {"n", 3}};
  EXPECT_EQ(record.size(), 2u);
  EXPECT_EQ(record.at("query").as_string(), "hi");
  EXPECT_EQ(record.at(FieldId("n")).as_int(), 3);
}

TEST(RecordTest, InitializerListKeepsTheLastOfADuplicate) {
  Record record{{"n", 1}, {"n", 2}};
  EXPECT_EQ(record.size(), 1u);
  EXPECT_EQ(record.at("n").as_int(), 2);
}

TEST(RecordTest, SetAddsAndReplaces) {
  Record record;
  EXPECT_TRUE(record.empty());
  record.set("a", 1);
  record.set(FieldId("b"), "x");
  record.set("a", 2.5);
  EXPECT_EQ(record.size(), 2u);
  EXPECT_EQ(record.at("a"), Value(2.5));
  EXPECT_EQ(record.at("b"), Value("x"));
}

TEST(RecordTest, EraseReportsPresence) {
  Record record{{"a", 1}, {"b", 2}};
  EXPECT_TRUE(record.erase(FieldId("a")));
  EXPECT_FALSE(record.erase(FieldId("a")));
  EXPECT_FALSE(record.contains("a"));
  EXPECT_TRUE(record.contains(FieldId("b")));
  EXPECT_EQ(record.size(), 1u);
}

TEST(RecordTest, FindReturnsNullWhenAbsent) {
  Record record{{"a", 1}};
  ASSERT_NE(record.find("a"), nullptr);
  EXPECT_EQ(*record.find(FieldId("a")), Value(1));
  EXPECT_EQ(record.find("absent_field"), nullptr);
  EXPECT_EQ(record.find(FieldId()), nullptr);
}

TEST(RecordTest, AtOnMissingFieldListsTheFields) {
  Record record{{"zeta", 1}, {"alpha", 2}};
  EXPECT_THAT([&] { (void)record.at("missing"); },
              ThrowsMessage<InputError>(HasSubstr(
                  "record has no field 'missing' (fields: alpha, zeta)")));
  EXPECT_THAT([] { (void)Record().at("missing"); },
              ThrowsMessage<InputError>(HasSubstr("(fields: none)")));
}

TEST(RecordTest, EqualityIsDeepAndOrderFree) {
  Record a{{"x", Value::list({1, 2})}, {"y", "s"}};
  Record b{{"y", "s"}, {"x", Value::list({1, 2})}};
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
  b.set("x", Value::list({1, 3}));
  EXPECT_NE(a, b);
  EXPECT_NE(a, (Record{{"y", "s"}}));
}

TEST(RecordTest, SortedNamesIgnoreInterningOrder) {
  // Interned in reverse alphabetical order so FieldId order and name order
  // disagree.
  Record record{{"sorted_c", 1}, {"sorted_b", 2}, {"sorted_a", 3}};
  EXPECT_THAT(record.sorted_names(),
              ElementsAre("sorted_a", "sorted_b", "sorted_c"));
  EXPECT_EQ(record.to_string(), R"({"sorted_a":3,"sorted_b":2,"sorted_c":1})");
}

// Records up to four fields live inline, larger ones spill to the heap, and
// lookups scan up to eight fields but search larger records: all must behave
// the same.
class RecordSizeTest : public ::testing::TestWithParam<int> {
protected:
  static std::string name(int i) { return "size_field_" + std::to_string(i); }
};

TEST_P(RecordSizeTest, HoldsEveryField) {
  const int count = GetParam();
  Record record;
  for (int i = count - 1; i >= 0; --i)
    record.set(name(i), i);
  ASSERT_EQ(record.size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i)
    EXPECT_EQ(record.at(name(i)).as_int(), i);
  // A name no field has; the erasures below also leave gaps between keys.
  EXPECT_EQ(record.find(name(count)), nullptr);
  EXPECT_TRUE(std::is_sorted(
      record.begin(), record.end(),
      [](const auto &a, const auto &b) { return a.first < b.first; }));

  Record copy = record;
  for (int i = 0; i < count; i += 2)
    EXPECT_TRUE(copy.erase(FieldId(name(i))));
  EXPECT_EQ(copy.size(), static_cast<std::size_t>(count / 2));
  for (int i = 0; i < count; ++i)
    EXPECT_EQ(copy.contains(name(i)), i % 2 == 1) << name(i);
  EXPECT_EQ(record.size(), static_cast<std::size_t>(count));
}

INSTANTIATE_TEST_SUITE_P(Sizes, RecordSizeTest,
                         ::testing::Values(0, 1, 4, 5, 8, 9, 16));

} // namespace
} // namespace xcs
