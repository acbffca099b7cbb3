//===- JIT/trace_listing_test.cpp - A trace as text -----------------------===//
///
/// \file
/// What the examples never show: opaque composites and failed calls. The
/// examples' listings are checked by the FileCheck tests.
///
//===----------------------------------------------------------------------===//

#include "JIT/trace_listing.h"

#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs {
namespace {

using ::testing::MatchesRegex;

TEST(TraceListingTest, AnOpaqueCompositeSaysWhy) {
  OperatorPtr child = ops::affine(2, 0);
  // The glue computes x + 1: the composite cannot be flattened.
  Specification spec =
      Specification().input("x", Kind::Int).output("y", Kind::Int);
  OperatorPtr glue = ops::function("Glue", spec, [child](const Record &in) {
    return (*child)(Record{{"x", in.at("x").as_int() + 1}});
  });
  std::string text = list_trace(trace(*glue, Record{{"x", 1}}));
  EXPECT_THAT(text, MatchesRegex("call 1 Glue: \\{\"x\":1\\} -> \\{\"y\":4\\}\n"
                                 "  opaque: .*as_int.*\n"
                                 "  call 2 Affine, in call 1: \\{\"x\":2\\} -> "
                                 "\\{\"y\":4\\}\n"));
}

TEST(TraceListingTest, AFailedCallShowsWhatItThrew) {
  ops::ModelCallOptions options;
  options.name = "Flaky";
  options.fail_on = "boom";
  OperatorPtr model = ops::model_call(options);
  // The glue handles the child's failure: the call is recorded with its
  // exception, and the composite is opaque.
  OperatorPtr fallback = ops::function("Fallback",
                                       Specification()
                                           .input("prompt", Kind::String)
                                           .output("response", Kind::String),
                                       [model](const Record &in) {
                                         try {
                                           return (*model)(in);
                                         } catch (const std::exception &) {
                                           return Record{{"response", "none"}};
                                         }
                                       });
  std::string text = list_trace(trace(*fallback, Record{{"prompt", "boom"}}));
  EXPECT_THAT(
      text, MatchesRegex("call 1 Fallback: .*\n"
                         "  opaque: .*exception.*\n"
                         "  call 2 Flaky, in call 1: \\{\"prompt\":\"boom\"\\} "
                         "-> threw: model 'Flaky' failed on prompt 'boom'\n"));
}

} // namespace
} // namespace xcs
