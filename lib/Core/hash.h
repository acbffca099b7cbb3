//===- hash.h - Hash combining for Value and Record -------------*- C++ -*-===//
#pragma once

#include <cstddef>
#include <cstdint>

namespace xcs::detail {

/// Mixes \p value into \p seed (boost::hash_combine's golden-ratio scheme,
/// widened to 64 bits).
inline std::size_t hash_combine(std::size_t seed, std::size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

} // namespace xcs::detail
