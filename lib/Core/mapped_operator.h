//===- Core/mapped_operator.h - An operator mapped over lists ---*- C++ -*-===//
///
/// \file
/// xcs::vmap (lib/Batch) implements MappedOperator so that the JIT, a layer
/// below it, can compile the element operator once: a plan holding a
/// mapped call replaces it by the same mapping of jit(element), whose plan
/// serves every element of every call, whatever the lists' lengths.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

namespace xcs {

class MappedOperator {
public:
  virtual ~MappedOperator();
  /// The operator called on each element.
  virtual const OperatorPtr &element() const = 0;
  /// The same mapping (fields, options) of \p element, which must compute
  /// what element() computes.
  virtual OperatorPtr with_element(OperatorPtr element) const = 0;
};

} // namespace xcs
