//===- Runtime/frame.h - The state of one compiled run ----------*- C++ -*-===//
///
/// \file
/// A Frame is everything one run of a compiled graph reads and writes: the
/// input record, the operator table, the plan's constants and paths, the
/// slots holding intermediate values, and the first failure. Compiled code
/// never looks inside it: it passes the frame to the runtime helpers of
/// runtime_abi.h together with small integer indexes (slot, field, table
/// entry), so the machine code holds no process address and no layout.
///
/// Two kinds of slot keep operator results cheap. A call's result is a
/// Record and is constructed in place in a record slot, so storing it costs
/// no move and reading its fields no allocation; every other node's value
/// lives in a value slot. A call's record is copied into a value slot only
/// when some node uses it whole. The call whose record the output returns
/// whole constructs it in the caller's result record itself, so returning
/// it costs no move either.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"
#include "xcs/path.h"
#include "xcs/record.h"
#include "xcs/value.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string_view>

namespace xcs::runtime {

/// How many slots of each kind a run needs.
struct FrameShape {
  static constexpr std::uint32_t no_output_record = UINT32_MAX;

  std::uint32_t value_slots = 0;
  std::uint32_t record_slots = 0;
  /// The record slot whose record the output returns whole, which the frame
  /// binds to the caller's result record; or no_output_record.
  std::uint32_t output_record = no_output_record;
};

/// The failure a run reports: of the failing nodes, the first in node
/// order, which is the order an eager call runs them in.
struct Failure {
  /// Index of the node that failed.
  std::uint32_t node = 0;
  /// The failing call's operator name, or the opcode name of another node.
  /// Views a string that outlives the run (an operator's name or a literal).
  std::string_view what;
  std::exception_ptr error;
};

/// Room for a record that is constructed in place when it is filled, so an
/// operator's result lands in its slot without being moved there. A slot
/// may instead be bound to a record that outlives it, which filling
/// replaces in place and the slot never destroys.
class RecordSlot {
public:
  // User-provided, so that value-initializing a slot does not zero its
  // bytes first.
  RecordSlot() noexcept : record_(reinterpret_cast<Record *>(bytes_)) {}
  RecordSlot(const RecordSlot &) = delete;
  RecordSlot &operator=(const RecordSlot &) = delete;
  ~RecordSlot() {
    if (full_ && owns_record())
      get().~Record();
  }

  /// Makes \p record, an existing record that outlives the slot, the one
  /// the slot holds and fills. \p record must be as default-constructed:
  /// the first fill builds over it without destroying it, which is sound
  /// since destroying an empty record frees nothing, and saves a run that
  /// returns a call's record about 12 instructions.
  void bind(Record &record) noexcept { record_ = &record; }
  /// Replaces the slot's record with the one \p make returns. If make
  /// throws, the slot is not filled (filled() is false) and holds an empty
  /// record, which needs no destruction.
  template <typename Make> void fill(Make &&make) {
    if (full_)
      get().~Record();
    full_ = true;
    try {
      ::new (static_cast<void *>(record_)) Record(make());
    } catch (...) {
      // A bound record must stay a record for its owner to destroy.
      ::new (static_cast<void *>(record_)) Record();
      full_ = false;
      throw;
    }
  }
  /// Whether the last fill succeeded: after a failed run, which calls
  /// completed (JIT/failed_run.h).
  bool filled() const { return full_; }
  /// The record; the slot must be full.
  Record &get() { return *std::launder(record_); }

private:
  bool owns_record() const {
    return record_ == reinterpret_cast<const Record *>(bytes_);
  }

  alignas(Record) unsigned char bytes_[sizeof(Record)];
  Record *record_;
  bool full_ = false;
};

/// \p size value-initialized slots, in place when there are at most
/// \p Inline of them, else in one heap block. A run creates and destroys
/// its slots once; a plain array costs less than a general container for
/// that (measured: about 100 instructions per run).
template <typename T, std::size_t Inline> class Slots {
public:
  explicit Slots(std::size_t size)
      : data_(size <= Inline
                  ? reinterpret_cast<T *>(inline_)
                  : static_cast<T *>(::operator new(
                        size * sizeof(T), std::align_val_t(alignof(T))))),
        size_(size) {
    std::uninitialized_value_construct_n(data_, size);
  }
  Slots(const Slots &) = delete;
  Slots &operator=(const Slots &) = delete;
  ~Slots() {
    std::destroy_n(data_, size_);
    if (size_ > Inline)
      ::operator delete(data_, std::align_val_t(alignof(T)));
  }

  T &operator[](std::size_t i) { return data_[i]; }

private:
  alignas(T) unsigned char inline_[Inline * sizeof(T)];
  T *data_;
  std::size_t size_;
};

/// One field a check verifies: its declaration in the checked operator's
/// specification, or null when the specification does not declare it
/// (nothing to check); and, to report a failure, the check node, the
/// checked operator and the side of its specification the field is on.
struct FieldCheck {
  const FieldSpec *spec = nullptr;
  const Operator *op = nullptr;
  SpecSide side = SpecSide::Inputs;
  std::uint32_t node = 0;
};

/// Starts a run's asynchronous calls and, when each completes, stores its
/// record and finishes its task (Runtime/parallel_run.h).
class AsyncCalls {
public:
  /// Starts \p callee on \p inputs for call node \p node, whose record
  /// goes to \p record_slot (and boxed into value slot \p box_slot unless
  /// it is no_slot). Never throws: a failure to start is the call's
  /// outcome.
  virtual void start(std::uint32_t node, std::uint32_t record_slot,
                     std::uint32_t box_slot, const Operator &callee,
                     Record inputs) noexcept = 0;

protected:
  ~AsyncCalls() = default;
};

/// The tables a run reads. Indexes in compiled code point into them.
struct FrameTables {
  const OperatorPtr *operators = nullptr;
  const Value *constants = nullptr;
  const Path *paths = nullptr;
  /// Per field a check node checks, in the order of its table index.
  const FieldCheck *checked_fields = nullptr;
  /// Per node: bit 0 for a call whose inputs the plan proved valid, bit
  /// 1 + b for a cond's or switch's branch b whose share of the input it
  /// proved (see JIT/input_proof.h). Every frame that runs a call has it.
  const std::uint8_t *proven_calls = nullptr;
};

class Frame {
public:
  /// A frame for a run on \p input whose output node writes \p output:
  /// the caller's result itself, so that returning it moves nothing. It
  /// must be as default-constructed (RecordSlot::bind).
  /// \p tables must outlive the frame: the frame refers to them, since
  /// copying their five pointers into every run's frame is dearer than
  /// reaching them through one.
  Frame(FrameShape shape, const Record &input, const FrameTables &tables,
        Record &output)
      : values_(shape.value_slots), records_(shape.record_slots), input_(input),
        output_(output), tables_(tables) {
    if (shape.output_record != FrameShape::no_output_record)
      records_[shape.output_record].bind(output);
  }
  Frame(const Frame &) = delete;
  Frame &operator=(const Frame &) = delete;

  Value &value(std::uint32_t slot) { return values_[slot]; }
  RecordSlot &record(std::uint32_t slot) { return records_[slot]; }
  const Record &input() const { return input_; }
  const Operator &op(std::uint32_t index) const {
    return *tables_.operators[index];
  }
  const Value &constant(std::uint32_t index) const {
    return tables_.constants[index];
  }
  const Path &path(std::uint32_t index) const { return tables_.paths[index]; }
  const FieldCheck &checked_field(std::uint32_t index) const {
    return tables_.checked_fields[index];
  }
  bool inputs_proven(std::uint32_t node) const {
    return tables_.proven_calls[node] & 1;
  }
  /// Whether branch \p branch of structured node \p node gets proven
  /// inputs.
  bool branch_proven(std::uint32_t node, std::uint32_t branch) const {
    return branch < 7 && (tables_.proven_calls[node] >> (branch + 1)) & 1;
  }
  /// The result record the Output node fills.
  Record &output() { return output_; }
  /// Where the run's asynchronous calls go; set by the run that has them.
  AsyncCalls &async_calls() { return *async_calls_; }
  void set_async_calls(AsyncCalls *calls) { async_calls_ = calls; }

  /// Records a failure unless one of an earlier node is recorded. Tasks run
  /// concurrently, so the first failure in time may come from a node that
  /// an eager call would never have reached; keeping the earliest node
  /// makes the reported error the one the eager call throws.
  void fail(std::uint32_t node, std::string_view what,
            std::exception_ptr error) noexcept {
    std::lock_guard lock(failure_mutex_);
    if (node >= failed_node_.load(std::memory_order_relaxed))
      return;
    failure_ = Failure{node, what, std::move(error)};
    failed_node_.store(node, std::memory_order_release);
  }
  bool failed() const { return failed_node() != no_failure; }
  /// The node of the failure recorded so far, or no_failure. Only ever
  /// decreases during a run.
  std::uint32_t failed_node() const {
    return failed_node_.load(std::memory_order_acquire);
  }
  /// The recorded failure; read it once no task runs any more.
  const Failure &failure() const { return failure_; }

  static constexpr std::uint32_t no_failure = UINT32_MAX;

private:
  // Inline capacity covers graphs of a few dozen nodes (about 3 KiB of
  // stack), so their runs allocate no slots.
  Slots<Value, 64> values_;
  Slots<RecordSlot, 16> records_;
  const Record &input_;
  Record &output_;
  const FrameTables &tables_;
  AsyncCalls *async_calls_ = nullptr;
  std::atomic<std::uint32_t> failed_node_{no_failure};
  std::mutex failure_mutex_;
  Failure failure_;
};

} // namespace xcs::runtime
