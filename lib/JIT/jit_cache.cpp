//===- jit_cache.cpp - Compiled plans by operator, state and shape --------===//

#include "JIT/jit_cache.h"

#include <algorithm>
#include <limits>

namespace xcs {
namespace {

bool same_shape(const InputShape &shape, const Record &input) {
  if (shape.size() != input.size())
    return false;
  auto expected = shape.begin();
  for (const auto &[field, value] : input) {
    if (expected->first != field ||
        expected->second != detail::unobserved_kind(value))
      return false;
    ++expected;
  }
  return true;
}

bool guards_hold(const CachedPlan &plan) {
  return std::all_of(plan.guards.begin(), plan.guards.end(),
                     [](const StateGuard &guard) { return guard.holds(); });
}

} // namespace

InputShape shape_of(const Record &input) {
  InputShape shape;
  shape.reserve(input.size());
  for (const auto &[field, value] : input)
    shape.emplace_back(field, detail::unobserved_kind(value));
  return shape;
}

PlanSet::PlanSet(std::size_t bound, std::size_t global_bound)
    : bound_(bound), global_bound_(global_bound) {
  JITCache::global().add(this);
}

PlanSet::~PlanSet() { JITCache::global().remove(this); }

std::shared_ptr<const CachedPlan> PlanSet::find(const Record &input,
                                                MissReason &miss) const {
  std::shared_lock lock(mutex_);
  for (const auto &entry : entries_) {
    if (!same_shape(entry->plan->shape, input))
      continue;
    if (!guards_hold(*entry->plan)) {
      miss = MissReason::StateSignatureChanged;
      return nullptr;
    }
    entry->last_use.store(JITCache::global().tick(),
                          std::memory_order_relaxed);
    return entry->plan;
  }
  InputShape shape = shape_of(input);
  if (std::find(evicted_.begin(), evicted_.end(), shape) != evicted_.end())
    miss = MissReason::Evicted;
  else
    miss = ever_compiled_ ? MissReason::InputShapeChanged
                         : MissReason::NewOperator;
  return nullptr;
}

bool PlanSet::insert(std::shared_ptr<const CachedPlan> plan) {
  if (!guards_hold(*plan))
    return false;
  long added = 0;
  // Released after the lock, as evict_oldest() says.
  std::shared_ptr<const CachedPlan> replaced;
  {
    std::unique_lock lock(mutex_);
    auto stale = std::find_if(entries_.begin(), entries_.end(),
                              [&](const auto &entry) {
                                return entry->plan->shape == plan->shape;
                              });
    if (stale != entries_.end()) {
      replaced = std::move((*stale)->plan);
      entries_.erase(stale);
      --added;
    }
    if (entries_.size() >= bound_) {
      lock.unlock();
      JITCache::global().resized(added, global_bound_);
      return false;
    }
    std::erase(evicted_, plan->shape);
    auto entry = std::make_unique<Entry>();
    entry->plan = std::move(plan);
    entry->last_use.store(JITCache::global().tick(), std::memory_order_relaxed);
    entries_.push_back(std::move(entry));
    ever_compiled_ = true;
    ++added;
  }
  JITCache::global().resized(added, global_bound_);
  return true;
}

std::size_t PlanSet::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

std::uint64_t PlanSet::oldest_use() const {
  std::shared_lock lock(mutex_);
  std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
  for (const auto &entry : entries_)
    oldest = std::min(oldest, entry->last_use.load(std::memory_order_relaxed));
  return oldest;
}

std::shared_ptr<const CachedPlan> PlanSet::evict_oldest() {
  std::unique_lock lock(mutex_);
  auto oldest = std::min_element(
      entries_.begin(), entries_.end(), [](const auto &a, const auto &b) {
        return a->last_use.load(std::memory_order_relaxed) <
               b->last_use.load(std::memory_order_relaxed);
      });
  if (oldest == entries_.end())
    return nullptr;
  evicted_.push_back((*oldest)->plan->shape);
  // Only recent evictions are worth naming in a miss; keep the list small.
  if (evicted_.size() > bound_)
    evicted_.erase(evicted_.begin());
  std::shared_ptr<const CachedPlan> plan = std::move((*oldest)->plan);
  entries_.erase(oldest);
  return plan;
}

JITCache &JITCache::global() {
  static JITCache cache;
  return cache;
}

std::size_t JITCache::size() const {
  std::lock_guard lock(mutex_);
  return plans_;
}

void JITCache::add(PlanSet *set) {
  std::lock_guard lock(mutex_);
  sets_.push_back(set);
}

void JITCache::remove(PlanSet *set) {
  std::lock_guard lock(mutex_);
  std::erase(sets_, set);
  plans_ -= set->size();
}

void JITCache::resized(long added, std::size_t bound) {
  // Destroyed after the lock is released (PlanSet::evict_oldest()).
  std::vector<std::shared_ptr<const CachedPlan>> evicted;
  std::lock_guard lock(mutex_);
  plans_ = static_cast<std::size_t>(static_cast<long>(plans_) + added);
  while (plans_ > bound) {
    PlanSet *oldest = nullptr;
    std::uint64_t oldest_use = std::numeric_limits<std::uint64_t>::max();
    for (PlanSet *set : sets_)
      if (std::uint64_t use = set->oldest_use(); use < oldest_use) {
        oldest = set;
        oldest_use = use;
      }
    if (!oldest)
      return;
    evicted.push_back(oldest->evict_oldest());
    --plans_;
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
}

} // namespace xcs
