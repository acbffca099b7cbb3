//===- Ops/composition.cpp - sequence, ensemble, function -----------------===//
///
/// \file
/// Composites that call their children through Operator::operator(), so
/// every child call is validated (and, under the JIT, traced) like any
/// other. Wiring that can only fail is rejected at construction, naming the
/// child and the field, rather than on every call.
///
//===----------------------------------------------------------------------===//

#include "Core/declared_form.h"
#include "Ops/support.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <memory>

namespace xcs::ops {
namespace {

using detail::fail;

/// "step 2 ('Affine')": how messages point at a child.
std::string describe_child(std::string_view role, std::size_t index,
                           const Operator &child) {
  return std::string(role) + " " + std::to_string(index + 1) + " ('" +
         child.name() + "')";
}

void check_children(std::string_view op_name, std::string_view role,
                    const std::vector<OperatorPtr> &children) {
  if (children.empty())
    fail(op_name, "needs at least one " + std::string(role));
  for (std::size_t i = 0; i < children.size(); ++i)
    if (!children[i])
      fail(op_name,
           std::string(role) + " " + std::to_string(i + 1) + " is null");
}

/// Rejects adjacent steps that cannot connect: \p next requires an input
/// \p previous never outputs, or \p previous always outputs a field \p next
/// does not accept.
void check_connection(std::string_view op_name, std::size_t index,
                      const Operator &previous, const Operator &next) {
  const Specification &out = previous.spec();
  const Specification &in = next.spec();
  for (const FieldSpec &field : in.inputs())
    if (field.required && !out.find_output(field.id))
      fail(op_name, describe_child("step", index + 1, next) +
                        " requires input '" + std::string(field.id.name()) +
                        "', which " + describe_child("step", index, previous) +
                        " does not output");
  if (in.has_open_inputs())
    return;
  for (const FieldSpec &field : out.outputs())
    if (field.required && !in.find_input(field.id))
      fail(op_name, describe_child("step", index, previous) + " outputs '" +
                        std::string(field.id.name()) + "', which " +
                        describe_child("step", index + 1, next) +
                        " does not accept");
}

/// Declares \p fields in \p spec as inputs or outputs, keeping their kinds
/// and whether they are required.
void declare_all(Specification &spec, const std::vector<FieldSpec> &fields,
                 bool as_inputs) {
  for (const FieldSpec &field : fields) {
    std::string_view name = field.id.name();
    if (as_inputs && field.required)
      spec.input(name, field.kind);
    else if (as_inputs)
      spec.optional_input(name, field.kind);
    else if (field.required)
      spec.output(name, field.kind);
    else
      spec.optional_output(name, field.kind);
  }
}

Specification sequence_spec(const Operator &first, const Operator &last) {
  Specification spec;
  declare_all(spec, first.spec().inputs(), true);
  declare_all(spec, last.spec().outputs(), false);
  if (first.spec().has_open_inputs())
    spec.open_inputs();
  return spec;
}

class Sequence : public Operator, public Composite {
public:
  Sequence(std::string name, std::vector<OperatorPtr> steps)
      : Operator(std::move(name), sequence_spec(*steps.front(), *steps.back())),
        steps_(std::move(steps)) {}

  Record forward(const Record &inputs) const override {
    Record record = (*steps_.front())(inputs);
    for (std::size_t i = 1; i < steps_.size(); ++i)
      record = (*steps_[i])(record);
    return record;
  }

private:
  std::vector<OperatorPtr> steps_;
};

/// Each member is called with the single field \p input, so it must accept
/// that field, need no other and declare \p output.
void check_member(std::size_t index, const Operator &member, FieldId input,
                  FieldId output) {
  const Specification &spec = member.spec();
  std::string who = describe_child("member", index, member);
  if (!spec.find_input(input))
    fail("Ensemble", who + " does not declare input field '" +
                         std::string(input.name()) + "'");
  if (!spec.find_output(output))
    fail("Ensemble", who + " does not declare output field '" +
                         std::string(output.name()) + "'");
  for (const FieldSpec &field : spec.inputs())
    if (field.required && field.id != input)
      fail("Ensemble", who + " requires input field '" +
                           std::string(field.id.name()) +
                           "', but members receive only '" +
                           std::string(input.name()) + "'");
}

/// The kind every member declares for \p input, or any kind when they
/// differ.
std::optional<Kind> common_kind(const std::vector<OperatorPtr> &members,
                                FieldId input) {
  std::optional<Kind> kind = members.front()->spec().find_input(input)->kind;
  for (const OperatorPtr &member : members)
    if (member->spec().find_input(input)->kind != kind)
      return std::nullopt;
  return kind;
}

class Ensemble : public Operator, public Composite {
public:
  Ensemble(std::vector<OperatorPtr> members, FieldId input,
           FieldId member_output, FieldId output)
      : Operator("Ensemble",
                 Specification()
                     .input(input.name(), common_kind(members, input))
                     .output(output.name(), Kind::List)),
        members_(std::move(members)), input_(input),
        member_output_(member_output), output_(output) {}

  Record forward(const Record &inputs) const override {
    Record call;
    call.set(input_, inputs.at(input_));
    std::vector<Value> items;
    items.reserve(members_.size());
    for (const OperatorPtr &member : members_)
      items.push_back((*member)(call).at(member_output_));
    Record outputs;
    outputs.set(output_, Value::list(std::move(items)));
    return outputs;
  }

private:
  std::vector<OperatorPtr> members_;
  FieldId input_;
  FieldId member_output_;
  FieldId output_;
};

class Function : public Operator {
public:
  Function(std::string name, Specification spec,
           std::function<Record(const Record &)> body)
      : Operator(std::move(name), std::move(spec)), body_(std::move(body)) {}

  Record forward(const Record &inputs) const override { return body_(inputs); }

private:
  std::function<Record(const Record &)> body_;
};

/// A Function that declares itself a Composite.
class CompositeFunction : public Function, public Composite {
public:
  using Function::Function;
};

class Declared : public Operator, public Registrable {
public:
  using Operator::Operator;

  Record forward(const Record &) const override {
    fail(name(), "a declared operator has a specification and no body, so "
                 "it cannot be called; bind the operator itself (a plugin "
                 "loaded with --load)");
  }

  RegistryForm registry_form() const override {
    return declared_form(name(), spec());
  }
};

} // namespace

OperatorPtr sequence(std::string name, std::vector<OperatorPtr> steps) {
  detail::check_operator_name("sequence", name);
  check_children(name, "step", steps);
  for (std::size_t i = 1; i < steps.size(); ++i)
    check_connection(name, i - 1, *steps[i - 1], *steps[i]);
  return std::make_shared<Sequence>(std::move(name), std::move(steps));
}

OperatorPtr ensemble(std::vector<OperatorPtr> members, std::string input,
                     std::string member_output, std::string output) {
  detail::check_field_name("Ensemble", "input field", input);
  detail::check_field_name("Ensemble", "member output field", member_output);
  detail::check_field_name("Ensemble", "output field", output);
  check_children("Ensemble", "member", members);
  FieldId input_id(input), member_output_id(member_output);
  for (std::size_t i = 0; i < members.size(); ++i)
    check_member(i, *members[i], input_id, member_output_id);
  return std::make_shared<Ensemble>(std::move(members), input_id,
                                    member_output_id, FieldId(output));
}

namespace {

template <typename Kind>
OperatorPtr make_function(std::string_view factory, std::string name,
                          Specification spec,
                          std::function<Record(const Record &)> body) {
  detail::check_operator_name(factory, name);
  if (!body)
    fail(name, "function body is empty");
  return std::make_shared<Kind>(std::move(name), std::move(spec),
                                std::move(body));
}

} // namespace

OperatorPtr function(std::string name, Specification spec,
                     std::function<Record(const Record &)> body) {
  return make_function<Function>("function", std::move(name), std::move(spec),
                                 std::move(body));
}

OperatorPtr declared(std::string name, Specification spec) {
  detail::check_operator_name("declared", name);
  return std::make_shared<Declared>(std::move(name), std::move(spec));
}

OperatorPtr composite(std::string name, Specification spec,
                      std::function<Record(const Record &)> body) {
  return make_function<CompositeFunction>("composite", std::move(name),
                                          std::move(spec), std::move(body));
}

} // namespace xcs::ops
