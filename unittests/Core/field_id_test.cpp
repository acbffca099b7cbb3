//===- field_id_test.cpp - Tests for xcs::FieldId -------------------------===//

#include "xcs/field_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace xcs {
namespace {

TEST(FieldIdTest, SameNameSameId) {
  EXPECT_EQ(FieldId("query"), FieldId("query"));
  EXPECT_EQ(FieldId("query"), FieldId(std::string("que") + "ry"));
}

TEST(FieldIdTest, DifferentNamesDiffer) {
  EXPECT_NE(FieldId("query"), FieldId("Query"));
  EXPECT_NE(FieldId("a"), FieldId("b"));
}

TEST(FieldIdTest, NameRoundTrips) {
  EXPECT_EQ(FieldId("response_text").name(), "response_text");
}

TEST(FieldIdTest, DefaultIsInvalid) {
  FieldId id;
  EXPECT_FALSE(id.valid());
  EXPECT_EQ(id.index(), 0u);
  EXPECT_TRUE(FieldId("x").valid());
  EXPECT_NE(FieldId("x").index(), 0u);
}

TEST(FieldIdTest, HashIsTheIndex) {
  FieldId id("hashed");
  EXPECT_EQ(std::hash<FieldId>()(id), id.index());
}

// Eight threads intern an overlapping set of fresh names, each in its own
// order, so that several threads race to insert the same name. All must see
// the same id for a name, and distinct names must get distinct ids.
TEST(FieldIdTest, ConcurrentInterningIsConsistent) {
  constexpr int thread_count = 8;
  // A power of two, so that every odd stride visits each name once.
  constexpr int name_count = 2048;
  auto name_of = [](int i) { return "concurrent_field_" + std::to_string(i); };
  std::vector<std::vector<FieldId>> seen(thread_count,
                                         std::vector<FieldId>(name_count));
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < name_count; ++k) {
        int i = (k * (2 * t + 1) + t * 97) % name_count;
        seen[t][i] = FieldId(name_of(i));
      }
    });
  for (std::thread &thread : threads)
    thread.join();

  std::set<FieldId> distinct;
  for (int i = 0; i < name_count; ++i) {
    for (int t = 1; t < thread_count; ++t)
      ASSERT_EQ(seen[t][i], seen[0][i]) << name_of(i);
    EXPECT_EQ(seen[0][i].name(), name_of(i));
    distinct.insert(seen[0][i]);
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(name_count));
}

} // namespace
} // namespace xcs
