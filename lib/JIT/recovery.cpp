//===- recovery.cpp - The eager outcome of a failed plan run --------------===//

#include "JIT/recovery.h"

#include "Core/call_observer.h"

#include <exception>

namespace xcs {
namespace {

/// Answers calls from a failed run; see recovery.h.
class RecoveryObserver final : public detail::CallObserver {
public:
  RecoveryObserver(const std::vector<OperatorPtr> &operators, FailedRun run)
      : operators_(operators), run_(std::move(run)),
        answered_(run_.calls.size(), false) {}

  Record observe(const Operator &op, const Record &inputs) override {
    if (const RunCall *call = answer(op, inputs)) {
      if (call->error)
        std::rethrow_exception(call->error);
      return call->outputs;
    }
    // An operator the plan calls that the run did not complete runs for
    // real, as its node would have: its own children are not the plan's.
    if (called_by_plan(op)) {
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
    for (std::size_t i = 0; i < run_.calls.size(); ++i) {
      const RunCall &call = run_.calls[i];
      if (answered_[i] || operators_[call.op].get() != &op ||
          !(call.inputs == inputs))
        continue;
      answered_[i] = true;
      return &call;
    }
    return nullptr;
  }

  bool called_by_plan(const Operator &op) const {
    for (std::size_t i = 0; i < operators_.size(); ++i)
      if (run_.called[i] && operators_[i].get() == &op)
        return true;
    return false;
  }

  const std::vector<OperatorPtr> &operators_;
  FailedRun run_;
  std::vector<bool> answered_;
};

} // namespace

Record recover(const Operator &root, const Record &inputs,
               const std::vector<OperatorPtr> &operators,
               FailedRun run) {
  RecoveryObserver observer(operators, std::move(run));
  detail::ObserverScope scope(&observer);
  return root(inputs);
}

void recover_on_pool(runtime::Executor &executor, const Operator &root,
                     Record inputs, const std::vector<OperatorPtr> &operators,
                     std::shared_ptr<const void> keep, FailedRun run,
                     Completion done, std::function<void()> after) {
  // Shared, as the posted work must be copyable; each is its only owner.
  auto call = std::make_shared<Completion>(std::move(done));
  auto failed = std::make_shared<FailedRun>(std::move(run));
  executor.post([&root, &operators, keep = std::move(keep),
                 inputs = std::move(inputs), call, failed,
                 after = std::move(after)] {
    call->complete_with([&] {
      Record result = recover(root, inputs, operators, std::move(*failed));
      after();
      return result;
    });
  });
}

} // namespace xcs
