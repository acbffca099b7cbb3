//===- Ops/support.h - Helpers shared by the built-in operators -*- C++ -*-===//
///
/// \file
/// Argument checks, error messages and the leaf base class that the
/// built-in operators have in common. Internal to lib/Ops.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xcs::ops::detail {

/// A built-in leaf operator: it declares which input fields each output
/// comes from, so its dataflow is known without running it, and the
/// registry form that makes it again (Driver/builtin_operators.cpp
/// registers the same names and reads the same arguments).
class Leaf : public Operator, public StructureDependency, public Registrable {
public:
  Leaf(std::string name, Specification spec,
       std::vector<FieldDependency> dependencies, RegistryForm form);

  /// The dependencies given at construction.
  std::vector<FieldDependency> structural_dependencies() const override {
    return dependencies_;
  }

  RegistryForm registry_form() const override { return form_; }

private:
  std::vector<FieldDependency> dependencies_;
  RegistryForm form_;
};

/// \p names as a list of strings: a registry argument.
Value string_list(const std::vector<std::string> &names);

/// "operator 'NAME': MESSAGE" as an InputError.
[[noreturn]] void fail(std::string_view op_name, std::string_view message);

/// Throws InputError naming \p factory if \p name is empty: every operator
/// needs a name for messages, traces and dumps.
void check_operator_name(std::string_view factory, std::string_view name);

/// Throws InputError naming \p op_name and the field if any of \p names is
/// empty or repeated. \p role says what the names are ("field", "input").
void check_field_names(std::string_view op_name, std::string_view role,
                       std::span<const std::string> names);
/// The same for one name.
void check_field_name(std::string_view op_name, std::string_view role,
                      const std::string &name);

/// Strings as they are, every other kind in its printed form: how values
/// are written into text meant for people (templates, synthesized answers).
std::string display_text(const Value &value);

} // namespace xcs::ops::detail
