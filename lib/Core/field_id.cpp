//===- field_id.cpp - Interned field names --------------------------------===//

#include "xcs/field_id.h"

#include "Core/name_table.h"

namespace xcs {
namespace {

detail::NameTable &table() {
  static detail::NameTable instance;
  return instance;
}

} // namespace

FieldId::FieldId(std::string_view name) : index_(table().intern(name)) {}

std::string_view FieldId::name() const {
  return index_ == 0 ? "<invalid field>" : table().name(index_);
}

} // namespace xcs
