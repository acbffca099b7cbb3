//===- xcs/operator.h - The operator base -----------------------*- C++ -*-===//
///
/// \file
/// An Operator is a callable with a Specification. Users implement forward();
/// callers use operator(), which validates the inputs, calls forward and
/// validates the outputs, so a call either returns a record that matches the
/// specification or throws.
///
/// Every instance gets a unique 64-bit identity at construction that is never
/// reused in the process; caches key on it, never on addresses. Operators are
/// shared (std::shared_ptr) because graphs and caches refer to them, and
/// forward() is const because a compiled plan may call one instance from
/// several threads at once: state that changes must be synchronized by the
/// operator itself.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/field_id.h"
#include "xcs/record.h"
#include "xcs/specification.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace xcs {

class AsyncOperator;

namespace detail {
class CallObserver;
} // namespace detail

/// Unique, never reused operator identity. 0 is never assigned.
using OperatorId = std::uint64_t;

class Operator : public std::enable_shared_from_this<Operator> {
public:
  Operator(std::string name, Specification spec);
  virtual ~Operator();
  Operator(const Operator &) = delete;
  Operator &operator=(const Operator &) = delete;

  OperatorId id() const { return id_; }
  const std::string &name() const { return name_; }
  const Specification &spec() const { return spec_; }

  /// Validates \p inputs, calls forward() and validates its result.
  Record operator()(const Record &inputs) const;

  /// The operator's logic. Called only with inputs that passed validation.
  virtual Record forward(const Record &inputs) const = 0;

  /// This operator as an AsyncOperator (xcs/async.h), or null. A plan asks
  /// on every asynchronous call, where a dynamic_cast through the several
  /// bases of a typical model class costs more than the rest of the call's
  /// start.
  const AsyncOperator *as_async() const { return async_; }

private:
  /// Observers (Core/call_observer.h) run calls through it.
  friend class detail::CallObserver;
  friend class AsyncOperator;
  Record checked_call(const Record &inputs) const;
  /// checked_call() while a tracer or a timeline watches calls: the
  /// tracer hears of an untracked call, a timeline records its span
  /// (Core/trace_hooks.h, Core/timeline_hooks.h).
  Record watched_call(const Record &inputs) const;

  OperatorId id_;
  std::string name_;
  Specification spec_;
  const AsyncOperator *async_ = nullptr;
};

using OperatorPtr = std::shared_ptr<const Operator>;

/// Implemented by operators whose behaviour depends on mutable state (a
/// prompt, weights, a threshold). The JIT cache keys compiled plans on the
/// signature, so a plan built under one state is never used under another.
class StateDependency {
public:
  virtual ~StateDependency();
  /// Changes whenever state that affects forward() changes.
  virtual std::uint64_t state_signature() const = 0;
  /// Other objects whose state this operator's behaviour depends on.
  virtual std::vector<OperatorPtr> state_dependencies() const { return {}; }
};

/// One output field and the input fields it is computed from.
struct FieldDependency {
  FieldId output;
  std::vector<FieldId> inputs;
};

/// What an operator declares when it can say no more than that each output
/// of \p spec may come from every input.
std::vector<FieldDependency>
every_output_from_every_input(const Specification &spec);

/// Implemented by operators that declare their field-level dependencies, so
/// their structure is known without running them.
class StructureDependency {
public:
  virtual ~StructureDependency();
  virtual std::vector<FieldDependency> structural_dependencies() const = 0;
};

/// How an OperatorRegistry (xcs/registry.h) makes an operator again: the
/// name its factory is registered under and the arguments (a record, or
/// null) that make one that behaves the same.
struct RegistryForm {
  std::string name;
  Value arguments;
};

/// Implemented by operators a registry can make. The routing IR names them
/// by their registry form (`operator @op0 "affine" {"mul": 2, ...}`), so
/// the IR printed for a pipeline reads back and binds to equal operators.
/// An operator whose behaviour its arguments cannot describe (it holds a
/// callback, a connection, learned weights) does not implement it.
class Registrable {
public:
  virtual ~Registrable();
  virtual RegistryForm registry_form() const = 0;
};

/// Marks an operator whose forward only calls children and routes values
/// between them. The structural strategy of xcs::jit runs such a forward on
/// symbolic values to discover its graph without executing its children;
/// an operator that is neither a Composite nor a StructureDependency is
/// never run symbolically (structural compilation fails instead).
class Composite {
public:
  virtual ~Composite();
};

} // namespace xcs
