//===- Ops/control_flow.cpp - cond, switch_on, fallback, repeat_until -----===//
///
/// \file
/// The structured operators. Their forward is the eager semantics; the
/// routing IR's structured nodes compute the same through the functions
/// of xcs/control_flow.h, which these call too. Wiring that can only fail
/// (branches whose results differ, a loop body that cannot take its own
/// output) is rejected at construction, naming the operator and the field.
///
//===----------------------------------------------------------------------===//

#include "Ops/support.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <algorithm>
#include <memory>

namespace xcs::ops {
namespace {

using detail::fail;
namespace cf = xcs::control_flow;

/// The fields the branches take, as one specification's inputs: a field is
/// required when every branch requires it, and keeps its kind when every
/// branch that declares it agrees (else any: the branch checks its own).
Specification merged_inputs(const std::vector<OperatorPtr> &branches,
                            const std::vector<FieldId> &skip = {}) {
  std::vector<FieldId> order;
  for (const OperatorPtr &branch : branches)
    for (const FieldSpec &field : branch->spec().inputs())
      if (std::find(order.begin(), order.end(), field.id) == order.end() &&
          std::find(skip.begin(), skip.end(), field.id) == skip.end())
        order.push_back(field.id);
  Specification spec;
  for (FieldId id : order) {
    bool required = true;
    std::optional<Kind> kind;
    bool first = true;
    for (const OperatorPtr &branch : branches) {
      const FieldSpec *field = branch->spec().find_input(id);
      if (!field) {
        required = false;
        continue;
      }
      required = required && field->required;
      if (first)
        kind = field->kind;
      else if (field->kind != kind)
        kind = std::nullopt;
      first = false;
    }
    if (required)
      spec.input(id.name(), kind);
    else
      spec.optional_input(id.name(), kind);
  }
  if (std::any_of(branches.begin(), branches.end(), [](const OperatorPtr &b) {
        return b->spec().has_open_inputs();
      }))
    spec.open_inputs();
  return spec;
}

/// Rejects null branches and branches whose outputs differ.
void check_branches(std::string_view op_name,
                    const std::vector<OperatorPtr> &branches) {
  for (std::size_t i = 0; i < branches.size(); ++i)
    if (!branches[i])
      fail(op_name, "branch " + std::to_string(i + 1) + " is null");
  if (std::string problem = cf::branches_disagree(branches); !problem.empty())
    fail(op_name, problem);
}

/// Adds the branches' outputs to \p spec, each with the kind they all
/// declare (any when one declares any).
Specification with_outputs(Specification spec,
                           const std::vector<OperatorPtr> &branches) {
  for (const FieldSpec &field : branches.front()->spec().outputs()) {
    std::optional<Kind> kind = field.kind;
    for (const OperatorPtr &branch : branches)
      if (!branch->spec().find_output(field.id)->kind)
        kind = std::nullopt;
    if (field.required)
      spec.output(field.id.name(), kind);
    else
      spec.optional_output(field.id.name(), kind);
  }
  return spec;
}

/// Declares \p selector of kind \p kind in \p spec, rejecting a branch that
/// declares it with another kind.
Specification with_selector(std::string_view op_name, Specification merged,
                            const std::vector<OperatorPtr> &branches,
                            FieldId selector, std::optional<Kind> kind) {
  for (const OperatorPtr &branch : branches)
    if (const FieldSpec *field = branch->spec().find_input(selector))
      if (field->kind && field->kind != kind)
        fail(op_name, "branch '" + branch->name() + "' declares input '" +
                          std::string(selector.name()) + "' as " +
                          field->kind_text() + ", but the operator reads it as " +
                          (kind ? std::string(kind_name(*kind)) : "any"));
  Specification spec;
  spec.input(selector.name(), kind);
  for (const FieldSpec &field : merged.inputs())
    if (field.id != selector) {
      if (field.required)
        spec.input(field.id.name(), field.kind);
      else
        spec.optional_input(field.id.name(), field.kind);
    }
  if (merged.has_open_inputs())
    spec.open_inputs();
  return spec;
}

/// What every structured operator shares: its branches, its structure for
/// the symbolic run (each output from every input) and the accessors of
/// StructuredOperator.
class Structured : public Operator,
                   public StructureDependency,
                   public StructuredOperator {
public:
  Structured(std::string name, Specification spec, ControlKind kind,
             std::vector<OperatorPtr> branches, FieldId selector = FieldId(),
             std::vector<Value> cases = {}, std::uint32_t max_iterations = 0)
      : Operator(std::move(name), std::move(spec)), kind_(kind),
        branches_(std::move(branches)), selector_(selector),
        cases_(std::move(cases)), max_iterations_(max_iterations) {
    for (const Value &value : cases_)
      case_pointers_.push_back(&value);
  }

  std::vector<FieldDependency> structural_dependencies() const override {
    return every_output_from_every_input(spec());
  }

  ControlKind control_kind() const override { return kind_; }
  const std::vector<OperatorPtr> &branches() const override {
    return branches_;
  }
  FieldId selector() const override { return selector_; }
  const std::vector<Value> &case_values() const override { return cases_; }
  std::uint32_t max_iterations() const override { return max_iterations_; }

  Record forward(const Record &inputs) const override {
    switch (kind_) {
    case ControlKind::Cond:
      return run(cf::cond_branch(name(), selector_, inputs.at(selector_)),
                 inputs);
    case ControlKind::Switch:
      return run(cf::switch_branch(inputs.at(selector_), case_pointers_),
                 inputs);
    case ControlKind::Fallback:
      return fall_back(inputs);
    case ControlKind::Repeat:
      return repeat(inputs);
    }
    throw Error("operator '" + name() + "': unknown control kind");
  }

private:
  Record run(std::uint32_t branch, const Record &inputs) const {
    const Operator &taken = *branches_[branch];
    return taken(cf::branch_input(taken, inputs));
  }

  Record fall_back(const Record &inputs) const {
    const Operator &on_error = *branches_[1];
    std::exception_ptr error;
    try {
      return run(0, inputs);
    } catch (...) {
      error = std::current_exception();
    }
    return on_error(cf::with_error_fields(
        on_error, cf::branch_input(on_error, inputs), error));
  }

  Record repeat(const Record &inputs) const {
    const Operator &body = *branches_[0];
    Record input = cf::branch_input(body, inputs);
    for (std::uint32_t iteration = 1;; ++iteration) {
      Record output = body(input);
      bool done = cf::loop_done(name(), selector_, output);
      if (done || iteration == max_iterations_)
        return cf::loop_result(std::move(output), iteration, !done);
      input = cf::next_loop_input(input, output);
    }
  }

  ControlKind kind_;
  std::vector<OperatorPtr> branches_;
  FieldId selector_;
  std::vector<Value> cases_;
  std::vector<const Value *> case_pointers_;
  std::uint32_t max_iterations_;
};

/// The kind all \p cases share, or any.
std::optional<Kind> case_kind(const std::vector<Value> &cases) {
  std::optional<Kind> kind = cases.front().kind();
  for (const Value &value : cases)
    if (value.kind() != *kind)
      return std::nullopt;
  return kind;
}

/// Rejects a loop body that cannot run on its own output.
void check_body(std::string_view op_name, const Operator &body, FieldId done,
                std::uint32_t max_iterations) {
  if (max_iterations == 0)
    fail(op_name, "max_iterations must be at least 1");
  if (std::string problem = cf::body_cannot_loop(body, done); !problem.empty())
    fail(op_name, problem);
}

} // namespace

OperatorPtr cond(std::string predicate_field, OperatorPtr then_op,
                 OperatorPtr else_op) {
  detail::check_field_name("Cond", "predicate field", predicate_field);
  std::vector<OperatorPtr> branches{std::move(then_op), std::move(else_op)};
  check_branches("Cond", branches);
  FieldId predicate(predicate_field);
  Specification spec =
      with_outputs(with_selector("Cond", merged_inputs(branches), branches,
                                 predicate, Kind::Bool),
                   branches);
  return std::make_shared<Structured>("Cond", std::move(spec),
                                      ControlKind::Cond, std::move(branches),
                                      predicate);
}

OperatorPtr switch_on(std::string field, std::vector<SwitchCase> cases,
                      OperatorPtr default_op) {
  detail::check_field_name("Switch", "field", field);
  if (cases.empty())
    fail("Switch", "needs at least one case");
  std::vector<OperatorPtr> branches;
  std::vector<Value> values;
  for (SwitchCase &c : cases) {
    if (std::find(values.begin(), values.end(), c.value) != values.end())
      fail("Switch", "case " + c.value.to_string() + " is listed twice");
    values.push_back(c.value);
    branches.push_back(std::move(c.op));
  }
  branches.push_back(std::move(default_op));
  check_branches("Switch", branches);
  FieldId selector(field);
  Specification spec = with_outputs(
      with_selector("Switch", merged_inputs(branches), branches, selector,
                    case_kind(values)),
      branches);
  return std::make_shared<Structured>("Switch", std::move(spec),
                                      ControlKind::Switch, std::move(branches),
                                      selector, std::move(values));
}

OperatorPtr fallback(OperatorPtr primary, OperatorPtr on_error) {
  std::vector<OperatorPtr> branches{std::move(primary), std::move(on_error)};
  check_branches("Fallback", branches);
  Specification spec = with_outputs(
      merged_inputs(branches, {FieldId(cf::error_type_field),
                               FieldId(cf::error_message_field)}),
      branches);
  return std::make_shared<Structured>("Fallback", std::move(spec),
                                      ControlKind::Fallback,
                                      std::move(branches));
}

OperatorPtr repeat_until(OperatorPtr body, std::string done_field,
                         std::uint32_t max_iterations) {
  detail::check_field_name("RepeatUntil", "done field", done_field);
  if (!body)
    fail("RepeatUntil", "body is null");
  FieldId done(done_field);
  check_body("RepeatUntil", *body, done, max_iterations);
  Specification spec = with_outputs(merged_inputs({body}), {body});
  spec.output(cf::iterations_field, Kind::Int);
  spec.output(cf::bound_hit_field, Kind::Bool);
  return std::make_shared<Structured>("RepeatUntil", std::move(spec),
                                      ControlKind::Repeat,
                                      std::vector<OperatorPtr>{std::move(body)},
                                      done, std::vector<Value>{},
                                      max_iterations);
}

} // namespace xcs::ops
