//===- Batch/vmap.cpp - Mapping an operator over lists --------------------===//
///
/// \file
/// A vmap call is a batch run over its elements: BatchRunner starts them
/// (asynchronous operators without a thread, others on a few threads) and
/// delivers each outcome by index, which the call puts in place.
///
//===----------------------------------------------------------------------===//

#include "xcs/vmap.h"

#include "Core/element_map.h"
#include "Core/mapped_operator.h"
#include "Core/trace_hooks.h"
#include "xcs/batch.h"
#include "xcs/error.h"
#include "xcs/trace.h"

#include <algorithm>
#include <optional>
#include <set>

namespace xcs {
namespace {

/// The specification of \p op mapped over \p mapped: mapped inputs and
/// every output become lists.
Specification mapped_spec(const Operator &op, const std::vector<FieldId> &mapped,
                          const VmapOptions &options) {
  Specification spec;
  for (const FieldSpec &field : op.spec().inputs()) {
    bool is_mapped = std::ranges::find(mapped, field.id) != mapped.end();
    std::optional<Kind> kind = is_mapped ? Kind::List : field.kind;
    if (field.required)
      spec.input(field.id.name(), kind);
    else
      spec.optional_input(field.id.name(), kind);
  }
  // A mapped field the operator accepts through open inputs.
  for (FieldId field : mapped)
    if (!op.spec().find_input(field))
      spec.input(field.name(), Kind::List);
  if (op.spec().has_open_inputs())
    spec.open_inputs();
  for (const FieldSpec &field : op.spec().outputs())
    spec.output(field.id.name(), Kind::List);
  if (options.per_element_outcomes)
    spec.output(options.errors_field, Kind::List);
  return spec;
}

class Vmap : public Operator, public StructureDependency, public MappedOperator {
public:
  Vmap(OperatorPtr op, std::vector<FieldId> mapped, VmapOptions options)
      : Operator("vmap(" + op->name() + ")",
                 mapped_spec(*op, mapped, options)),
        op_(std::move(op)), mapped_(std::move(mapped)),
        options_(std::move(options)) {}

  Record forward(const Record &traced) const override {
    // A traced call's values carry the trace's stamps. The call is a leaf
    // of the trace, and its elements run on other threads, where the tracer
    // cannot follow them: they get the plain values, so that the trace does
    // not give up the composite calling the mapped operator.
    Record storage;
    const Record &inputs =
        detail::live_tracers.load(std::memory_order_relaxed) != 0
            ? (storage = unstamped(traced))
            : traced;
    element_map::Mapping mapping = this->mapping();
    std::size_t count = element_map::element_count(mapping, inputs);
    element_map::Outcomes outcomes(count);
    if (count > 0) {
      Elements source(mapping, inputs, count);
      BatchRunner runner(op_, batch_options(count));
      runner.run(source, [&](BatchOutcome outcome) {
        outcomes.outputs[outcome.index] = std::move(outcome.output);
        outcomes.errors[outcome.index] = std::move(outcome.error);
      });
    }
    return element_map::assemble(mapping, std::move(outcomes));
  }

  const OperatorPtr &element() const override { return op_; }

  MapForm map_form() const override {
    return {mapped_, options_.per_element_outcomes,
            FieldId(options_.errors_field), options_.max_in_flight,
            options_.threads};
  }

  /// Every output from every input: an element's outputs come from its
  /// inputs, and the broadcast ones.
  std::vector<FieldDependency> structural_dependencies() const override {
    return every_output_from_every_input(spec());
  }

private:
  /// The elements of one call, as a batch source.
  class Elements : public BatchSource {
  public:
    Elements(const element_map::Mapping &mapping, const Record &inputs,
             std::size_t count)
        : mapping_(mapping), inputs_(inputs), count_(count) {}
    std::optional<BatchItem> next() override {
      if (next_ == count_)
        return std::nullopt;
      BatchItem item;
      item.index = next_;
      item.input = element_map::element_input(mapping_, inputs_, next_++);
      return item;
    }
    std::optional<std::uint64_t> total() const override { return count_; }

  private:
    const element_map::Mapping &mapping_;
    const Record &inputs_;
    std::size_t count_;
    std::size_t next_ = 0;
  };

  /// What the call shares with a map node of the routing IR.
  element_map::Mapping mapping() const {
    return {name(), mapped_, outputs_, options_.per_element_outcomes,
            FieldId(options_.errors_field)};
  }

  BatchOptions batch_options(std::size_t count) const {
    BatchOptions batch;
    batch.max_in_flight =
        options_.max_in_flight == 0 ? count : options_.max_in_flight;
    batch.threads = options_.threads;
    return batch;
  }

  OperatorPtr op_;
  std::vector<FieldId> mapped_;
  VmapOptions options_;
  /// The element's output fields, in its specification's order.
  std::vector<FieldId> outputs_ = element_map::element_outputs(
      op_->spec(), false, FieldId());
};

OperatorPtr vmap_with_defaults(OperatorPtr op, std::vector<std::string> mapped) {
  return vmap(std::move(op), std::move(mapped));
}

/// Lets the layers below map operators (Core/mapped_operator.h).
[[maybe_unused]] const bool installed =
    (detail::vmap_factory.store(&vmap_with_defaults), true);

} // namespace

OperatorPtr vmap(OperatorPtr op, std::vector<std::string> mapped,
                 VmapOptions options) {
  if (!op)
    throw InputError("vmap: the operator is null");
  std::string where = "vmap(" + op->name() + "): ";
  if (mapped.empty())
    throw InputError(where + "no mapped fields (name the list-valued inputs)");
  std::set<std::string> seen;
  std::vector<FieldId> fields;
  for (const std::string &name : mapped) {
    if (!seen.insert(name).second)
      throw InputError(where + "field '" + name + "' is mapped twice");
    FieldId field(name);
    if (!op->spec().find_input(field) && !op->spec().has_open_inputs())
      throw InputError(where + "field '" + name +
                       "' is not an input of operator '" + op->name() +
                       "' (inputs: " + op->spec().to_string() + ")");
    fields.push_back(field);
  }
  if (options.per_element_outcomes &&
      op->spec().find_output(FieldId(options.errors_field)))
    throw InputError(where + "errors_field '" + options.errors_field +
                     "' is also an output of operator '" + op->name() + "'");
  return std::make_shared<Vmap>(std::move(op), std::move(fields),
                                std::move(options));
}

} // namespace xcs
