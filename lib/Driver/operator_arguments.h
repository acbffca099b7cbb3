//===- Driver/operator_arguments.h - Typed factory arguments ----*- C++ -*-===//
///
/// \file
/// Reads the JSON-object arguments of an operator declared in a routing-IR
/// file, by name and kind. Every mistake is an InputError naming the
/// argument and the kind it expects; the binder adds which operator it was.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/record.h"
#include "xcs/value.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xcs {

class OperatorArguments {
public:
  /// \p arguments is a record or null (no arguments). \p accepted names
  /// every argument the factory reads: any other is reported as unknown,
  /// so a misspelt argument does not silently fall back to a default.
  OperatorArguments(const Value &arguments,
                    std::initializer_list<std::string_view> accepted);

  /// Whether the argument \p name was given.
  bool has(std::string_view name) const { return find(name) != nullptr; }
  /// A required string argument.
  std::string string(std::string_view name) const;
  std::string string_or(std::string_view name, std::string fallback) const;
  /// A required int argument.
  std::int64_t integer(std::string_view name) const;
  /// An int argument within [\p min, \p max].
  std::int64_t integer_in(std::string_view name, std::int64_t fallback,
                          std::int64_t min, std::int64_t max) const;
  /// A number (int or double) argument.
  double number_or(std::string_view name, double fallback) const;
  /// A required list of strings.
  std::vector<std::string> strings(std::string_view name) const;
  /// A required object whose values are strings, as (key, value) pairs.
  std::vector<std::pair<std::string, std::string>>
  string_map(std::string_view name) const;

  /// The argument \p name, of any kind; InputError when absent.
  const Value &required(std::string_view name) const;

private:
  /// The argument \p name, or nullptr when absent.
  const Value *find(std::string_view name) const;

  Record arguments_;
};

} // namespace xcs
