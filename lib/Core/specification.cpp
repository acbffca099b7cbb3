//===- specification.cpp - Typed operator signatures ----------------------===//

#include "xcs/specification.h"


#include "xcs/error.h"
#include "xcs/record.h"

#include <algorithm>

namespace xcs {

bool FieldSpec::accepts(const Value &value) const {
  Kind actual = detail::unobserved_kind(value);
  if (!kind || actual == *kind)
    return true;
  return *kind == Kind::Double && actual == Kind::Int;
}

std::string FieldSpec::kind_text() const {
  return kind ? std::string(kind_name(*kind)) : std::string("any");
}

Specification &Specification::declare(std::vector<FieldSpec> &fields,
                                      std::string_view name,
                                      std::optional<Kind> kind,
                                      bool required) {
  FieldId id(name);
  if (name.empty())
    throw InputError("specification: a field name must not be empty");
  if (std::any_of(fields.begin(), fields.end(),
                  [&](const FieldSpec &f) { return f.id == id; }))
    throw InputError("specification: field '" + std::string(name) +
                     "' is declared twice");
  fields.push_back(FieldSpec{id, kind, required});
  return *this;
}

Specification &Specification::input(std::string_view name,
                                    std::optional<Kind> kind) {
  return declare(inputs_, name, kind, true);
}

Specification &Specification::optional_input(std::string_view name,
                                             std::optional<Kind> kind) {
  return declare(inputs_, name, kind, false);
}

Specification &Specification::output(std::string_view name,
                                     std::optional<Kind> kind) {
  return declare(outputs_, name, kind, true);
}

Specification &Specification::optional_output(std::string_view name,
                                              std::optional<Kind> kind) {
  return declare(outputs_, name, kind, false);
}

Specification &Specification::open_inputs() {
  open_inputs_ = true;
  return *this;
}

namespace {

const FieldSpec *find_field(const std::vector<FieldSpec> &fields, FieldId id) {
  for (const FieldSpec &field : fields)
    if (field.id == id)
      return &field;
  return nullptr;
}

std::string field_list(const std::vector<FieldSpec> &fields) {
  std::string text;
  for (const FieldSpec &field : fields)
    text += (text.empty() ? "" : ", ") + std::string(field.id.name());
  return text.empty() ? "none" : text;
}

/// Checks \p record against \p fields; \p role is "input" or "output".
void validate(std::string_view op_name, std::string_view role,
              const std::vector<FieldSpec> &fields, bool open,
              const Record &record) {
  auto where = [&](FieldId id) {
    return "operator '" + std::string(op_name) + "': " + std::string(role) +
           " field '" + std::string(id.name()) + "'";
  };
  std::size_t declared_present = 0;
  for (const FieldSpec &field : fields) {
    const Value *value = record.find(field.id);
    if (!value) {
      if (field.required)
        throw InputError(where(field.id) + ": missing (expected " +
                         field.kind_text() + ")");
      continue;
    }
    ++declared_present;
    if (!field.accepts(*value))
      throw InputError(where(field.id) + ": expected " + field.kind_text() +
                       ", got " +
                       std::string(kind_name(detail::unobserved_kind(*value))));
  }
  // Only when the record has fields beyond the declared ones present is it
  // worth searching for the unknown one.
  if (open || record.size() == declared_present)
    return;
  for (const auto &entry : record)
    if (!find_field(fields, entry.first))
      throw InputError(where(entry.first) + ": unknown (declared: " +
                       field_list(fields) + ")");
}

} // namespace

const FieldSpec *Specification::find_input(FieldId id) const {
  return find_field(inputs_, id);
}

const FieldSpec *Specification::find_output(FieldId id) const {
  return find_field(outputs_, id);
}

void Specification::validate_inputs(std::string_view op_name,
                                    const Record &inputs) const {
  validate(op_name, "input", inputs_, open_inputs_, inputs);
}

void Specification::validate_outputs(std::string_view op_name,
                                     const Record &outputs) const {
  validate(op_name, "output", outputs_, false, outputs);
}

std::string Specification::to_string() const {
  auto list = [](const std::vector<FieldSpec> &fields, bool open) {
    std::string text;
    for (const FieldSpec &field : fields)
      text += (text.empty() ? "" : ", ") + std::string(field.id.name()) +
              (field.required ? "" : "?") + ": " + field.kind_text();
    if (open)
      text += text.empty() ? "..." : ", ...";
    return "(" + text + ")";
  };
  return list(inputs_, open_inputs_) + " -> " + list(outputs_, false);
}

} // namespace xcs
