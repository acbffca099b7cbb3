//===- recovery.cpp - The eager outcome of a failed plan run --------------===//

#include "JIT/recovery.h"

#include "Core/call_observer.h"

#include <algorithm>
#include <exception>

namespace xcs {
namespace {

/// Answers calls from a failed run; see recovery.h.
class RecoveryObserver final : public detail::CallObserver {
public:
  RecoveryObserver(const std::vector<OperatorPtr> &operators,
                   std::vector<RunCall> calls)
      : operators_(operators), calls_(std::move(calls)),
        answered_(calls_.size(), false) {}

  Record observe(const Operator &op, const Record &inputs) override {
    if (const RunCall *call = answer(op, inputs)) {
      if (call->error)
        std::rethrow_exception(call->error);
      return call->outputs;
    }
    // A plan operator the run did not complete runs for real, as its node
    // would have: its own children are not the plan's.
    if (in_plan(op)) {
      detail::ObserverScope unobserved(nullptr);
      return op(inputs);
    }
    // A composite the plan flattened: its glue runs, and its children's
    // calls come back here.
    return run(op, inputs);
  }

private:
  /// The first call of the run not answered yet that \p op made on
  /// \p inputs, now answered; null if there is none.
  const RunCall *answer(const Operator &op, const Record &inputs) {
    for (std::size_t i = 0; i < calls_.size(); ++i) {
      const RunCall &call = calls_[i];
      if (answered_[i] || operators_[call.op].get() != &op ||
          !(call.inputs == inputs))
        continue;
      answered_[i] = true;
      return &call;
    }
    return nullptr;
  }

  bool in_plan(const Operator &op) const {
    return std::any_of(operators_.begin(), operators_.end(),
                       [&](const OperatorPtr &entry) {
                         return entry.get() == &op;
                       });
  }

  const std::vector<OperatorPtr> &operators_;
  std::vector<RunCall> calls_;
  std::vector<bool> answered_;
};

} // namespace

Record recover(const Operator &root, const Record &inputs,
               const std::vector<OperatorPtr> &operators,
               std::vector<RunCall> calls) {
  RecoveryObserver observer(operators, std::move(calls));
  detail::ObserverScope scope(&observer);
  return root(inputs);
}

} // namespace xcs
