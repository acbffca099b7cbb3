//===- Distributed/job.h - What every rank of a run shares ------*- C++ -*-===//
#pragma once

#include "Distributed/doorbell.h"
#include "Distributed/mpi_comm.h"
#include "Distributed/rank_broker.h"
#include "Driver/run_options.h"
#include "xcs/operator.h"

#include <algorithm>
#include <memory>
#include <string>

namespace xcs::distributed {

/// One rank's part of a run, made alike on every rank before any item
/// starts.
struct Job {
  MpiComm &comm;
  XcsRunOptions options;
  OperatorPtr op;
  /// Wakes this rank's communication thread (doorbell.h).
  std::shared_ptr<Doorbell> doorbell;
  /// Where this rank's model calls ask rank 0 for their budgets.
  std::shared_ptr<RankBroker> broker;
  /// The run's timeline file ("" for none): --timeline, else $XCS_TIMELINE.
  std::string timeline;

  /// The items rank 0 hands a worker at a time.
  std::size_t chunk_size() const {
    return options.chunk_size != 0
               ? options.chunk_size
               : std::max<std::size_t>(1, options.max_in_flight / 4);
  }
};

} // namespace xcs::distributed
