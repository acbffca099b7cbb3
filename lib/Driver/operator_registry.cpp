//===- Driver/operator_registry.cpp - Operators made by name --------------===//

#include "xcs/registry.h"

#include "xcs/error.h"

namespace xcs {

void OperatorRegistry::add(std::string name, OperatorFactory factory) {
  if (name.empty())
    throw InputError("operator registry: an operator name is empty");
  if (!factory)
    throw InputError("operator registry: the factory of '" + name +
                     "' is empty");
  if (factories_.contains(name))
    throw InputError("operator registry: '" + name + "' is already registered");
  factories_.emplace(std::move(name), std::move(factory));
}

const OperatorFactory *OperatorRegistry::find(std::string_view name) const {
  auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> OperatorRegistry::names() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto &entry : factories_)
    names.push_back(entry.first);
  return names;
}

} // namespace xcs
