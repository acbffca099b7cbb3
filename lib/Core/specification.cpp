//===- specification.cpp - Typed operator signatures ----------------------===//

#include "xcs/specification.h"

#include "Core/symbol.h"
#include "xcs/error.h"
#include "xcs/record.h"

#include <algorithm>

namespace xcs {

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

/// "operator 'op': input field 'x'": where a message about a field points.
std::string field_text(std::string_view op_name, std::string_view role,
                       FieldId id) {
  return "operator '" + std::string(op_name) + "': " + std::string(role) +
         " field '" + std::string(id.name()) + "'";
}

/// Throws InputError if \p value does not have \p field's kind. Plans
/// check kinds on every run: the message is only built for a mismatch.
void check_kind(std::string_view op_name, const char *role,
                const FieldSpec &field, const Value &value) {
  if (field.accepts(value)) [[likely]]
    return;
  if (detail::symbol_tag(value) != 0)
    detail::on_symbol_read(value, "a check of its kind");
  throw InputError(field_text(op_name, role, field.id) + ": expected " +
                   field.kind_text() + ", got " +
                   std::string(kind_name(detail::unobserved_kind(value))));
}

/// Checks \p record against \p fields; \p role is "input" or "output".
void validate(std::string_view op_name, const char *role,
              const std::vector<FieldSpec> &fields, bool open,
              const Record &record) {
  auto where = [&](FieldId id) { return field_text(op_name, role, id); };
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
    check_kind(op_name, role, field, *value);
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

const FieldSpec *Specification::find(SpecSide side, FieldId id) const {
  return side == SpecSide::Inputs ? find_input(id) : find_output(id);
}

void Specification::validate_inputs(std::string_view op_name,
                                    const Record &inputs) const {
  validate(op_name, "input", inputs_, open_inputs_, inputs);
}

void Specification::validate_outputs(std::string_view op_name,
                                     const Record &outputs) const {
  validate(op_name, "output", outputs_, false, outputs);
}

void Specification::validate_kinds(std::string_view op_name, SpecSide side,
                                   const Record &values) const {
  for (const auto &[id, value] : values)
    validate_kind(op_name, side, id, value);
}

void Specification::validate_kind(std::string_view op_name, SpecSide side,
                                  FieldId id, const Value &value) const {
  if (const FieldSpec *field = find(side, id))
    check_kind(op_name, side == SpecSide::Inputs ? "input" : "output", *field,
               value);
}

std::string_view side_name(SpecSide side) {
  return side == SpecSide::Inputs ? "inputs" : "outputs";
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

namespace {

Value fields_value(const std::vector<FieldSpec> &fields) {
  Record record;
  for (const FieldSpec &field : fields)
    record.set(std::string(field.id.name()) + (field.required ? "" : "?"),
               Value(field.kind_text()));
  return Value::record(std::move(record));
}

std::optional<Kind> kind_named(std::string_view where, std::string_view name) {
  if (name == "any")
    return std::nullopt;
  for (Kind kind : {Kind::Null, Kind::Bool, Kind::Int, Kind::Double,
                    Kind::String, Kind::List, Kind::Record, Kind::Opaque})
    if (kind_name(kind) == name)
      return kind;
  throw InputError("specification: " + std::string(where) + ": unknown kind '" +
                   std::string(name) +
                   "' (kinds: any, null, bool, int, double, string, list, "
                   "record, opaque)");
}

/// Declares each entry of \p value's \p side record through \p declare
/// (required) or \p optional.
template <typename Declare, typename Optional>
void declare_fields(const Record &value, std::string_view side,
                    Declare declare, Optional optional) {
  const Value *fields = value.find(FieldId(side));
  if (!fields)
    return;
  if (!fields->is_record())
    throw InputError("specification: '" + std::string(side) +
                     "' must be a record of field kinds");
  for (const auto &[field, kind] : fields->as_record()) {
    std::string name(field.name());
    std::string where = std::string(side) + "." + name;
    if (!kind.is_string())
      throw InputError("specification: " + where + ": the kind must be a string");
    std::optional<Kind> parsed = kind_named(where, kind.as_string());
    if (name.ends_with('?'))
      optional(name.substr(0, name.size() - 1), parsed);
    else
      declare(name, parsed);
  }
}

} // namespace

Value Specification::to_value() const {
  Record record{{"inputs", fields_value(inputs_)},
                {"outputs", fields_value(outputs_)}};
  if (open_inputs_)
    record.set("open_inputs", Value(true));
  return Value::record(std::move(record));
}

Specification Specification::from_value(const Value &value) {
  if (!value.is_record())
    throw InputError("specification: expected a record with inputs and "
                     "outputs, got " + std::string(kind_name(value.kind())));
  const Record &record = value.as_record();
  for (const auto &[field, ignored] : record)
    if (field.name() != "inputs" && field.name() != "outputs" &&
        field.name() != "open_inputs")
      throw InputError("specification: unknown entry '" +
                       std::string(field.name()) +
                       "' (entries: inputs, outputs, open_inputs)");
  Specification spec;
  declare_fields(
      record, "inputs",
      [&](std::string_view name, std::optional<Kind> kind) { spec.input(name, kind); },
      [&](std::string_view name, std::optional<Kind> kind) {
        spec.optional_input(name, kind);
      });
  declare_fields(
      record, "outputs",
      [&](std::string_view name, std::optional<Kind> kind) { spec.output(name, kind); },
      [&](std::string_view name, std::optional<Kind> kind) {
        spec.optional_output(name, kind);
      });
  if (const Value *open = record.find(FieldId("open_inputs"))) {
    if (!open->is_bool())
      throw InputError("specification: 'open_inputs' must be a bool");
    if (open->as_bool())
      spec.open_inputs();
  }
  return spec;
}

} // namespace xcs
