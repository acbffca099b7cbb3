//===- Core/declared_form.cpp - How IR names a checked-only operator ------===//

#include "Core/declared_form.h"

namespace xcs {

RegistryForm declared_form(std::string_view name, const Specification &spec) {
  return {std::string(declared_registry_name),
          Value::record({{"name", Value(name)}, {"spec", spec.to_value()}})};
}

} // namespace xcs
