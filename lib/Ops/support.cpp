//===- Ops/support.cpp - Helpers shared by the built-in operators ---------===//

#include "Ops/support.h"

#include "xcs/error.h"

#include <unordered_set>

namespace xcs::ops::detail {

Leaf::Leaf(std::string name, Specification spec,
           std::vector<FieldDependency> dependencies, RegistryForm form)
    : Operator(std::move(name), std::move(spec)),
      dependencies_(std::move(dependencies)), form_(std::move(form)) {}

Value string_list(const std::vector<std::string> &names) {
  std::vector<Value> items(names.begin(), names.end());
  return Value::list(std::move(items));
}

void fail(std::string_view op_name, std::string_view message) {
  throw InputError("operator '" + std::string(op_name) +
                   "': " + std::string(message));
}

void check_operator_name(std::string_view factory, std::string_view name) {
  if (name.empty())
    throw InputError(std::string(factory) + ": the operator name is empty");
}

void check_field_names(std::string_view op_name, std::string_view role,
                       std::span<const std::string> names) {
  std::unordered_set<std::string_view> seen;
  for (const std::string &name : names) {
    if (name.empty())
      fail(op_name, "empty " + std::string(role) + " name");
    if (!seen.insert(name).second)
      fail(op_name, "duplicate " + std::string(role) + " '" + name + "'");
  }
}

void check_field_name(std::string_view op_name, std::string_view role,
                      const std::string &name) {
  check_field_names(op_name, role, {&name, 1});
}

std::string display_text(const Value &value) {
  return value.is_string() ? std::string(value.as_string()) : value.to_string();
}

} // namespace xcs::ops::detail
