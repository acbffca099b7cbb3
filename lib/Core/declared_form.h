//===- Core/declared_form.h - How IR names a checked-only operator -*- C++ -*-===//
///
/// \file
/// A flattened composite stays in a plan's operator table only for its
/// checks, which need its name and specification and never call it. The
/// routing IR names such an operator by the registry form of
/// ops::declared, so the printed IR of any traced pipeline with checks
/// reads back: the reader binds an operator with the same name and
/// specification.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <string_view>

namespace xcs {

/// The name ops::declared is registered under.
inline constexpr std::string_view declared_registry_name = "declared";

/// {"declared", {"name": NAME, "spec": SPEC}} for an operator named \p name
/// with specification \p spec (Specification::to_value()).
RegistryForm declared_form(std::string_view name, const Specification &spec);

} // namespace xcs
