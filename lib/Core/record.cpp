//===- record.cpp - Named fields of values --------------------------------===//

#include "xcs/record.h"

#include "Core/hash.h"
#include "xcs/error.h"

#include <algorithm>

namespace xcs {

Record::Record(
    std::initializer_list<std::pair<std::string_view, Value>> fields) {
  fields_.reserve(fields.size());
  for (const auto &[name, value] : fields)
    set(name, value);
}

Record::Record(std::initializer_list<std::pair<FieldId, Value>> fields) {
  fields_.reserve(fields.size());
  for (const auto &[field, value] : fields)
    set(field, value);
}

const Value &Record::at(FieldId field) const {
  if (const Value *value = find(field))
    return *value;
  std::string known;
  for (std::string_view name : sorted_names())
    known += (known.empty() ? "" : ", ") + std::string(name);
  throw InputError("record has no field '" + std::string(field.name()) +
                   "' (fields: " + (known.empty() ? "none" : known) + ")");
}

std::vector<std::string_view> Record::sorted_names() const {
  std::vector<std::string_view> names;
  names.reserve(fields_.size());
  for (const auto &entry : fields_)
    names.push_back(entry.first.name());
  std::sort(names.begin(), names.end());
  return names;
}

std::size_t Record::hash() const {
  std::size_t seed = fields_.size();
  for (const auto &[field, value] : fields_)
    seed = detail::hash_combine(detail::hash_combine(seed, field.index()),
                                value.hash());
  return seed;
}

} // namespace xcs
