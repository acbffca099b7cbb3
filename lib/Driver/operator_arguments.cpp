//===- Driver/operator_arguments.cpp - Typed factory arguments ------------===//

#include "Driver/operator_arguments.h"

#include "xcs/error.h"

#include <algorithm>

namespace xcs {
namespace {

[[noreturn]] void wrong_kind(std::string_view name, std::string_view expected,
                             const Value &value) {
  throw InputError("argument '" + std::string(name) + "' must be " +
                   std::string(expected) + ", got " +
                   std::string(kind_name(value.kind())));
}

std::string join(std::initializer_list<std::string_view> names) {
  std::string text;
  for (std::string_view name : names)
    text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

} // namespace

OperatorArguments::OperatorArguments(
    const Value &arguments, std::initializer_list<std::string_view> accepted) {
  if (arguments.is_null())
    return;
  arguments_ = arguments.as_record();
  for (std::string_view name : arguments_.sorted_names())
    if (std::ranges::find(accepted, name) == accepted.end())
      throw InputError("unknown argument '" + std::string(name) + "' (" +
                       (accepted.size() == 0 ? "it takes no arguments"
                                             : "expected " + join(accepted)) +
                       ")");
}

const Value *OperatorArguments::find(std::string_view name) const {
  return arguments_.find(name);
}

const Value &OperatorArguments::required(std::string_view name) const {
  const Value *value = find(name);
  if (!value)
    throw InputError("missing argument '" + std::string(name) + "'");
  return *value;
}

std::string OperatorArguments::string(std::string_view name) const {
  const Value &value = required(name);
  if (!value.is_string())
    wrong_kind(name, "a string", value);
  return std::string(value.as_string());
}

std::string OperatorArguments::string_or(std::string_view name,
                                         std::string fallback) const {
  return find(name) ? string(name) : fallback;
}

std::int64_t OperatorArguments::integer(std::string_view name) const {
  const Value &value = required(name);
  if (!value.is_int())
    wrong_kind(name, "an int", value);
  return value.as_int();
}

std::int64_t OperatorArguments::integer_in(std::string_view name,
                                           std::int64_t fallback,
                                           std::int64_t min,
                                           std::int64_t max) const {
  if (!find(name))
    return fallback;
  std::int64_t value = integer(name);
  if (value < min || value > max)
    throw InputError("argument '" + std::string(name) + "' must be in [" +
                     std::to_string(min) + ", " + std::to_string(max) +
                     "], got " + std::to_string(value));
  return value;
}

double OperatorArguments::number_or(std::string_view name,
                                    double fallback) const {
  const Value *value = find(name);
  if (!value)
    return fallback;
  if (value->is_int())
    return static_cast<double>(value->as_int());
  if (!value->is_double())
    wrong_kind(name, "a number", *value);
  return value->as_double();
}

std::vector<std::string>
OperatorArguments::strings(std::string_view name) const {
  const Value &value = required(name);
  if (!value.is_list())
    wrong_kind(name, "a list of strings", value);
  std::vector<std::string> items;
  for (const Value &item : value.as_list()) {
    if (!item.is_string())
      wrong_kind(name, "a list of strings", item);
    items.emplace_back(item.as_string());
  }
  return items;
}

std::vector<std::pair<std::string, std::string>>
OperatorArguments::string_map(std::string_view name) const {
  const Value &value = required(name);
  if (!value.is_record())
    wrong_kind(name, "an object of strings", value);
  const Record &record = value.as_record();
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::string_view key : record.sorted_names()) {
    const Value &item = *record.find(key);
    if (!item.is_string())
      wrong_kind(name, "an object of strings", item);
    pairs.emplace_back(key, item.as_string());
  }
  return pairs;
}

} // namespace xcs
