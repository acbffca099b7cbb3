//===- JIT/miss_reason.h - Why a call found no plan -------------*- C++ -*-===//
///
/// \file
/// The reasons of cache misses, listed once in miss_reasons.def. Code
/// branches on the enum; only the log prints the names.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <string_view>

namespace xcs {

enum class MissReason {
#define XCS_MISS_REASON(Name, Text) Name,
#include "JIT/miss_reasons.def"
};

/// The reason as the log words it: "input shape changed", ...
constexpr std::string_view miss_reason_name(MissReason reason) {
  switch (reason) {
#define XCS_MISS_REASON(Name, Text)                                            \
  case MissReason::Name:                                                       \
    return Text;
#include "JIT/miss_reasons.def"
  }
  return "unknown";
}

} // namespace xcs
