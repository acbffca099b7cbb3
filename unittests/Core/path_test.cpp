//===- path_test.cpp - Tests for xcs::Path --------------------------------===//

#include "xcs/path.h"

#include "xcs/error.h"
#include "xcs/record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

class ValidPathTest : public ::testing::TestWithParam<const char *> {};

TEST_P(ValidPathTest, ToStringRoundTrips) {
  Path path = Path::parse(GetParam());
  EXPECT_FALSE(path.empty());
  EXPECT_EQ(path.to_string(), GetParam());
  EXPECT_EQ(Path::parse(path.to_string()), path);
}

INSTANTIATE_TEST_SUITE_P(Forms, ValidPathTest,
                         ::testing::Values("a", "a.b", "a[0]",
                                           "result.items[0].text", "m[1][22]",
                                           "_private.dash-ed9"));

TEST(PathTest, ParseProducesTheSteps) {
  Path path = Path::parse("result.items[12].text");
  EXPECT_EQ(path, Path()
                      .field(FieldId("result"))
                      .field(FieldId("items"))
                      .index(12)
                      .field(FieldId("text")));
  ASSERT_EQ(path.steps().size(), 4u);
  EXPECT_FALSE(path.steps()[1].is_index());
  EXPECT_EQ(path.steps()[1].field, FieldId("items"));
  EXPECT_TRUE(path.steps()[2].is_index());
  EXPECT_EQ(path.steps()[2].index, 12u);
}

TEST(PathTest, DefaultIsEmpty) {
  EXPECT_TRUE(Path().empty());
  EXPECT_EQ(Path().to_string(), "");
}

struct MalformedCase {
  const char *text;
  int column;
  const char *expected;
};

void PrintTo(const MalformedCase &c, std::ostream *os) {
  *os << "'" << c.text << "'";
}

class MalformedPathTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedPathTest, NamesTheTextAndColumn) {
  const MalformedCase &c = GetParam();
  EXPECT_THAT([&] { Path::parse(c.text); },
              ThrowsMessage<InputError>(AllOf(
                  HasSubstr("invalid path '" + std::string(c.text) +
                            "' at column " + std::to_string(c.column) + ":"),
                  HasSubstr("expected " + std::string(c.expected)))));
}

INSTANTIATE_TEST_SUITE_P(
    Texts, MalformedPathTest,
    ::testing::Values(MalformedCase{"", 1, "a field name, found end of path"},
                      MalformedCase{".a", 1, "a field name, found '.'"},
                      MalformedCase{"1a", 1, "a field name, found '1'"},
                      MalformedCase{"a..b", 3, "a field name, found '.'"},
                      MalformedCase{"a.", 3, "a field name, found end"},
                      MalformedCase{"a]", 2, "'.' or '[', found ']'"},
                      MalformedCase{"a[0]b", 5, "'.' or '[', found 'b'"},
                      MalformedCase{"a[", 3, "a list index, found end"},
                      MalformedCase{"a[x]", 3, "a list index, found 'x'"},
                      MalformedCase{"a[-1]", 3, "a list index, found '-'"},
                      MalformedCase{"a[1", 4, "']', found end of path"},
                      MalformedCase{"a[99999999999999999999999]", 3,
                                    "a list index that fits in 64 bits"}));

Record sample_record() {
  return Record{
      {"result",
       Value::record(
           Record{{"items",
                   Value::list({Value::record(Record{{"text", "hello"}}), 2})},
                  {"count", 2}})}};
}

TEST(PathTest, FindsNestedValues) {
  Record record = sample_record();
  Value root = Value::record(record);
  Path text = Path::parse("result.items[0].text");
  ASSERT_NE(text.find(record), nullptr);
  EXPECT_EQ(*text.find(record), Value("hello"));
  EXPECT_EQ(text.at(record), Value("hello"));
  EXPECT_EQ(text.at(root), Value("hello"));
  EXPECT_EQ(Path::parse("result.items[1]").at(root), Value(2));
}

TEST(PathTest, EmptyPathAddressesAValueRootButNotARecord) {
  Value root = Value::list({1});
  EXPECT_EQ(Path().find(root), &root);
  EXPECT_EQ(&Path().at(root), &root);
  Record record = sample_record();
  EXPECT_EQ(Path().find(record), nullptr);
  EXPECT_THAT([&] { (void)Path().at(record); },
              ThrowsMessage<InputError>(HasSubstr("must start with a field")));
}

// A path that does not resolve: find() gives nullptr, at() says where and why.
struct UnresolvedCase {
  const char *name;
  const char *path;
  const char *why;
};

class UnresolvedPathTest : public ::testing::TestWithParam<UnresolvedCase> {};

TEST_P(UnresolvedPathTest, FindIsNullAndAtExplains) {
  const UnresolvedCase &c = GetParam();
  Record record = sample_record();
  Value root = Value::record(record);
  Path path = Path::parse(c.path);
  EXPECT_EQ(path.find(record), nullptr);
  EXPECT_EQ(path.find(root), nullptr);
  auto message = HasSubstr("path '" + std::string(c.path) + "': " + c.why);
  EXPECT_THAT([&] { (void)path.at(record); },
              ThrowsMessage<InputError>(message));
  EXPECT_THAT([&] { (void)path.at(root); }, ThrowsMessage<InputError>(message));
}

INSTANTIATE_TEST_SUITE_P(
    Failures, UnresolvedPathTest,
    ::testing::Values(
        UnresolvedCase{"missing_root_field", "answer",
                       "no field 'answer' at the root"},
        UnresolvedCase{"missing_nested_field", "result.answer",
                       "no field 'answer' at 'result'"},
        UnresolvedCase{"index_out_of_range", "result.items[5]",
                       "index 5 is out of range for the list of 2 at "
                       "'result.items'"},
        UnresolvedCase{"index_into_record", "result[0]",
                       "expected a list at 'result', found record"},
        UnresolvedCase{"field_of_list", "result.items.text",
                       "expected a record at 'result.items', found list"},
        UnresolvedCase{"field_of_int", "result.items[1].text",
                       "expected a record at 'result.items[1]', found int"}),
    [](const auto &info) { return info.param.name; });

TEST(PathTest, IndexIntoAValueRoot) {
  Value root = Value::list({"a"});
  EXPECT_EQ(Path().index(0).at(root), Value("a"));
  EXPECT_THAT([&] { (void)Path().index(3).at(root); },
              ThrowsMessage<InputError>(HasSubstr(
                  "index 3 is out of range for the list of 1 at the root")));
  EXPECT_THAT([] { (void)Path::parse("a").at(Value(1)); },
              ThrowsMessage<InputError>(
                  HasSubstr("expected a record at the root, found int")));
}

TEST(PathTest, StartsWith) {
  Path path = Path::parse("result.items[0]");
  EXPECT_TRUE(path.starts_with(Path()));
  EXPECT_TRUE(path.starts_with(Path::parse("result")));
  EXPECT_TRUE(path.starts_with(Path::parse("result.items")));
  EXPECT_TRUE(path.starts_with(path));
  EXPECT_FALSE(path.starts_with(Path::parse("result.count")));
  EXPECT_FALSE(path.starts_with(Path::parse("result.items[1]")));
  EXPECT_FALSE(path.starts_with(Path::parse("result.items[0].text")));
  EXPECT_FALSE(Path::parse("results").starts_with(Path::parse("result")));
}

} // namespace
} // namespace xcs
