//===- name_table.cpp - Interned names ------------------------------------===//
//
// Names live in a deque (stable addresses) behind a shared mutex; lookups by
// name take the shared lock, new names the exclusive one. Interning happens
// when specifications and records are built, not per field access.
//
//===----------------------------------------------------------------------===//

#include "Core/name_table.h"

#include <mutex>

namespace xcs::detail {

std::uint32_t NameTable::intern(std::string_view name) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = ids_.find(name); it != ids_.end())
      return it->second;
  }
  std::unique_lock lock(mutex_);
  if (auto it = ids_.find(name); it != ids_.end())
    return it->second;
  const std::string &stored = names_.emplace_back(name);
  auto index = static_cast<std::uint32_t>(names_.size());
  ids_.emplace(stored, index);
  return index;
}

std::string_view NameTable::name(std::uint32_t index) {
  std::shared_lock lock(mutex_);
  return names_[index - 1];
}

} // namespace xcs::detail
