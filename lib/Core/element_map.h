//===- Core/element_map.h - What every mapped call shares -------*- C++ -*-===//
///
/// \file
/// The element semantics of a mapped call, which the eager operator
/// (xcs::vmap, lib/Batch), the routing IR's interpreter (a `map` node) and
/// compiled code (xcs_rt_map) all call, so that the three agree on results
/// and on messages: the common length of the mapped lists, each element's
/// input, and the result assembled from the elements' outcomes (the lowest
/// failed index failing the call, or per-element outcomes). How elements
/// run concurrently is each caller's own: the eager operator hands them to
/// a BatchRunner, compiled code to run_elements().
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/field_id.h"
#include "xcs/operator.h"
#include "xcs/record.h"
#include "xcs/specification.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>
#include <exception>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace xcs::element_map {

/// What a mapped call is, apart from its element: the name its messages
/// give ("vmap(NAME)"), the mapped fields, the element's output fields,
/// and whether it returns per-element outcomes in `errors_field`.
struct Mapping {
  std::string_view name;
  std::span<const FieldId> mapped;
  std::span<const FieldId> outputs;
  bool per_element_outcomes = false;
  FieldId errors_field;
};

/// The element's output fields of a mapped operator with specification
/// \p spec: its outputs but the errors list (\p errors_field, when
/// \p per_element_outcomes). A map node's lists are these.
std::vector<FieldId> element_outputs(const Specification &spec,
                                     bool per_element_outcomes,
                                     FieldId errors_field);

/// Every element's outcome, by index: its output, or what it threw.
struct Outcomes {
  explicit Outcomes(std::size_t count) : outputs(count), errors(count) {}
  std::vector<std::optional<Record>> outputs;
  std::vector<std::exception_ptr> errors;
};

/// The common length of \p mapping's lists in \p inputs; an InputError
/// naming each mapped field and its length when they differ. The mapped
/// fields hold lists (the mapped operator's specification says so).
std::size_t element_count(const Mapping &mapping, const Record &inputs);

/// Element \p index's input: each mapped field's item \p index, and every
/// other field of \p inputs as it is.
Record element_input(const Mapping &mapping, const Record &inputs,
                     std::size_t index);

/// The mapped call's result from every element's outcome: a list per
/// output field (null for a failed element, or one without the field), and
/// with per-element outcomes the errors list (null, or {"type", "message"}
/// per element). Without them, the lowest failed index fails the call with
/// an ElementError that keeps the cause.
Record assemble(const Mapping &mapping, Outcomes outcomes);

/// Calls \p run(i) for every i < \p count on up to \p threads threads (the
/// caller's among them; 0 means min(count, 64)), each index once and every
/// index even when some fail (\p run records its own outcome, and must not
/// throw).
void run_elements(std::size_t count, std::size_t threads,
                  llvm::function_ref<void(std::size_t)> run);

/// The whole mapped call on \p inputs: the length check, then \p element
/// on every element's input, concurrently on up to \p threads threads (as
/// run_elements()), then assemble().
Record map_call(const Mapping &mapping, const Record &inputs,
                llvm::function_ref<Record(const Record &)> element,
                std::size_t threads);

/// map_call() of the operator \p element. When its calls start without a
/// thread (an asynchronous operator, or a plan of asynchronous calls:
/// Core/startable.h), every element is in flight at once, or at most
/// \p limit when it is not 0, and none holds a thread: the calling thread
/// starts them and waits. Otherwise the elements run as map_call() runs
/// them, on up to \p limit threads.
Record map_operator(const Mapping &mapping, const Record &inputs,
                    const Operator &element, std::size_t limit);

} // namespace xcs::element_map
