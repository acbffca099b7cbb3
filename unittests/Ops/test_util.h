//===- test_util.h - Helpers shared by the Ops tests ------------*- C++ -*-===//
#pragma once

#include "xcs/operator.h"

#include <gtest/gtest.h>

#include <vector>

namespace xcs::ops::test {

/// The structural dependencies \p op declares; a test failure if it does not
/// implement StructureDependency.
inline std::vector<FieldDependency> dependencies_of(const OperatorPtr &op) {
  auto *structure = dynamic_cast<const StructureDependency *>(op.get());
  EXPECT_NE(structure, nullptr) << op->name() << " declares no structure";
  return structure ? structure->structural_dependencies()
                   : std::vector<FieldDependency>{};
}

} // namespace xcs::ops::test
