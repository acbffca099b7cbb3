//===- Distributed/mpi_comm.h - One rank's MPI ------------------*- C++ -*-===//
///
/// \file
/// The few MPI calls a run needs, over MPI's C API: every call of a rank
/// is made by the thread that initialized MPI (MPI_THREAD_FUNNELED, which
/// every MPI library supports), the rank's communication thread; the other
/// threads talk to it through queues. Sends are nonblocking, so that two
/// ranks sending each other large messages cannot wait on each other, and
/// receives poll. Errors come back as xcs::Error naming the call and the
/// rank (MPI_ERRORS_RETURN) rather than aborting without a word.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Distributed/wire.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xcs::distributed {

/// A message received.
struct Message {
  int from = 0;
  Tag tag = Tag::WorkRequest;
  std::vector<char> bytes;
};

/// Messages and bytes of one tag, for the summary and docs/distributed.md.
struct Traffic {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
};

class MpiComm {
public:
  /// Initializes MPI for this process. Error when it cannot.
  MpiComm(int &argc, char **&argv);
  /// Finalizes MPI, once every send has completed.
  ~MpiComm();
  MpiComm(const MpiComm &) = delete;
  MpiComm &operator=(const MpiComm &) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  /// Sends \p bytes to rank \p to without waiting for it to arrive.
  void send(int to, Tag tag, std::vector<char> bytes);
  /// Completes the sends that have arrived; whether none is left.
  bool sends_done();
  /// A message that has arrived, if any.
  std::optional<Message> receive();

  /// Collective: rank 0 gets every rank's \p text (by rank); others get
  /// nothing.
  std::vector<std::string> gather(const std::string &text);
  /// Collective: every rank gets rank 0's \p value.
  int broadcast(int value);
  /// Ends every rank of the job with \p status.
  [[noreturn]] void abort(int status);

  /// What this rank sent and received, by tag.
  const std::map<Tag, Traffic> &sent() const { return sent_; }
  const std::map<Tag, Traffic> &received() const { return received_; }

private:
  void check(int code, const char *call) const;

  struct Pending;
  int rank_ = 0;
  int size_ = 1;
  std::vector<Pending> pending_;
  std::map<Tag, Traffic> sent_;
  std::map<Tag, Traffic> received_;
};

} // namespace xcs::distributed
