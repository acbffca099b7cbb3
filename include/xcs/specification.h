//===- xcs/specification.h - Typed operator signatures ----------*- C++ -*-===//
///
/// \file
/// A Specification names an operator's input and output fields, the kind
/// each must have (or any kind) and whether it is required. Every operator
/// call is checked against it; a mismatch is an InputError that names the
/// operator, the field, the expected and the actual kind.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/field_id.h"
#include "xcs/value.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

class Record;

/// One declared field.
struct FieldSpec {
  FieldId id;
  /// The kind the value must have; nullopt accepts any kind. A double field
  /// also accepts an int.
  std::optional<Kind> kind;
  bool required = true;

  /// Whether \p value satisfies the declared kind. Inline: every call
  /// validates its operands' kinds with it.
  bool accepts(const Value &value) const {
    return accepts_kind(detail::unobserved_kind(value));
  }
  /// Whether every value of kind \p actual satisfies it.
  bool accepts_kind(Kind actual) const {
    if (!kind || actual == *kind)
      return true;
    return *kind == Kind::Double && actual == Kind::Int;
  }
  /// "int", "any", ...
  std::string kind_text() const;
};

/// One side of a specification: what an operator takes or what it returns.
enum class SpecSide { Inputs, Outputs };

/// "inputs" or "outputs".
std::string_view side_name(SpecSide side);

class Specification {
public:
  Specification() = default;

  /// Builder-style declarations: Specification().input("x", Kind::Int).
  Specification &input(std::string_view name,
                       std::optional<Kind> kind = std::nullopt);
  Specification &optional_input(std::string_view name,
                                std::optional<Kind> kind = std::nullopt);
  Specification &output(std::string_view name,
                        std::optional<Kind> kind = std::nullopt);
  Specification &optional_output(std::string_view name,
                                 std::optional<Kind> kind = std::nullopt);
  /// Accept input fields that are not declared (pass-through operators).
  Specification &open_inputs();

  const std::vector<FieldSpec> &inputs() const { return inputs_; }
  const std::vector<FieldSpec> &outputs() const { return outputs_; }
  bool has_open_inputs() const { return open_inputs_; }
  const FieldSpec *find_input(FieldId id) const;
  const FieldSpec *find_output(FieldId id) const;
  /// find_input or find_output, as \p side says.
  const FieldSpec *find(SpecSide side, FieldId id) const;

  /// Throws InputError if \p inputs lacks a required field, has an undeclared
  /// one (unless open) or a field of the wrong kind. \p op_name is the name
  /// used in the message.
  void validate_inputs(std::string_view op_name, const Record &inputs) const;
  /// The same for the record an operator returned.
  void validate_outputs(std::string_view op_name, const Record &outputs) const;
  /// Only the kind checks of validate_inputs or validate_outputs, for the
  /// fields of \p values, with the same message. A compiled plan checks
  /// what a flattened composite's validation would have found, where the
  /// trace cannot prove the kinds.
  void validate_kinds(std::string_view op_name, SpecSide side,
                      const Record &values) const;
  /// The same for one field.
  void validate_kind(std::string_view op_name, SpecSide side, FieldId field,
                     const Value &value) const;

  /// "(query: string, n?: int) -> (answer: string)".
  std::string to_string() const;

  /// As a record, the form registry arguments use:
  /// {"inputs": {"query": "string", "n?": "int"}, "outputs": {...}} with
  /// "open_inputs": true when open; `?` marks an optional field, "any" a
  /// field of any kind.
  Value to_value() const;
  /// The specification \p value describes (the form to_value() writes; the
  /// fields in the record's order, not the order declared). InputError
  /// naming the entry for anything else.
  static Specification from_value(const Value &value);

private:
  Specification &declare(std::vector<FieldSpec> &fields, std::string_view name,
                         std::optional<Kind> kind, bool required);
  std::vector<FieldSpec> inputs_;
  std::vector<FieldSpec> outputs_;
  bool open_inputs_ = false;
};

} // namespace xcs
