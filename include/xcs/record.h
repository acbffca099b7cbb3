//===- xcs/record.h - Named fields of values --------------------*- C++ -*-===//
///
/// \file
/// A Record maps interned field ids to values. It is what operators take and
/// return. Records are small (a handful of fields), so they are a sorted
/// vector with inline storage for four fields: lookup is a short binary
/// search over integers and small records never allocate their field table.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/field_id.h"
#include "xcs/value.h"

#include <boost/container/flat_map.hpp>
#include <boost/container/small_vector.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace xcs {

class Record {
  using Storage = boost::container::flat_map<
      FieldId, Value, std::less<FieldId>,
      boost::container::small_vector<std::pair<FieldId, Value>, 4>>;

public:
  using const_iterator = Storage::const_iterator;

  Record() = default;
  /// Record{{"query", "hi"}, {"n", 3}}.
  Record(std::initializer_list<std::pair<std::string_view, Value>> fields);
  /// The same with ids already interned: Record{{query_id, "hi"}}.
  Record(std::initializer_list<std::pair<FieldId, Value>> fields);

  /// The field's value, or nullptr when absent.
  const Value *find(FieldId field) const {
    // Up to a handful of fields a forward scan of the sorted keys is about
    // twice as fast as a binary search, whose branches do not predict.
    if (fields_.size() > linear_scan_limit) {
      auto it = fields_.find(field);
      return it == fields_.end() ? nullptr : &it->second;
    }
    for (const auto &[id, value] : fields_)
      if (!(id < field))
        return id == field ? &value : nullptr;
    return nullptr;
  }
  const Value *find(std::string_view field) const {
    return find(FieldId(field));
  }
  /// The field's value; throws InputError naming the field and the fields
  /// the record has.
  const Value &at(FieldId field) const;
  const Value &at(std::string_view field) const { return at(FieldId(field)); }
  bool contains(FieldId field) const { return find(field) != nullptr; }
  bool contains(std::string_view field) const {
    return contains(FieldId(field));
  }

  /// Sets (adds or replaces) a field.
  void set(FieldId field, Value value) {
    fields_.insert_or_assign(field, std::move(value));
  }
  void set(std::string_view field, Value value) {
    set(FieldId(field), std::move(value));
  }
  /// Removes a field; returns whether it was present.
  bool erase(FieldId field) { return fields_.erase(field) != 0; }
  void reserve(std::size_t n) { fields_.reserve(n); }

  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  /// Iterates fields in FieldId order (interning order, not name order).
  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }

  /// The field names sorted by name: a stable order for messages and output.
  std::vector<std::string_view> sorted_names() const;
  /// Deep equality of fields and values.
  friend bool operator==(const Record &a, const Record &b) {
    return a.fields_ == b.fields_;
  }
  std::size_t hash() const;
  /// {"a":1,"b":"x"}: fields sorted by name.
  std::string to_string() const;

private:
  static constexpr std::size_t linear_scan_limit = 8;
  Storage fields_;
};

/// Writes record.to_string().
std::ostream &operator<<(std::ostream &os, const Record &record);

} // namespace xcs
