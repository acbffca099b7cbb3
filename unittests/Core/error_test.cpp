//===- error_test.cpp - Tests for the exception types ---------------------===//

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace xcs {
namespace {

using ::testing::StrEq;
using ::testing::ThrowsMessage;

template <typename E> std::exception_ptr capture(E error) {
  return std::make_exception_ptr(std::move(error));
}

TEST(ExecutionErrorTest, NamesNodeOperatorAndCause) {
  ExecutionError error("n3", "Judge", capture(std::out_of_range("no votes")));
  EXPECT_STREQ(error.what(), "node 'n3' (operator 'Judge') failed: no votes");
  EXPECT_EQ(error.node(), "n3");
  EXPECT_EQ(error.op(), "Judge");
}

TEST(ExecutionErrorTest, RethrowsTheOriginalType) {
  ExecutionError error("n0", "Model", capture(InputError("bad prompt")));
  EXPECT_THAT([&] { error.rethrow_cause(); },
              ThrowsMessage<InputError>(StrEq("bad prompt")));
  EXPECT_THAT([&] { std::rethrow_exception(error.cause()); },
              ThrowsMessage<InputError>(StrEq("bad prompt")));
}

TEST(ExecutionErrorTest, IsAnXcsError) {
  ExecutionError error("n0", "Model", capture(std::runtime_error("x")));
  EXPECT_THAT([&] { throw error; }, ThrowsMessage<Error>(StrEq(error.what())));
}

TEST(DescribeTest, GivesTheMessageOrAPlaceholder) {
  EXPECT_EQ(describe(capture(std::runtime_error("disk full"))), "disk full");
  EXPECT_EQ(describe(capture(GraphError("cycle at n2"))), "cycle at n2");
  EXPECT_EQ(describe(capture(42)),
            "an exception not derived from std::exception");
  EXPECT_EQ(describe(nullptr), "no exception");
}

TEST(ExecutionErrorTest, CauseNotFromStdException) {
  ExecutionError error("n1", "Vote", capture(7));
  EXPECT_STREQ(error.what(), "node 'n1' (operator 'Vote') failed: an exception "
                             "not derived from std::exception");
  EXPECT_THROW(error.rethrow_cause(), int);
}

} // namespace
} // namespace xcs
