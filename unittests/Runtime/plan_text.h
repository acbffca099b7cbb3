//===- plan_text.h - Routing IR of the executor tests' plans ----*- C++ -*-===//
///
/// \file
/// The plans the executor tests run, as routing-IR text: every call takes
/// and returns the field r, so that its operator can tell which run it is
/// in, and merges take a second operand as q.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <string>
#include <string_view>

namespace xcs::test {

/// input r -> members calls @m0..@m<members-1>, each on r, -> the list of
/// their results as out.
inline std::string wide_plan(int members) {
  std::string text;
  for (int i = 0; i < members; ++i)
    text +=
        "operator @m" + std::to_string(i) + " \"M" + std::to_string(i) + "\"\n";
  text += "graph @wide(r) -> (out) {\n  %0 = input r\n";
  std::string items;
  int node = 1;
  for (int i = 0; i < members; ++i, node += 2) {
    std::string call = "%" + std::to_string(node);
    std::string get = "%" + std::to_string(node + 1);
    text += "  " + call + " = call @m" + std::to_string(i) + "(r: %0)\n";
    text += "  " + get + " = get " + call + " r\n";
    items += (items.empty() ? "" : ", ") + get;
  }
  text += "  %" + std::to_string(node) + " = list [" + items + "]\n";
  text += "  output out: %" + std::to_string(node) + "\n}\n";
  return text;
}

/// Operators s, a, b, k: s -> a, b -> k.
inline constexpr std::string_view diamond_plan = R"(
operator @s "S"
operator @a "A"
operator @b "B"
operator @k "K"
graph @diamond(r) -> (out) {
  %0 = input r
  %1 = call @s(r: %0)
  %2 = get %1 r
  %3 = call @a(r: %2)
  %4 = get %3 r
  %5 = call @b(r: %2)
  %6 = get %5 r
  %7 = call @k(r: %4, q: %6)
  %8 = get %7 r
  output out: %8
}
)";

/// Operators s, b1, b2, b3, m1, m2, k: s -> b1, b2, b3; m1 merges b1 and
/// b2, m2 merges b2 and b3; k merges m1 and m2.
inline constexpr std::string_view layered_plan = R"(
operator @s "S"
operator @b1 "B1"
operator @b2 "B2"
operator @b3 "B3"
operator @m1 "M1"
operator @m2 "M2"
operator @k "K"
graph @layered(r) -> (out) {
  %0 = input r
  %1 = call @s(r: %0)
  %2 = get %1 r
  %3 = call @b1(r: %2)
  %4 = get %3 r
  %5 = call @b2(r: %2)
  %6 = get %5 r
  %7 = call @b3(r: %2)
  %8 = get %7 r
  %9 = call @m1(r: %4, q: %6)
  %10 = get %9 r
  %11 = call @m2(r: %6, q: %8)
  %12 = get %11 r
  %13 = call @k(r: %10, q: %12)
  %14 = get %13 r
  output out: %14
}
)";

} // namespace xcs::test
