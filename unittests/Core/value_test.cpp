//===- value_test.cpp - Tests for xcs::Value ------------------------------===//

#include "xcs/value.h"

#include "xcs/error.h"
#include "xcs/record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <limits>
#include <thread>

namespace xcs {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

struct Tensor {
  int rows = 0;
};

Value tensor_value(int rows) {
  return Value::opaque(std::make_shared<Tensor>(Tensor{rows}), "tensor");
}

Value nested_value() {
  return Value::list({1, Value::record(Record{{"xs", Value::list({2.5, "s"})},
                                              {"n", nullptr}})});
}

TEST(ValueTest, IsSixteenBytes) { EXPECT_EQ(sizeof(Value), 16u); }

TEST(ValueTest, ScalarsReadBack) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(nullptr).is_null());
  EXPECT_TRUE(Value(true).as_bool());
  EXPECT_FALSE(Value(false).as_bool());
  EXPECT_EQ(Value(-7).as_int(), -7);
  EXPECT_EQ(Value(std::numeric_limits<std::int64_t>::min()).as_int(),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Value(2.5).as_double(), 2.5);
}

TEST(ValueTest, HeapKindsReadBack) {
  EXPECT_EQ(Value("text").as_string(), "text");
  EXPECT_EQ(Value(std::string("owned")).as_string(), "owned");
  EXPECT_EQ(Value(std::string_view()).as_string(), "");

  Value list = Value::list({1, "two"});
  ASSERT_EQ(list.as_list().size(), 2u);
  EXPECT_EQ(list.as_list()[0].as_int(), 1);
  EXPECT_EQ(list.as_list()[1].as_string(), "two");
  EXPECT_TRUE(Value::list({}).as_list().empty());

  Value record = Value::record(Record{{"x", 1}});
  EXPECT_EQ(record.as_record().at("x").as_int(), 1);
}

TEST(ValueTest, AsDoubleAcceptsInt) { EXPECT_EQ(Value(3).as_double(), 3.0); }

TEST(ValueTest, OpaqueReturnsTheObject) {
  auto object = std::make_shared<Tensor>(Tensor{4});
  Value value = Value::opaque(object, "tensor");
  EXPECT_TRUE(value.is_opaque());
  EXPECT_EQ(value.as_opaque<Tensor>(), object);
  EXPECT_EQ(value.opaque_tag(), "tensor");
}

TEST(ValueTest, OpaqueOfAnotherTypeThrows) {
  EXPECT_THAT([] { (void)tensor_value(1).as_opaque<int>(); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'tensor'"), HasSubstr("C++ type"))));
}

TEST(ValueTest, NullOpaqueThrows) {
  EXPECT_THAT([] { Value::opaque(std::shared_ptr<Tensor>(), "tensor"); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'tensor'"), HasSubstr("null"))));
}

// One value of every kind, for the tables below.
struct KindCase {
  const char *name;
  std::function<Value()> make;
  Kind kind;
};

const KindCase kind_cases[] = {
    {"null", [] { return Value(); }, Kind::Null},
    {"bool", [] { return Value(true); }, Kind::Bool},
    {"int", [] { return Value(1); }, Kind::Int},
    {"double", [] { return Value(1.5); }, Kind::Double},
    {"string", [] { return Value("s"); }, Kind::String},
    {"list", [] { return Value::list({1}); }, Kind::List},
    {"record",
     [] {
       return Value::record(Record{{"a", 1}});
     },
     Kind::Record},
    {"opaque", [] { return tensor_value(1); }, Kind::Opaque},
};

// Each accessor with the kind it demands.
struct Accessor {
  Kind kind;
  std::function<void(const Value &)> read;
};

const Accessor accessors[] = {
    {Kind::Bool, [](const Value &v) { (void)v.as_bool(); }},
    {Kind::Int, [](const Value &v) { (void)v.as_int(); }},
    {Kind::Double, [](const Value &v) { (void)v.as_double(); }},
    {Kind::String, [](const Value &v) { (void)v.as_string(); }},
    {Kind::List, [](const Value &v) { (void)v.as_list(); }},
    {Kind::Record, [](const Value &v) { (void)v.as_record(); }},
    {Kind::Opaque, [](const Value &v) { (void)v.opaque_tag(); }},
};

class ValueKindTest : public ::testing::TestWithParam<KindCase> {};

TEST_P(ValueKindTest, ReportsItsKind) {
  Value value = GetParam().make();
  EXPECT_EQ(value.kind(), GetParam().kind);
  EXPECT_EQ(kind_name(value.kind()), GetParam().name);
  const bool predicates[] = {
      value.is_null(),   value.is_bool(), value.is_int(),    value.is_double(),
      value.is_string(), value.is_list(), value.is_record(), value.is_opaque()};
  for (std::size_t k = 0; k < std::size(predicates); ++k)
    EXPECT_EQ(predicates[k], k == static_cast<std::size_t>(GetParam().kind))
        << "predicate for " << kind_name(static_cast<Kind>(k));
}

TEST_P(ValueKindTest, WrongAccessorNamesExpectedAndActualKind) {
  Value value = GetParam().make();
  for (const Accessor &accessor : accessors) {
    bool accepted = accessor.kind == value.kind() ||
                    (accessor.kind == Kind::Double && value.is_int());
    if (accepted) {
      EXPECT_NO_THROW(accessor.read(value));
      continue;
    }
    EXPECT_THAT([&] { accessor.read(value); },
                ThrowsMessage<InputError>(AllOf(
                    HasSubstr("kind " + std::string(kind_name(accessor.kind))),
                    HasSubstr("got " + std::string(GetParam().name)))));
  }
}

TEST_P(ValueKindTest, CopiesShareIdentityOnlyForHeapKinds) {
  Value value = GetParam().make();
  Value copy = value;
  EXPECT_EQ(copy, value);
  if (value.kind() >= Kind::String) {
    EXPECT_NE(value.identity(), nullptr);
    EXPECT_EQ(copy.identity(), value.identity());
    EXPECT_NE(GetParam().make().identity(), value.identity());
  } else {
    EXPECT_EQ(value.identity(), nullptr);
  }
}

TEST_P(ValueKindTest, StampsKeepEqualityAndHash) {
  Value value = GetParam().make();
  EXPECT_EQ(value.stamp(), 0u);
  Value stamped = value.with_stamp(7);
  EXPECT_EQ(stamped.stamp(), 7u);
  EXPECT_EQ(value.stamp(), 0u);
  EXPECT_EQ(stamped, value);
  EXPECT_EQ(stamped.hash(), value.hash());

  Value copy = stamped;
  EXPECT_EQ(copy.stamp(), 7u);
  Value assigned;
  assigned = stamped;
  EXPECT_EQ(assigned.stamp(), 7u);
  Value moved = std::move(copy);
  EXPECT_EQ(moved.stamp(), 7u);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, ValueKindTest,
                         ::testing::ValuesIn(kind_cases),
                         [](const auto &info) { return info.param.name; });

// Pairs of values built independently of each other.
struct PairCase {
  const char *name;
  std::function<Value()> left;
  std::function<Value()> right;
};

class EqualValuesTest : public ::testing::TestWithParam<PairCase> {};

TEST_P(EqualValuesTest, AreEqualAndHashEqually) {
  Value a = GetParam().left(), b = GetParam().right();
  EXPECT_EQ(a, b);
  EXPECT_EQ(b, a);
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(std::hash<Value>()(a), a.hash());
}

const double quiet_nan = std::numeric_limits<double>::quiet_NaN();

INSTANTIATE_TEST_SUITE_P(
    Values, EqualValuesTest,
    ::testing::Values(
        PairCase{"null", [] { return Value(); }, [] { return Value(nullptr); }},
        PairCase{"int", [] { return Value(42); }, [] { return Value(42L); }},
        PairCase{"nan", [] { return Value(quiet_nan); },
                 [] { return Value(-quiet_nan); }},
        PairCase{"zero_signs", [] { return Value(-0.0); },
                 [] { return Value(0.0); }},
        PairCase{"string", [] { return Value("abc"); },
                 [] { return Value(std::string("abc")); }},
        PairCase{"nested", nested_value, nested_value},
        PairCase{"record_order",
                 [] {
                   return Value::record(Record{{"p", 1}, {"q", 2}});
                 },
                 [] {
                   return Value::record(Record{{"q", 2}, {"p", 1}});
                 }}),
    [](const auto &info) { return info.param.name; });

class UnequalValuesTest : public ::testing::TestWithParam<PairCase> {};

TEST_P(UnequalValuesTest, AreUnequal) {
  Value a = GetParam().left(), b = GetParam().right();
  EXPECT_NE(a, b);
  EXPECT_NE(b, a);
}

INSTANTIATE_TEST_SUITE_P(
    Values, UnequalValuesTest,
    ::testing::Values(
        PairCase{"int_vs_double", [] { return Value(1); },
                 [] { return Value(1.0); }},
        PairCase{"bool_vs_int", [] { return Value(true); },
                 [] { return Value(1); }},
        PairCase{"null_vs_empty_string", [] { return Value(); },
                 [] { return Value(""); }},
        PairCase{"list_length", [] { return Value::list({1}); },
                 [] {
                   return Value::list({1, 1});
                 }},
        PairCase{"deep_list_item", nested_value,
                 [] {
                   return Value::list(
                       {1, Value::record(Record{{"xs", Value::list({2.5, "t"})},
                                                {"n", nullptr}})});
                 }},
        PairCase{"record_field_name",
                 [] {
                   return Value::record(Record{{"p", 1}});
                 },
                 [] {
                   return Value::record(Record{{"r", 1}});
                 }},
        PairCase{"opaque_same_contents", [] { return tensor_value(1); },
                 [] { return tensor_value(1); }}),
    [](const auto &info) { return info.param.name; });

TEST(ValueTest, OpaqueEqualityIsObjectIdentity) {
  auto object = std::make_shared<Tensor>(Tensor{2});
  Value a = Value::opaque(object, "tensor");
  Value b = Value::opaque(object, "tensor");
  EXPECT_NE(a.identity(), b.identity());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
}

struct TextCase {
  const char *name;
  std::function<Value()> make;
  const char *text;
};

class ValueToStringTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(ValueToStringTest, Renders) {
  EXPECT_EQ(GetParam().make().to_string(), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ValueToStringTest,
    ::testing::Values(
        TextCase{"null", [] { return Value(); }, "null"},
        TextCase{"bool", [] { return Value(false); }, "false"},
        TextCase{"int", [] { return Value(-12); }, "-12"},
        TextCase{"integral_double", [] { return Value(5.0); }, "5.0"},
        TextCase{"negative_zero", [] { return Value(-0.0); }, "-0.0"},
        TextCase{"fraction", [] { return Value(0.1); }, "0.1"},
        TextCase{"large_double", [] { return Value(1e300); }, "1e+300"},
        TextCase{"nan", [] { return Value(quiet_nan); }, "nan"},
        // Shown with U+FFFD where JSON would refuse it.
        TextCase{"invalid_utf8", [] { return Value("a\xff"); },
                 "\"a\xEF\xBF\xBD\""},
        TextCase{"string", [] { return Value("say \"hi\""); },
                 R"("say \"hi\"")"},
        TextCase{"opaque", [] { return tensor_value(3); }, "<opaque tensor>"},
        TextCase{"nested", nested_value, R"([1,{"n":null,"xs":[2.5,"s"]}])"}),
    [](const auto &info) { return info.param.name; });

// Copies of one list are made and destroyed from many threads at once; the
// reference count must neither free the list early nor leak it. The list holds
// an opaque object whose deleter counts how often it runs.
TEST(ValueTest, ConcurrentCopiesKeepTheCountExact) {
  std::atomic<int> deleted{0};
  Value list =
      Value::list({Value::opaque(std::shared_ptr<Tensor>(new Tensor{1},
                                                         [&](Tensor *t) {
                                                           ++deleted;
                                                           delete t;
                                                         }),
                                 "tensor"),
                   "payload"});
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([shared = list] {
        for (int i = 0; i < 100000; ++i) {
          Value copy = shared;
          Value again = copy;
          ASSERT_EQ(again.as_list().size(), 2u);
        }
      });
    list = Value();
    for (std::thread &thread : threads)
      thread.join();
  }
  EXPECT_EQ(deleted.load(), 1);
}

} // namespace
} // namespace xcs
