//===- Batch/vmap.cpp - Mapping an operator over lists --------------------===//
///
/// \file
/// A vmap call is a batch run over its elements: BatchRunner starts them
/// (asynchronous operators without a thread, others on a few threads) and
/// delivers each outcome by index, which the call puts in place.
///
//===----------------------------------------------------------------------===//

#include "xcs/vmap.h"

#include "Core/mapped_operator.h"
#include "xcs/batch.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"

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

  Record forward(const Record &inputs) const override {
    std::size_t count = element_count(inputs);
    std::vector<std::optional<Record>> outputs(count);
    std::vector<std::exception_ptr> errors(count);
    if (count > 0) {
      Elements source(*this, inputs, count);
      BatchRunner runner(op_, batch_options(count));
      runner.run(source, [&](BatchOutcome outcome) {
        outputs[outcome.index] = std::move(outcome.output);
        errors[outcome.index] = std::move(outcome.error);
      });
    }
    if (!options_.per_element_outcomes)
      for (std::size_t i = 0; i < count; ++i)
        if (errors[i])
          throw ElementError(name(), i, errors[i]);
    return assemble(outputs, errors);
  }

  const OperatorPtr &element() const override { return op_; }

  OperatorPtr with_element(OperatorPtr element) const override {
    return std::make_shared<Vmap>(std::move(element), mapped_, options_);
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
    Elements(const Vmap &vmap, const Record &inputs, std::size_t count)
        : vmap_(vmap), inputs_(inputs), count_(count) {}
    std::optional<BatchItem> next() override {
      if (next_ == count_)
        return std::nullopt;
      BatchItem item;
      item.index = next_;
      item.input = vmap_.element_input(inputs_, next_++);
      return item;
    }
    std::optional<std::uint64_t> total() const override { return count_; }

  private:
    const Vmap &vmap_;
    const Record &inputs_;
    std::size_t count_;
    std::size_t next_ = 0;
  };

  /// The common length of the mapped lists; InputError naming each mapped
  /// field and its length when they differ.
  std::size_t element_count(const Record &inputs) const {
    std::size_t count = inputs.at(mapped_[0]).as_list().size();
    bool same = std::ranges::all_of(mapped_, [&](FieldId field) {
      return inputs.at(field).as_list().size() == count;
    });
    if (same)
      return count;
    std::string lengths;
    for (FieldId field : mapped_)
      lengths += (lengths.empty() ? "" : ", ") + std::string(field.name()) +
                 " has " + std::to_string(inputs.at(field).as_list().size());
    throw InputError("operator '" + name() +
                     "': mapped fields have different lengths: " + lengths);
  }

  Record element_input(const Record &inputs, std::size_t index) const {
    Record element;
    for (const auto &[field, value] : inputs) {
      bool is_mapped = std::ranges::find(mapped_, field) != mapped_.end();
      element.set(field, is_mapped ? value.as_list()[index] : value);
    }
    return element;
  }

  BatchOptions batch_options(std::size_t count) const {
    BatchOptions batch;
    batch.max_in_flight =
        options_.max_in_flight == 0 ? count : options_.max_in_flight;
    batch.threads = options_.threads;
    return batch;
  }

  Record assemble(const std::vector<std::optional<Record>> &outputs,
                  const std::vector<std::exception_ptr> &errors) const {
    Record result;
    for (const FieldSpec &field : op_->spec().outputs()) {
      std::vector<Value> items;
      items.reserve(outputs.size());
      for (const std::optional<Record> &output : outputs) {
        const Value *value = output ? output->find(field.id) : nullptr;
        items.push_back(value ? *value : Value());
      }
      result.set(field.id, Value::list(std::move(items)));
    }
    if (options_.per_element_outcomes) {
      std::vector<Value> items;
      for (const std::exception_ptr &error : errors)
        items.push_back(
            error ? Value::record(Record{
                        {"type", control_flow::error_type_name(error)},
                        {"message", control_flow::error_message(error)}})
                  : Value());
      result.set(options_.errors_field, Value::list(std::move(items)));
    }
    return result;
  }

  OperatorPtr op_;
  std::vector<FieldId> mapped_;
  VmapOptions options_;
};

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
