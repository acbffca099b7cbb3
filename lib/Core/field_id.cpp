//===- field_id.cpp - Interned field names --------------------------------===//
//
// Names live in a deque (stable addresses) behind a shared mutex; lookups by
// name take the shared lock, new names the exclusive one. Interning happens
// when specifications and records are built, not per field access.
//
//===----------------------------------------------------------------------===//

#include "xcs/field_id.h"

#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace xcs {
namespace {

class FieldTable {
public:
  std::uint32_t intern(std::string_view name) {
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

  std::string_view name(std::uint32_t index) {
    if (index == 0)
      return "<invalid field>";
    std::shared_lock lock(mutex_);
    return names_[index - 1];
  }

private:
  std::shared_mutex mutex_;
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

FieldTable &table() {
  static FieldTable instance;
  return instance;
}

} // namespace

FieldId::FieldId(std::string_view name) : index_(table().intern(name)) {}

std::string_view FieldId::name() const { return table().name(index_); }

} // namespace xcs
