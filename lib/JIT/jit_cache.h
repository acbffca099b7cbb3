//===- JIT/jit_cache.h - Compiled plans by operator, state and shape -*- C++ -*-===//
///
/// \file
/// The JIT cache keeps, for every jit operator, the plans compiled for it:
/// one per input shape (field names and kinds) and state (the signatures of
/// the flattened composites, checked as guards). A hit costs a shared lock of
/// the operator's own entry list, a shape comparison and the guards; the
/// process-wide lock is taken only to insert, evict or unregister.
///
/// Bounds: an operator holds at most its own number of plans; a call that
/// would need one more runs eagerly (logged once). All operators together
/// hold at most the global bound; past it the least recently used plan of
/// any operator is evicted, which frees its machine code once no run holds
/// it.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/miss_reason.h"
#include "JIT/plan_builder.h"
#include "xcs/operator.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace xcs {

/// The shape of an input record: its fields and their kinds, in FieldId
/// order.
using InputShape = std::vector<std::pair<FieldId, Kind>>;
InputShape shape_of(const Record &input);

/// One cached plan.
struct CachedPlan {
  InputShape shape;
  std::vector<StateGuard> guards;
  CompiledGraph compiled;
  Strategy strategy = Strategy::Trace;
  std::string strategy_reason;
};

/// The plans of one jit operator. Owned by the operator, registered with
/// the cache for global eviction.
class PlanSet {
public:
  /// \p bound limits this set; \p global_bound all sets together (checked
  /// when this set grows).
  PlanSet(std::size_t bound, std::size_t global_bound);
  ~PlanSet();
  PlanSet(const PlanSet &) = delete;
  PlanSet &operator=(const PlanSet &) = delete;

  /// The plan for \p input whose guards hold, or null; then \p miss says
  /// why (new operator, input shape changed, state signature changed,
  /// evicted).
  std::shared_ptr<const CachedPlan> find(const Record &input,
                                         MissReason &miss) const;
  /// Adds \p plan, replacing a plan of the same shape whose guards failed.
  /// False when the operator is at its bound (the caller runs eagerly), or
  /// when \p plan's own guards fail: its state changed while it was built,
  /// maybe after its glue read it, so a later return to the guarded state
  /// must not find it.
  bool insert(std::shared_ptr<const CachedPlan> plan);
  std::size_t size() const;

private:
  friend class JITCache;
  struct Entry {
    std::shared_ptr<const CachedPlan> plan;
    mutable std::atomic<std::uint64_t> last_use{0};
  };
  /// The last use of this set's least recently used entry (max if empty).
  std::uint64_t oldest_use() const;
  /// Removes the least recently used entry and returns its plan (null if
  /// there is none), for the caller to release once it holds no lock: a
  /// plan's operator table may hold the last reference to a jit operator
  /// (a structured operator's branch), whose destruction takes the cache's
  /// lock.
  std::shared_ptr<const CachedPlan> evict_oldest();

  std::size_t bound_;
  std::size_t global_bound_;
  mutable std::shared_mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
  /// Shapes whose plan the global bound evicted, to name the next miss.
  std::vector<InputShape> evicted_;
  bool ever_compiled_ = false;
};

/// The process-wide registry of plan sets.
class JITCache {
public:
  static JITCache &global();

  /// Plans held by every operator together.
  std::size_t size() const;
  /// Plans the global bound has evicted since the process started.
  std::uint64_t evictions() const {
    return evictions_.load(std::memory_order_relaxed);
  }

private:
  friend class PlanSet;
  void add(PlanSet *set);
  void remove(PlanSet *set);
  /// \p added plans were added (negative: removed); then evicts the least
  /// recently used plans while more than \p bound exist.
  void resized(long added, std::size_t bound);
  std::uint64_t tick() {
    return clock_.fetch_add(1, std::memory_order_relaxed);
  }

  mutable std::mutex mutex_;
  std::vector<PlanSet *> sets_;
  std::size_t plans_ = 0;
  std::atomic<std::uint64_t> clock_{1};
  std::atomic<std::uint64_t> evictions_{0};
};

} // namespace xcs
