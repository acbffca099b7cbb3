//===- structural_test.cpp - The structural strategy behaves as eager -----===//
//
// What the symbolic run must get right for a jit operator to return what
// the eager call returns and throw what it throws under every strategy:
// paths into children's outputs are routing, a failure the glue raises is
// raised where the eager call raises it, any other failure of the run makes
// auto trace, and no symbol stays readable in the user's objects.
//
//===----------------------------------------------------------------------===//

#include "xcs/error.h"
#include "xcs/jit.h"
#include "xcs/metrics.h"
#include "xcs/ops.h"
#include "xcs/path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <optional>
#include <typeinfo>

namespace xcs {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr Strategy strategies[] = {Strategy::Trace, Strategy::Structural,
                                   Strategy::Auto};

std::string report_text(const OperatorPtr &jit_op, std::string_view field) {
  return std::string(
      JitPerformanceMetrics::report(*jit_op).at(field).as_string());
}

/// What \p call throws: the exception's dynamic type and message.
struct Thrown {
  std::string type;
  std::string message;
  friend bool operator==(const Thrown &, const Thrown &) = default;
  friend std::ostream &operator<<(std::ostream &os, const Thrown &thrown) {
    return os << thrown.type << ": " << thrown.message;
  }
};

Thrown thrown(const std::function<void()> &call) {
  try {
    call();
  } catch (const std::exception &e) {
    return {typeid(e).name(), e.what()};
  }
  return {"nothing", ""};
}

/// {doc: record} -> {last, first, title}: paths into a declared leaf's
/// output, with field and index steps, and a path into what a path gave.
OperatorPtr reader() {
  OperatorPtr search = ops::identity({"doc"});
  OperatorPtr shout = ops::format("{text}!");
  return ops::composite(
      "Reader",
      Specification()
          .input("doc", Kind::Record)
          .output("last")
          .output("first")
          .output("title"),
      [=](const Record &in) {
        Record found = (*search)(in);
        Value last = Path::parse("doc.items[2].text").at(found);
        Value item = Path::parse("doc.items[0]").at(found);
        Record title =
            (*shout)(Record{{"text", Path::parse("doc.title").at(found)}});
        return Record{{"last", last},
                      {"first", Path::parse("text").at(item)},
                      {"title", title.at("text")}};
      });
}

/// A document with \p count items, whose texts start with \p prefix.
Record document(std::string prefix, int count) {
  std::vector<Value> items;
  for (int i = 0; i < count; ++i)
    items.push_back(
        Value::record(Record{{"text", prefix + std::to_string(i)}}));
  return Record{{"doc", Value::record(Record{{"title", prefix},
                                             {"items", Value::list(items)}})}};
}

TEST(Structural, PathsIntoChildrenOutputsGiveTheEagerResult) {
  OperatorPtr eager = reader();
  for (Strategy strategy : strategies) {
    OperatorPtr op = jit(reader(), JitOptions{strategy});
    for (const char *prefix : {"a", "b", "c"})
      EXPECT_EQ((*op)(document(prefix, 3)), (*eager)(document(prefix, 3)))
          << strategy_name(strategy) << " " << prefix;
    EXPECT_EQ(report_text(op, "strategy"),
              strategy == Strategy::Trace ? "trace" : "structural")
        << report_text(op, "strategy_reason");
  }
}

/// Three simulated model calls, and glue that reads the response at
/// \p index of the list the ensemble builds from them.
struct Pick {
  std::vector<std::shared_ptr<ops::ModelCall>> members;
  OperatorPtr op;
};

Pick pick(std::size_t index) {
  Pick p;
  std::vector<OperatorPtr> members;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    ops::ModelCallOptions options;
    options.seed = seed;
    p.members.push_back(ops::model_call(options));
    members.push_back(p.members.back());
  }
  OperatorPtr ensemble = ops::ensemble(members);
  p.op = ops::composite(
      "Pick", Specification().input("query", Kind::String).output("answer"),
      [=](const Record &in) {
        Record votes = (*ensemble)(Record{{"prompt", in.at("query")}});
        Path path = Path().field(FieldId("responses")).index(index);
        return Record{{"answer", path.at(votes)}};
      });
  return p;
}

std::uint64_t member_calls(const Pick &p) {
  std::uint64_t calls = 0;
  for (const auto &member : p.members)
    calls += member->calls();
  return calls;
}

TEST(Structural, APathPastAFixedListFailsAsEagerOnTheFirstCall) {
  Record input{{"query", "q"}};
  Pick eager = pick(5);
  Thrown expected = thrown([&] { (*eager.op)(input); });
  ASSERT_EQ(expected.type, typeid(InputError).name());
  EXPECT_EQ(expected.message, "path 'responses[5]': index 5 is out of range "
                              "for the list of 3 at 'responses'");
  for (Strategy strategy : {Strategy::Trace, Strategy::Auto}) {
    Pick p = pick(5);
    OperatorPtr op = jit(p.op, JitOptions{strategy});
    for (int call = 0; call < 2; ++call)
      EXPECT_EQ(thrown([&] { (*op)(input); }), expected)
          << strategy_name(strategy) << " call " << call;
    // The members ran first, as they do eagerly: auto traced.
    EXPECT_EQ(member_calls(p), 6u) << strategy_name(strategy);
  }
}

TEST(Structural, APathPastAFixedListFailsWhenThePlanRuns) {
  Record input{{"query", "q"}};
  Pick eager = pick(5);
  Thrown expected = thrown([&] { (*eager.op)(input); });
  Pick p = pick(5);
  OperatorPtr op = jit(p.op, JitOptions{Strategy::Structural});
  // The compile ran no member: the failure comes from the plan's run of
  // Pick's real forward, after its members, and the caller sees the eager
  // exception.
  EXPECT_EQ(thrown([&] { (*op)(input); }), expected);
  EXPECT_EQ(member_calls(p), 3u);
  EXPECT_EQ(report_text(op, "strategy"), "structural");
}

// A failed plan re-runs the root's glue over the run's results (the jit
// operator's recovery): every strategy throws the eager exception itself,
// on every call.
TEST(Structural, APathPastAFixedListThrowsTheEagerException) {
  Record input{{"query", "q"}};
  Pick eager = pick(5);
  Thrown expected = thrown([&] { (*eager.op)(input); });
  for (Strategy strategy : strategies) {
    Pick p = pick(5);
    OperatorPtr op = jit(p.op, JitOptions{strategy});
    for (int call = 0; call < 2; ++call)
      EXPECT_EQ(thrown([&] { (*op)(input); }), expected)
          << strategy_name(strategy) << " call " << call;
  }
}

// A plan built for a long enough list meets a shorter one: its get node
// fails, and recovery gives the eager exception.
TEST(Structural, AShortInputListThrowsTheEagerException) {
  OperatorPtr eager = reader();
  for (Strategy strategy : strategies) {
    OperatorPtr op = jit(reader(), JitOptions{strategy});
    (*op)(document("a", 3));
    Record shorter = document("b", 2);
    EXPECT_EQ(thrown([&] { (*op)(shorter); }),
              thrown([&] { (*eager)(shorter); }))
        << strategy_name(strategy);
  }
}

/// A composite that memoizes its child's output in a member: state the
/// structural strategy cannot see, and which it must not leave holding a
/// symbol that passes for data.
class Memo : public Operator, public Composite {
public:
  explicit Memo(std::optional<Kind> output)
      : Operator("Memo",
                 Specification().input("x", Kind::Int).output("y", output)),
        child_(ops::affine(2, 1)) {}

  Record forward(const Record &in) const override {
    std::lock_guard lock(mutex_);
    if (!cache_)
      cache_ = (*child_)(in);
    return *cache_;
  }

private:
  OperatorPtr child_;
  mutable std::mutex mutex_;
  mutable std::optional<Record> cache_;
};

TEST(Structural, AMemoKeepingASymbolSaysSoWhenTheOriginalIsCalled) {
  Record input{{"x", 3}};
  auto escapes = ThrowsMessage<Error>(
      AllOf(HasSubstr("a value from xcs::jit's symbolic analysis escaped into "
                      "operator 'Memo'"),
            HasSubstr("Do not keep children's outputs in members")));
  for (std::optional<Kind> kind :
       {std::optional<Kind>(Kind::Int), std::optional<Kind>()}) {
    auto memo = std::make_shared<Memo>(kind);
    OperatorPtr op = jit(memo, JitOptions{Strategy::Structural});
    EXPECT_EQ((*op)(input), (Record{{"y", 7}}));
    // Declared int, the original's own validation reads the symbol; of any
    // kind, the caller does.
    EXPECT_THAT([&] { (void)(*memo)(input).at("y").is_null(); }, escapes);
  }
}

TEST(Structural, AutoTracesWhenTheSymbolicRunFailsInAnyWay) {
  // Glue that turns the end of the symbolic run into an exception of its
  // own: the run fails with something other than a CompileError.
  OperatorPtr child = ops::identity({"v"});
  OperatorPtr op = ops::composite(
      "Rethrowing", Specification().input("v").output("v"),
      [=](const Record &in) {
        Record out = (*child)(in);
        try {
          (void)out.at("v").is_null();
        } catch (const Error &e) {
          throw std::runtime_error(std::string("rethrown: ") + e.what());
        }
        return out;
      });
  Record input{{"v", 4}};
  OperatorPtr automatic = jit(op);
  EXPECT_EQ((*automatic)(input), (*op)(input));
  EXPECT_EQ(report_text(automatic, "strategy"), "trace");
  EXPECT_THAT(report_text(automatic, "strategy_reason"),
              HasSubstr("reads the content of output 'v' of 'Identity'"));
  EXPECT_THAT([&] { (*jit(op, JitOptions{Strategy::Structural}))(input); },
              ThrowsMessage<CompileError>(
                  HasSubstr("structural: glue of 'Rethrowing' reads the "
                            "content of output 'v' of 'Identity'")));
}

} // namespace
} // namespace xcs
