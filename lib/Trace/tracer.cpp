//===- tracer.cpp - Recording calls and deciding flatten-or-opaque --------===//
//
// The context keeps a stack of active calls (frames). Each frame remembers
// the stamps its inputs carried and what its glue did that routing cannot
// express: reading a stamped value, handling a child's exception, work on
// other threads. When a composite call completes, those facts plus a check
// of every child input and every output against the routing rule decide
// whether it may be flattened (docs/tracing.md).
//
//===----------------------------------------------------------------------===//

#include "xcs/trace.h"

#include "Core/call_observer.h"
#include "Core/observation.h"
#include "Core/symbol.h"
#include "Trace/stamps.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_set>

namespace xcs {

using detail::ObservationPause;

namespace {

/// What one stamp stands for.
struct StampEntry {
  CallId call;
  Path path;
};

/// One active call.
struct Frame {
  CallId call;
  /// Every stamp found anywhere in the call's inputs.
  std::unordered_set<std::uint32_t> input_stamps;
  /// First reason the glue cannot be flattened, if any; guarded by the
  /// context's mutex because other threads may set it.
  std::string blocker;
  /// Whether work on this trace's values ran on a thread the tracer does
  /// not see while this call was active.
  bool foreign = false;
};

template <typename Visit>
void for_each_nested(const Value &value, const Visit &visit) {
  visit(value);
  if (value.is_list()) {
    for (const Value &item : value.as_list())
      for_each_nested(item, visit);
  } else if (value.is_record()) {
    for (const auto &[field, item] : value.as_record())
      for_each_nested(item, visit);
  }
}

/// The state signatures of \p op and of what its state depends on,
/// transitively; empty when it has no state.
std::vector<std::pair<OperatorPtr, std::uint64_t>>
state_signatures(const Operator &op) {
  std::vector<std::pair<OperatorPtr, std::uint64_t>> signatures;
  if (!dynamic_cast<const StateDependency *>(&op))
    return signatures;
  std::vector<OperatorPtr> pending{op.weak_from_this().lock()};
  while (!pending.empty()) {
    OperatorPtr next = std::move(pending.back());
    pending.pop_back();
    const auto *state = dynamic_cast<const StateDependency *>(next.get());
    if (!state)
      continue;
    signatures.emplace_back(next, state->state_signature());
    for (OperatorPtr &dependency : state->state_dependencies())
      pending.push_back(std::move(dependency));
  }
  return signatures;
}

/// Records every call made while its context is current, then runs it (or,
/// in symbolic mode, answers it with symbols).
class TracingObserver final : public detail::CallObserver {
public:
  explicit TracingObserver(TracerContext &context) : context_(context) {}

  Record observe(const Operator &op, const Record &inputs) override {
    CallId call = context_.track_call(op, inputs);
    Record outputs;
    try {
      outputs = context_.mode() == TraceMode::Symbolic
                    ? context_.symbolic_outputs(op, inputs)
                    : run(op, inputs);
    } catch (...) {
      context_.fail_call(call, std::current_exception());
      throw;
    }
    return context_.complete_call(call, std::move(outputs));
  }

private:
  TracerContext &context_;
};

/// A number for a new symbolic run; never 0, and not reused before 2^32 - 1
/// more runs have started.
std::uint32_t next_symbolic_run() {
  static std::atomic<std::uint32_t> next{1};
  std::uint32_t run = next.fetch_add(1, std::memory_order_relaxed);
  return run != 0 ? run : next.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

struct TracerContext::Impl {
  explicit Impl(TracerContext &context) : observer(context) {}

  TracingObserver observer;
  TraceMode mode = TraceMode::Real;
  /// Symbolic mode: the number in the tags of this run's symbols.
  std::uint32_t run = 0;
  /// Guarded by mutex: another thread may give the run up.
  std::string symbolic_failure;
  std::string symbolic_error;
  std::uint32_t generation = 0;
  std::vector<TraceRecord> records;
  /// Index 0 is unused so that index 0 never forms a valid stamp.
  std::vector<StampEntry> stamps{StampEntry{}};
  std::mutex mutex;
  std::vector<Frame> frames;
  /// The symbols paths into symbols gave: Path::at returns a reference.
  std::deque<Value> derived_symbols;

  TraceRecord &record(CallId call) { return records.at(call - 1); }

  /// The innermost active call, or 0.
  CallId current_call() {
    std::lock_guard lock(mutex);
    return frames.empty() ? 0 : frames.back().call;
  }

  /// Whether \p value is a symbol of this run.
  bool owns(const Value &value) const {
    std::uint64_t tag = detail::symbol_tag(value);
    return tag != 0 && mode == TraceMode::Symbolic &&
           detail::symbol_run(tag) == run;
  }

  /// Symbolic mode: gives the run up for \p why (the first reason stays).
  /// The caller holds mutex.
  void give_up_locked(const std::string &why) {
    if (symbolic_failure.empty())
      symbolic_failure = why;
  }
  /// Gives the run up for \p why and returns the CompileError that reports
  /// its first reason.
  CompileError give_up(const std::string &why) {
    std::lock_guard lock(mutex);
    give_up_locked(why);
    return CompileError("structural: " + symbolic_failure);
  }

  std::uint32_t new_stamp(CallId call, const Path &path) {
    if (stamps.size() >= detail::stamp_index_limit)
      throw Error("trace too large: more than " +
                  std::to_string(detail::stamp_index_limit - 1) +
                  " traced values, at " + origin(call, path));
    stamps.push_back(StampEntry{call, path});
    return detail::make_stamp(generation,
                              static_cast<std::uint32_t>(stamps.size() - 1));
  }

  const StampEntry *entry(std::uint32_t stamp) const {
    if (detail::stamp_generation(stamp) != generation)
      return nullptr;
    std::uint32_t index = detail::stamp_index(stamp);
    return index != 0 && index < stamps.size() ? &stamps[index] : nullptr;
  }

  /// The entry of \p value's stamp. A symbol of another run has none, even
  /// when its stamp's generation has since been given to this context.
  const StampEntry *entry(const Value &value) const {
    if (detail::symbol_tag(value) != 0 && !owns(value))
      return nullptr;
    return entry(value.stamp());
  }

  /// A symbol standing for \p path of \p call's outputs (0: the graph
  /// input), made while the glue of call \p glue ran (0: none did).
  Value symbol(CallId call, const Path &path, CallId glue) {
    std::string_view name =
        glue == 0 ? std::string_view() : record(glue).operator_name;
    return detail::make_symbol(detail::make_symbol_tag(run, name),
                               new_stamp(call, path));
  }

  /// Symbols for the outputs \p op declares, standing for what the
  /// current call, \p op's, returns; gives the run up when an output is
  /// optional.
  Record output_symbols(const Operator &op) {
    for (const FieldSpec &field : op.spec().outputs())
      if (!field.required)
        throw give_up("operator '" + op.name() + "' may omit output '" +
                      std::string(field.id.name()) +
                      "'; only running it tells whether it is present");
    CallId call = current_call();
    CallId glue = call == 0 ? 0 : record(call).parent_call_id;
    Record symbols;
    for (const FieldSpec &field : op.spec().outputs())
      symbols.set(field.id, symbol(call, Path().field(field.id), glue));
    return symbols;
  }

  /// The glue of \p op, the current call, threw \p error on symbols
  /// without giving the run up: what it did up to there is routing, but
  /// what it would do next is unknown. The call becomes a node that runs
  /// its real forward, which throws where the eager call throws.
  Record keep_opaque(const Operator &op, const std::exception_ptr &error) {
    std::string what = xcs::describe(error);
    std::string reason = "glue threw during the symbolic run (" + what +
                         "); it runs for real, where the eager call throws";
    {
      std::lock_guard lock(mutex);
      if (symbolic_error.empty())
        symbolic_error = "the glue of '" + op.name() + "' threw: " + what;
      if (!frames.empty()) {
        record(frames.back().call).opaque_reason = reason;
        block(frames.back(), reason);
      }
    }
    return output_symbols(op);
  }

  /// \p value and everything nested in it, stamped as coming from \p call at
  /// \p path. Containers are rebuilt so each element carries its own stamp.
  Value stamp_deep(const Value &value, CallId call, const Path &path) {
    Value stamped = value;
    if (value.is_list()) {
      auto items = value.as_list();
      std::vector<Value> copy;
      copy.reserve(items.size());
      for (std::size_t i = 0; i < items.size(); ++i)
        copy.push_back(stamp_deep(items[i], call, path.index(i)));
      stamped = Value::list(std::move(copy));
    } else if (value.is_record()) {
      Record copy;
      copy.reserve(value.as_record().size());
      for (const auto &[field, item] : value.as_record())
        copy.set(field, stamp_deep(item, call, path.field(field)));
      stamped = Value::record(std::move(copy));
    }
    return stamped.with_stamp(new_stamp(call, path));
  }

  Record stamp_record(const Record &record, CallId call) {
    Record stamped;
    stamped.reserve(record.size());
    for (const auto &[field, value] : record)
      stamped.set(field, stamp_deep(value, call, Path().field(field)));
    return stamped;
  }

  /// "graph input 'x'" or "output 'response' of 'Model' (call 3)": where a
  /// value stamped for \p call at \p path came from.
  std::string origin(CallId call, const Path &path) {
    if (call == 0)
      return "graph input '" + path.to_string() + "'";
    return "output '" + path.to_string() + "' of '" +
           record(call).operator_name + "' (call " + std::to_string(call) +
           ")";
  }

  /// origin() of \p stamp, or "a value" when it is not this trace's.
  std::string describe(std::uint32_t stamp) {
    const StampEntry *e = entry(stamp);
    return e ? origin(e->call, e->path) : "a value";
  }

  /// Whether \p value, seen in the glue of \p frame's call, is routing:
  /// a value from the call's inputs or a child's outputs (or a path into
  /// them), a constant, state of a StateDependency composite, or a list or
  /// record built from such values.
  bool explained(const Value &value, const Frame &frame, bool stateful) {
    std::uint32_t stamp = value.stamp();
    if (stamp == detail::constant_stamp)
      return true;
    if (const StampEntry *e = entry(value))
      return frame.input_stamps.contains(stamp) ||
             (e->call != 0 && record(e->call).parent_call_id == frame.call);
    if (value.is_list()) {
      for (const Value &item : value.as_list())
        if (!explained(item, frame, stateful))
          return false;
      return true;
    }
    if (value.is_record()) {
      for (const auto &[field, item] : value.as_record())
        if (!explained(item, frame, stateful))
          return false;
      return true;
    }
    return stateful;
  }

  /// The name of an optional output of \p call's operator, or "". Record
  /// lookups are not stamped values, so a test of whether an optional field
  /// is present cannot be seen; such children keep their parent opaque.
  static std::string optional_output(const TraceRecord &call) {
    auto op = call.op.lock();
    if (!op)
      return "";
    for (const FieldSpec &field : op->spec().outputs())
      if (!field.required)
        return std::string(field.id.name());
    return "";
  }

  /// The kind \p value has on every run of a plan made from this trace, if
  /// the trace proves it: the declared kind of the child output it is, the
  /// kind of the graph input it is (a plan is keyed on its input's field
  /// kinds), or the kind of a constant, of state (a plan is keyed on it) or
  /// of a list or record the glue built. A value deeper inside a child's
  /// output or the input can differ in kind from run to run.
  std::optional<Kind> proven_kind(const Value &value) {
    const StampEntry *e = entry(value);
    if (!e)
      return detail::unobserved_kind(value);
    const std::vector<Path::Step> &steps = e->path.steps();
    if (steps.size() != 1 || steps.front().is_index())
      return std::nullopt;
    if (e->call == 0)
      return detail::unobserved_kind(value);
    OperatorPtr producer = record(e->call).op.lock();
    const FieldSpec *field =
        producer ? producer->spec().find_output(steps.front().field) : nullptr;
    return field ? field->kind : std::nullopt;
  }

  /// Whether the glue reached \p value by walking into a child's output
  /// or the input past a top-level field (a list item, a nested field), or
  /// built it as a list or record with such a part. On another run the
  /// walk may fail where this one did not.
  bool walked(const Value &value) {
    if (const StampEntry *e = entry(value)) {
      const std::vector<Path::Step> &steps = e->path.steps();
      return steps.size() != 1 || steps.front().is_index();
    }
    if (detail::symbol_tag(value) != 0 || TracerContext::is_constant(value))
      return false;
    if (value.is_list())
      return std::any_of(value.as_list().begin(), value.as_list().end(),
                         [&](const Value &item) { return walked(item); });
    if (value.is_record())
      for (const auto &[field, item] : value.as_record())
        if (walked(item))
          return true;
    return false;
  }

  /// The fields of \p fields that a flattened composite's plan must
  /// evaluate in a check node, since its own validation runs in no node:
  /// those whose declared kind \p values may not have on every run, and
  /// those the glue walked to, since the eager call fails where the walk
  /// does even when nothing reads the field.
  std::vector<FieldId> to_check(const std::vector<FieldSpec> &fields,
                                const Record &values) {
    // XCS's own look at the values, not the glue's.
    detail::ObservationPause pause;
    std::vector<FieldId> checked;
    for (const FieldSpec &field : fields) {
      const Value *value = values.find(field.id);
      if (!value)
        continue;
      std::optional<Kind> kind = proven_kind(*value);
      bool unproven = field.kind && (!kind || !field.accepts_kind(*kind));
      if (unproven || walked(*value))
        checked.push_back(field.id);
    }
    return checked;
  }

  /// The reason a completed composite call must stay opaque, or "".
  std::string opaque_reason(const TraceRecord &call, const Frame &frame) {
    if (!frame.blocker.empty())
      return frame.blocker;
    auto op = call.op.lock();
    bool stateful = dynamic_cast<const StateDependency *>(op.get()) != nullptr;
    for (CallId child : call.children) {
      const TraceRecord &c = record(child);
      if (std::string optional = optional_output(c); !optional.empty())
        return "child '" + c.operator_name + "' (call " +
               std::to_string(child) + ") may omit output '" + optional +
               "', and the glue may depend on whether it is present";
      for (const auto &[field, value] : c.inputs)
        if (!explained(value, frame, stateful))
          return "glue computes input '" + std::string(field.name()) +
                 "' of child '" + c.operator_name + "' (call " +
                 std::to_string(child) +
                 ") instead of routing an input, a child's output or a "
                 "constant";
    }
    for (const auto &[field, value] : call.outputs)
      if (!explained(value, frame, stateful))
        return "glue computes output '" + std::string(field.name()) +
               "' instead of routing an input, a child's output or a "
               "constant";
    return "";
  }

  void block(Frame &frame, std::string reason) {
    if (frame.blocker.empty())
      frame.blocker = std::move(reason);
  }
};

TracerContext::TracerContext(TraceMode mode)
    : impl_(std::make_unique<Impl>(*this)) {
  impl_->mode = mode;
  if (mode == TraceMode::Symbolic)
    impl_->run = next_symbolic_run();
  impl_->generation = detail::register_tracer(this);
}

TraceMode TracerContext::mode() const { return impl_->mode; }

std::string TracerContext::symbolic_failure() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->symbolic_failure;
}

const std::string &TracerContext::symbolic_error() const {
  return impl_->symbolic_error;
}

Record TracerContext::symbolic_outputs(const Operator &op,
                                       const Record &inputs) {
  Impl &impl = *impl_;
  // A declared leaf (or a composite that declares its structure) is a node:
  // it is not run, and its outputs are symbols named by its specification.
  if (dynamic_cast<const StructureDependency *>(&op))
    return impl.output_symbols(op);
  if (!dynamic_cast<const Composite *>(&op))
    throw impl.give_up("operator '" + op.name() +
                       "' is neither a Composite nor a declared leaf "
                       "(StructureDependency), so it cannot be run on "
                       "symbols");
  try {
    return op.forward(inputs);
  } catch (...) {
    // Once the run is given up, whatever the glue threw is the end of it.
    if (std::string failure = symbolic_failure(); !failure.empty())
      throw CompileError("structural: " + failure);
    return impl.keep_opaque(op, std::current_exception());
  }
}

bool TracerContext::owns(const Value &symbol) const {
  return impl_->owns(symbol);
}

const Value &TracerContext::symbol_at(const Value &symbol, const Path &rest) {
  Impl &impl = *impl_;
  StampEntry source = *impl.entry(symbol);
  return impl.derived_symbols.emplace_back(
      impl.symbol(source.call, source.path.append(rest), impl.current_call()));
}

TracerContext::~TracerContext() {
  detail::unregister_tracer(impl_->generation);
}

TracerContext::Scope::Scope(TracerContext &context)
    : previous_(detail::current_tracer),
      previous_observer_(detail::current_observer) {
  detail::current_tracer = &context;
  detail::current_observer = &context.impl_->observer;
}

TracerContext::Scope::~Scope() {
  detail::current_tracer = previous_;
  detail::current_observer = previous_observer_;
}

TracerContext *TracerContext::current() { return detail::current_tracer; }

std::uint32_t TracerContext::provenance_generation() const {
  return impl_->generation;
}

const std::vector<TraceRecord> &TracerContext::records() const {
  return impl_->records;
}

const TraceRecord &TracerContext::record(CallId call) const {
  if (call == 0 || call > impl_->records.size())
    throw Error("trace has no call " + std::to_string(call));
  return impl_->records[call - 1];
}

std::vector<CallId> TracerContext::top_level_calls() const {
  std::vector<CallId> calls;
  for (const TraceRecord &r : impl_->records)
    if (r.parent_call_id == 0)
      calls.push_back(r.call_id);
  return calls;
}

Record TracerContext::stamp_input(const Record &input) {
  ObservationPause pause;
  return impl_->stamp_record(input, 0);
}

std::optional<Provenance> TracerContext::provenance(const Value &value) const {
  const StampEntry *e = impl_->entry(value);
  if (!e)
    return std::nullopt;
  return Provenance{e->call, e->path};
}

bool TracerContext::is_constant(const Value &value) {
  return value.stamp() == detail::constant_stamp;
}

CallId TracerContext::track_call(const Operator &op, const Record &inputs) {
  ObservationPause pause;
  Impl &impl = *impl_;
  CallId parent = impl.frames.empty() ? 0 : impl.frames.back().call;
  TraceRecord &r = impl.records.emplace_back();
  r.call_id = impl.records.size();
  r.parent_call_id = parent;
  r.instance_id = op.id();
  r.operator_name = op.name();
  r.op = op.weak_from_this();
  r.structured = dynamic_cast<const StructuredOperator *>(&op) != nullptr;
  r.inputs = inputs;
  r.state_signatures = state_signatures(op);
  r.start = std::chrono::steady_clock::now();
  if (parent != 0)
    impl.record(parent).children.push_back(r.call_id);

  Frame frame{r.call_id, {}, {}};
  for (const auto &[field, value] : inputs)
    for_each_nested(value, [&](const Value &v) {
      if (impl.entry(v))
        frame.input_stamps.insert(v.stamp());
    });
  std::lock_guard lock(impl.mutex);
  impl.frames.push_back(std::move(frame));
  return r.call_id;
}

Record TracerContext::complete_call(CallId call, Record outputs) {
  ObservationPause pause;
  Impl &impl = *impl_;
  Frame frame;
  {
    std::lock_guard lock(impl.mutex);
    frame = std::move(impl.frames.back());
    impl.frames.pop_back();
  }
  TraceRecord &r = impl.record(call);
  r.end = std::chrono::steady_clock::now();
  r.outputs = outputs;
  // A call whose children ran where the tracer cannot see them looks like a
  // leaf; it runs for real either way, but the reason is worth recording.
  if ((r.is_composite() || frame.foreign) && !r.structured)
    r.opaque_reason = impl.opaque_reason(r, frame);
  if (r.flattenable())
    if (OperatorPtr op = r.op.lock()) {
      r.unchecked_inputs = impl.to_check(op->spec().inputs(), r.inputs);
      r.unchecked_outputs = impl.to_check(op->spec().outputs(), outputs);
    }
  return impl.stamp_record(outputs, call);
}

void TracerContext::fail_call(CallId call, std::exception_ptr error) {
  Impl &impl = *impl_;
  TraceRecord &r = impl.record(call);
  r.end = std::chrono::steady_clock::now();
  r.exception = std::move(error);
  std::lock_guard lock(impl.mutex);
  impl.frames.pop_back();
  if (!impl.frames.empty())
    impl.block(impl.frames.back(),
               "glue handled an exception thrown by child '" +
                   r.operator_name + "' (call " + std::to_string(call) + ")");
}

void TracerContext::note_inspection(std::uint32_t stamp, const char *what) {
  Impl &impl = *impl_;
  std::lock_guard lock(impl.mutex);
  if (impl.frames.empty())
    return;
  // Reads by leaves are their job; the reason matters only if this call
  // turns out to be a composite.
  Frame &frame = impl.frames.back();
  if (impl.mode == TraceMode::Symbolic) {
    // Leaves do not run on symbols, so this is glue reading a symbol: its
    // control flow from here on would be made up.
    impl.give_up_locked("glue of '" + impl.record(frame.call).operator_name +
                        "' reads the content of " + impl.describe(stamp) +
                        " (" + what + ")");
    throw CompileError("structural: " + impl.symbolic_failure);
  }
  if (frame.blocker.empty())
    impl.block(frame, "glue reads the content of " + impl.describe(stamp) +
                          " (" + what + ")");
}

void TracerContext::note_failed_path(std::uint32_t stamp) {
  Impl &impl = *impl_;
  std::lock_guard lock(impl.mutex);
  if (!impl.frames.empty())
    impl.block(impl.frames.back(),
               "a path in the glue did not fit " + impl.describe(stamp) +
                   ", so what the glue does next depends on its shape");
}

void TracerContext::note_foreign_use(const char *what) {
  Impl &impl = *impl_;
  std::lock_guard lock(impl.mutex);
  // Symbols read there are not data, and operators called there run for
  // real on them: the run cannot tell what the glue does.
  if (impl.mode == TraceMode::Symbolic)
    impl.give_up_locked("symbols were used on another thread (" +
                        std::string(what) +
                        "), which the symbolic run cannot see");
  // The work cannot be attributed to one call, so every active call is
  // kept opaque: running them for real is always correct.
  for (Frame &frame : impl.frames) {
    frame.foreign = true;
    impl.block(frame, std::string(what) +
                          " used values of the trace on another thread, "
                          "which the tracer cannot see");
  }
}

Value constant(Value value) {
  return value.with_stamp(detail::constant_stamp);
}

} // namespace xcs
