//===- xcs/field_id.h - Interned field names --------------------*- C++ -*-===//
///
/// \file
/// Field names are interned once into small integers so that records are
/// keyed by integers at run time, never by strings. Interning is thread-safe
/// and ids are never reused, so a FieldId may be stored anywhere.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string_view>

namespace xcs {

class FieldId {
public:
  /// The invalid id; no name interns to it.
  constexpr FieldId() = default;
  /// Interns \p name (thread-safe); the same name always gives the same id.
  explicit FieldId(std::string_view name);

  /// The interned name. The view stays valid for the life of the process.
  std::string_view name() const;
  /// The dense index of this id (0 for the invalid id).
  constexpr std::uint32_t index() const { return index_; }
  constexpr bool valid() const { return index_ != 0; }

  friend constexpr auto operator<=>(FieldId, FieldId) = default;

private:
  std::uint32_t index_ = 0;
};

} // namespace xcs

template <> struct std::hash<xcs::FieldId> {
  std::size_t operator()(xcs::FieldId id) const noexcept { return id.index(); }
};
