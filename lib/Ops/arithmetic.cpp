//===- Ops/arithmetic.cpp - affine, binary, counter -----------------------===//
///
/// \file
/// Small numeric operators for tests, examples and benchmarks. Ints stay
/// ints and overflow is an error, never undefined behaviour; a double on
/// either side makes the result a double.
///
//===----------------------------------------------------------------------===//

#include "Ops/support.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <atomic>
#include <memory>

namespace xcs::ops {
namespace {

using detail::fail;
using detail::Leaf;

/// How an operation is named: the operator's name, the name its factory is
/// registered under and its symbol in messages.
struct Spelling {
  std::string_view name;
  std::string_view registry_name;
  std::string_view symbol;
};

Spelling spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return {"Add", "add", "+"};
  case BinaryOp::Sub:
    return {"Sub", "sub", "-"};
  case BinaryOp::Mul:
    return {"Mul", "mul", "*"};
  }
  return {"?", "?", "?"};
}

/// The input \p field; int or double, else InputError. The specification
/// accepts any kind because no single Kind means "a number".
const Value &numeric_input(const Operator &op, const Record &inputs,
                           FieldId field) {
  const Value &value = inputs.at(field);
  if (!value.is_int() && !value.is_double())
    fail(op.name(), "input field '" + std::string(field.name()) +
                        "': expected int or double, got " +
                        std::string(kind_name(value.kind())));
  return value;
}

Value checked_int(const Operator &op, BinaryOp kind, std::int64_t lhs,
                  std::int64_t rhs) {
  std::int64_t result = 0;
  bool overflow = false;
  switch (kind) {
  case BinaryOp::Add:
    overflow = __builtin_add_overflow(lhs, rhs, &result);
    break;
  case BinaryOp::Sub:
    overflow = __builtin_sub_overflow(lhs, rhs, &result);
    break;
  case BinaryOp::Mul:
    overflow = __builtin_mul_overflow(lhs, rhs, &result);
    break;
  }
  if (overflow)
    fail(op.name(), "integer overflow in " + std::to_string(lhs) + " " +
                        std::string(spelling(kind).symbol) + " " +
                        std::to_string(rhs));
  return Value(result);
}

double apply_double(BinaryOp kind, double lhs, double rhs) {
  switch (kind) {
  case BinaryOp::Add:
    return lhs + rhs;
  case BinaryOp::Sub:
    return lhs - rhs;
  case BinaryOp::Mul:
    return lhs * rhs;
  }
  return 0.0;
}

/// \p lhs OP \p rhs for numeric values: the one arithmetic routine behind
/// affine and binary.
Value compute(const Operator &op, BinaryOp kind, const Value &lhs,
              const Value &rhs) {
  if (lhs.is_int() && rhs.is_int())
    return checked_int(op, kind, lhs.as_int(), rhs.as_int());
  return Value(apply_double(kind, lhs.as_double(), rhs.as_double()));
}

Specification numeric_spec(const std::vector<FieldId> &inputs, FieldId out) {
  Specification spec;
  for (FieldId field : inputs)
    spec.input(field.name());
  return spec.output(out.name());
}

class Affine : public Leaf {
public:
  Affine(std::int64_t mul, std::int64_t add, FieldId in, FieldId out)
      : Leaf("Affine", numeric_spec({in}, out), {{out, {in}}},
             {"affine", Value::record({{"mul", Value(mul)},
                                       {"add", Value(add)},
                                       {"in", Value(in.name())},
                                       {"out", Value(out.name())}})}),
        mul_(mul),
        add_(add), in_(in), out_(out) {}

  Record forward(const Record &inputs) const override {
    const Value &x = numeric_input(*this, inputs, in_);
    Value scaled = compute(*this, BinaryOp::Mul, x, mul_);
    Record outputs;
    outputs.set(out_, compute(*this, BinaryOp::Add, scaled, add_));
    return outputs;
  }

private:
  Value mul_;
  Value add_;
  FieldId in_;
  FieldId out_;
};

class Binary : public Leaf {
public:
  Binary(BinaryOp op, FieldId lhs, FieldId rhs, FieldId out)
      : Leaf(std::string(spelling(op).name), numeric_spec({lhs, rhs}, out),
             {{out, {lhs, rhs}}},
             {std::string(spelling(op).registry_name),
              Value::record({{"lhs", Value(lhs.name())},
                             {"rhs", Value(rhs.name())},
                             {"out", Value(out.name())}})}),
        op_(op), lhs_(lhs), rhs_(rhs), out_(out) {}

  Record forward(const Record &inputs) const override {
    const Value &lhs = numeric_input(*this, inputs, lhs_);
    const Value &rhs = numeric_input(*this, inputs, rhs_);
    Record outputs;
    outputs.set(out_, compute(*this, op_, lhs, rhs));
    return outputs;
  }

private:
  BinaryOp op_;
  FieldId lhs_;
  FieldId rhs_;
  FieldId out_;
};

class Counter : public Leaf {
public:
  explicit Counter(FieldId out)
      : Leaf("Counter", Specification().output(out.name(), Kind::Int),
             {{out, {}}},
             {"counter", Value::record({{"out", Value(out.name())}})}),
        out_(out) {}

  Record forward(const Record &) const override {
    Record outputs;
    outputs.set(out_,
                Value(count_.fetch_add(1, std::memory_order_relaxed) + 1));
    return outputs;
  }

private:
  FieldId out_;
  mutable std::atomic<std::int64_t> count_{0};
};

} // namespace

OperatorPtr affine(std::int64_t mul, std::int64_t add, std::string in,
                   std::string out) {
  detail::check_field_name("Affine", "input field", in);
  detail::check_field_name("Affine", "output field", out);
  return std::make_shared<Affine>(mul, add, FieldId(in), FieldId(out));
}

OperatorPtr binary(BinaryOp op, std::string lhs, std::string rhs,
                   std::string out) {
  std::string name(spelling(op).name);
  std::vector<std::string> inputs{std::move(lhs), std::move(rhs)};
  detail::check_field_names(name, "input field", inputs);
  detail::check_field_name(name, "output field", out);
  return std::make_shared<Binary>(op, FieldId(inputs[0]), FieldId(inputs[1]),
                                  FieldId(out));
}

OperatorPtr counter(std::string out) {
  detail::check_field_name("Counter", "output field", out);
  return std::make_shared<Counter>(FieldId(out));
}

} // namespace xcs::ops
