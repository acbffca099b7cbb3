//===- Core/mapped_operator.h - An operator mapped over lists ---*- C++ -*-===//
///
/// \file
/// xcs::vmap (lib/Batch) implements MappedOperator so that the JIT, a layer
/// below it, can compile the element operator once: a plan holding a
/// mapped call of a composite makes it a `map` node of the routing IR whose
/// body is the element's plan (docs/ir.md, "Map nodes"), or, when a
/// symbolic run cannot give that plan, a call of jit(element). Either way
/// one plan serves every element of every call, whatever the lists'
/// lengths.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/field_id.h"
#include "xcs/operator.h"

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

namespace xcs {

/// How a mapped operator maps its element (xcs::VmapOptions, as the layers
/// below lib/Batch see it).
struct MapForm {
  std::vector<FieldId> mapped;
  bool per_element_outcomes = false;
  FieldId errors_field;
  /// Elements in flight at once, at most; 0 for all.
  std::size_t max_in_flight = 0;
  /// Threads for elements that are not asynchronous; 0 for min(count, 64).
  unsigned threads = 0;
};

class MappedOperator {
public:
  virtual ~MappedOperator();
  /// The operator called on each element.
  virtual const OperatorPtr &element() const = 0;
  /// Which fields it maps, and how.
  virtual MapForm map_form() const = 0;
};

namespace detail {

/// xcs::vmap(element, mapped) with default options, for the layers below
/// lib/Batch that map an operator (the built-in examples). lib/Batch
/// installs it when the library loads; null before.
using VmapFactory = OperatorPtr (*)(OperatorPtr element,
                                    std::vector<std::string> mapped);
extern std::atomic<VmapFactory> vmap_factory;

} // namespace detail
} // namespace xcs
