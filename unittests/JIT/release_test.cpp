//===- release_test.cpp - Compiled code is freed --------------------------===//
//
// Compiles and releases 10,000 structurally distinct graphs, so that every
// one really compiles and links, and checks that the engine holds no module
// afterwards and held at most one at any time.
//
//===----------------------------------------------------------------------===//

#include "jit_test_util.h"

#include <gtest/gtest.h>

namespace xcs {
namespace {

constexpr std::string_view text = R"(
operator @f "Add"
graph @released(x) -> (y) {
  %0 = input x
  %1 = const 0
  %2 = call @f(a: %0, b: %1)
  %3 = get %2 y
  output y: %3
}
)";

TEST(ReleaseManyTest, Compiles10000DistinctGraphsAndReleasesEveryModule) {
  ir::Module module = test::scheduled(text);
  OperatorPtr add = ops::binary(ops::BinaryOp::Add);
  std::size_t before = live_compiled_modules();
  std::size_t most = 0;
  for (int i = 0; i < 10000; ++i) {
    // A different constant is a different IR text, so nothing is shared.
    module.function.nodes[1].value = Value(i);
    std::optional<CompiledGraph> graph = test::compiled(module, {add});
    ASSERT_TRUE(graph);
    ASSERT_EQ(graph->run({{"x", 1}}).at("y"), Value(i + 1));
    most = std::max(most, live_compiled_modules() - before);
  }
  EXPECT_EQ(most, 1u);
  EXPECT_EQ(live_compiled_modules(), before);
}

} // namespace
} // namespace xcs
