//===- xcs/vmap.h - Mapping an operator over lists --------------*- C++ -*-===//
///
/// \file
/// xcs::vmap(op, {"prompt"}) maps op over list-valued input fields: element
/// i of each output list is op's output on element i of each mapped input
/// list, with the other input fields passed to every element unchanged.
///
///   OperatorPtr answer_all = xcs::vmap(pipeline, {"question"});
///   Record out = (*answer_all)({{"question", Value::list({"Why?", "How?"})},
///                               {"style", "short"}});
///   // out: {"answer": ["...Why?...", "...How?..."]}
///
/// Ember has vmap and pmap; here one transform is both: the elements of a
/// call run concurrently, within the limits of the operators they call (an
/// asynchronous operator's calls hold no thread; any other operator's
/// calls run on up to VmapOptions::threads threads). It composes with
/// xcs::jit in both orders: vmap(jit(p)) runs each element through jit(p)'s
/// cached plan; jit(vmap(p)) makes the mapped call a map node of the
/// routing IR whose body is p's plan when p is a composite (or a call of
/// jit(p) when p's plan cannot be found on symbols), so p is compiled once
/// whatever the lists' lengths and its elements run concurrently
/// (docs/batch.md, docs/ir.md "Map nodes").
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <cstddef>
#include <string>
#include <vector>

namespace xcs {

struct VmapOptions {
  /// Elements in flight at once, at most; 0 lets every element start.
  std::size_t max_in_flight = 0;
  /// Threads for the calls of an operator that is not asynchronous: 0 is
  /// min(elements, 64). Asynchronous calls hold no thread.
  unsigned threads = 0;
  /// By default a failed element fails the call with an ElementError
  /// naming the lowest failed index (the others still ran). With
  /// per_element_outcomes, the call returns: a failed element's entry in
  /// each output list is null, and the list field `errors_field` holds, per
  /// element, null or {"type": "xcs::InputError", "message": "..."}.
  bool per_element_outcomes = false;
  std::string errors_field = "errors";
};

/// \p op mapped over its input fields \p mapped (each declared by \p op, or
/// accepted by its open inputs, and named once). The result, named
/// "vmap(NAME)", takes a list in each mapped field and the other inputs
/// as \p op does, and returns a list in each of \p op's output fields.
/// InputError here for a null operator, no or unknown or repeated mapped
/// fields, or an errors field that clashes with an output; at a call, for
/// mapped lists of different lengths (naming each field and its length).
/// Empty lists give empty output lists and call nothing.
OperatorPtr vmap(OperatorPtr op, std::vector<std::string> mapped,
                 VmapOptions options = {});

} // namespace xcs
