//===- Ops/routing.cpp - identity, select, rename, format -----------------===//
///
/// \file
/// Operators that only move values between fields. Format is the one that
/// builds a new value, and it does so from a template parsed once at
/// construction, so a malformed template fails before any call.
///
//===----------------------------------------------------------------------===//

#include "Ops/support.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <algorithm>
#include <memory>

namespace xcs::ops {
namespace {

using detail::check_field_name;
using detail::check_field_names;
using detail::Leaf;
using detail::string_list;

std::vector<FieldId> intern(const std::vector<std::string> &names) {
  std::vector<FieldId> ids;
  ids.reserve(names.size());
  for (const std::string &name : names)
    ids.emplace_back(name);
  return ids;
}

/// Each field depends on the input of the same name.
std::vector<FieldDependency> same_name(const std::vector<FieldId> &fields) {
  std::vector<FieldDependency> dependencies;
  for (FieldId field : fields)
    dependencies.push_back({field, {field}});
  return dependencies;
}

/// Declares every name in \p names as a required input and output of any
/// kind.
Specification pass_through(const std::vector<std::string> &names) {
  Specification spec;
  for (const std::string &name : names)
    spec.input(name).output(name);
  return spec;
}

class Identity : public Leaf {
public:
  explicit Identity(const std::vector<std::string> &fields)
      : Leaf("Identity", pass_through(fields), same_name(intern(fields)),
             {"identity", Value::record({{"fields", string_list(fields)}})}) {}

  /// Validation already rejected undeclared fields, so the inputs are
  /// exactly the outputs.
  Record forward(const Record &inputs) const override { return inputs; }
};

class Select : public Leaf {
public:
  explicit Select(const std::vector<std::string> &fields)
      : Leaf("Select", pass_through(fields).open_inputs(),
             same_name(intern(fields)),
             {"select", Value::record({{"fields", string_list(fields)}})}),
        fields_(intern(fields)) {}

  Record forward(const Record &inputs) const override {
    Record outputs;
    outputs.reserve(fields_.size());
    for (FieldId field : fields_)
      outputs.set(field, inputs.at(field));
    return outputs;
  }

private:
  std::vector<FieldId> fields_;
};

class Rename : public Leaf {
public:
  using Mapping = std::vector<std::pair<std::string, std::string>>;

  explicit Rename(const Mapping &mapping)
      : Leaf("Rename", spec_of(mapping), dependencies_of(mapping),
             {"rename", Value::record({{"mapping", mapping_value(mapping)}})}) {
    for (const auto &[from, to] : mapping)
      mapping_.emplace_back(FieldId(from), FieldId(to));
  }

  Record forward(const Record &inputs) const override {
    Record outputs;
    outputs.reserve(mapping_.size());
    for (const auto &[from, to] : mapping_)
      outputs.set(to, inputs.at(from));
    return outputs;
  }

private:
  static Specification spec_of(const Mapping &mapping) {
    Specification spec;
    for (const auto &[from, to] : mapping)
      spec.input(from).output(to);
    return spec;
  }
  /// {"from": "to", ...}, the factory's "mapping".
  static Value mapping_value(const Mapping &mapping) {
    Record record;
    for (const auto &[from, to] : mapping)
      record.set(from, Value(to));
    return Value::record(std::move(record));
  }
  static std::vector<FieldDependency> dependencies_of(const Mapping &mapping) {
    std::vector<FieldDependency> dependencies;
    for (const auto &[from, to] : mapping)
      dependencies.push_back({FieldId(to), {FieldId(from)}});
    return dependencies;
  }

  std::vector<std::pair<FieldId, FieldId>> mapping_;
};

/// One piece of a format template: literal text, or a placeholder when
/// field is valid.
struct Piece {
  std::string literal;
  FieldId field;
};

[[noreturn]] void template_error(std::string_view text, std::size_t position,
                                 std::string_view what) {
  detail::fail("Format", "template '" + std::string(text) +
                             "': " + std::string(what) + " at column " +
                             std::to_string(position + 1));
}

/// Parses the placeholder whose `{` is at \p open into a piece; returns the
/// position of its closing `}`.
std::size_t parse_placeholder(std::string_view text, std::size_t open,
                              std::vector<Piece> &pieces) {
  std::size_t close = text.find_first_of("{}", open + 1);
  if (close == std::string_view::npos)
    template_error(text, open, "unclosed '{'");
  if (text[close] == '{')
    template_error(text, close, "'{' inside a placeholder");
  if (close == open + 1)
    template_error(text, open, "empty placeholder '{}'");
  pieces.push_back({{}, FieldId(text.substr(open + 1, close - open - 1))});
  return close;
}

std::vector<Piece> parse_template(std::string_view text) {
  std::vector<Piece> pieces;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty())
      pieces.push_back({std::move(literal), FieldId()});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool brace = c == '{' || c == '}';
    if (brace && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
    } else if (c == '}') {
      template_error(text, i, "unmatched '}'");
    } else if (c == '{') {
      flush();
      i = parse_placeholder(text, i, pieces);
    } else {
      literal += c;
    }
  }
  flush();
  return pieces;
}

/// The distinct placeholder fields of \p pieces, in first-use order.
std::vector<FieldId> placeholders(const std::vector<Piece> &pieces) {
  std::vector<FieldId> fields;
  for (const Piece &piece : pieces)
    if (piece.field.valid() &&
        std::find(fields.begin(), fields.end(), piece.field) == fields.end())
      fields.push_back(piece.field);
  return fields;
}

class Format : public Leaf {
public:
  Format(std::string_view text, std::vector<Piece> pieces, FieldId output)
      : Leaf("Format", spec_of(placeholders(pieces), output),
             {{output, placeholders(pieces)}},
             {"format", Value::record({{"text", Value(text)},
                                       {"output", Value(output.name())}})}),
        pieces_(std::move(pieces)), output_(output) {}

  Record forward(const Record &inputs) const override {
    std::string text;
    for (const Piece &piece : pieces_) {
      if (piece.field.valid())
        text += detail::display_text(inputs.at(piece.field));
      else
        text += piece.literal;
    }
    Record outputs;
    outputs.set(output_, Value(std::move(text)));
    return outputs;
  }

private:
  static Specification spec_of(const std::vector<FieldId> &fields,
                               FieldId output) {
    Specification spec;
    for (FieldId field : fields)
      spec.input(field.name());
    return spec.output(output.name(), Kind::String);
  }

  std::vector<Piece> pieces_;
  FieldId output_;
};

} // namespace

OperatorPtr identity(std::vector<std::string> fields) {
  check_field_names("Identity", "field", fields);
  return std::make_shared<Identity>(fields);
}

OperatorPtr select(std::vector<std::string> fields) {
  check_field_names("Select", "field", fields);
  return std::make_shared<Select>(fields);
}

OperatorPtr rename(std::vector<std::pair<std::string, std::string>> mapping) {
  std::vector<std::string> from, to;
  for (const auto &[source, target] : mapping) {
    from.push_back(source);
    to.push_back(target);
  }
  check_field_names("Rename", "input field", from);
  check_field_names("Rename", "output field", to);
  return std::make_shared<Rename>(mapping);
}

OperatorPtr format(std::string text, std::string output) {
  check_field_name("Format", "output field", output);
  return std::make_shared<Format>(text, parse_template(text), FieldId(output));
}

} // namespace xcs::ops
