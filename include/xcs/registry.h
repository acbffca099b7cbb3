//===- xcs/registry.h - Operators made by name ------------------*- C++ -*-===//
///
/// \file
/// An OperatorRegistry maps operator names to factories. xcs-jit-dump binds
/// the operator table of a routing-IR file through one: the declaration
///
///   operator @left "affine" {"mul": 2, "add": 5}
///
/// makes the operator that the factory registered as "affine" returns for
/// the arguments {"mul": 2, "add": 5} (null when the declaration has none).
///
/// A plugin is a shared library that adds its operators to the registry
/// from one C entry point:
///
///   extern "C" void xcs_register_operators(xcs::OperatorRegistry &registry) {
///     registry.add("shout", [](const xcs::Value &arguments) {
///       return std::make_shared<Shout>();
///     });
///   }
///
/// A factory reports bad arguments by throwing xcs::InputError with a
/// message naming the argument and the kind it expects; the caller adds
/// which operator was being made.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"
#include "xcs/value.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

/// Makes an operator from its arguments: a record, or null when none were
/// given.
using OperatorFactory = std::function<OperatorPtr(const Value &arguments)>;

class OperatorRegistry {
public:
  /// Registers \p factory under \p name. InputError when \p name is empty,
  /// already registered, or \p factory is empty: a plugin must not silently
  /// replace a built-in operator.
  void add(std::string name, OperatorFactory factory);

  /// The factory registered under \p name, or nullptr.
  const OperatorFactory *find(std::string_view name) const;

  /// Every registered name, sorted.
  std::vector<std::string> names() const;

private:
  std::map<std::string, OperatorFactory, std::less<>> factories_;
};

/// The name of the function a plugin exports, and its type.
inline constexpr const char *register_operators_symbol =
    "xcs_register_operators";
using RegisterOperatorsFunction = void (*)(OperatorRegistry &registry);

} // namespace xcs
