//===- name_table.h - Interned names ----------------------------*- C++ -*-===//
///
/// \file
/// A process-wide table of names interned into small integers that are never
/// reused, so an index may be stored anywhere and read back at any time:
/// field names (FieldId) and the operator names carried by the symbols of
/// xcs::jit's analysis (Core/symbol.h).
///
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <deque>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace xcs::detail {

class NameTable {
public:
  /// The index of \p name, interning it on first use (thread-safe). The same
  /// name always gives the same index; indices start at 1.
  std::uint32_t intern(std::string_view name);
  /// The name interned as \p index (at least 1). The view stays valid for
  /// the life of the table.
  std::string_view name(std::uint32_t index);

private:
  std::shared_mutex mutex_;
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

} // namespace xcs::detail
