//===- Distributed/mpi_comm.cpp - One rank's MPI --------------------------===//

#include "Distributed/mpi_comm.h"

#include "xcs/error.h"

#include <mpi.h>

#include <limits>

namespace xcs::distributed {

/// A send in progress: MPI reads the buffer until the request completes.
struct MpiComm::Pending {
  MPI_Request request;
  std::vector<char> bytes;
};

MpiComm::MpiComm(int &argc, char **&argv) {
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) !=
      MPI_SUCCESS)
    throw Error("cannot initialize MPI");
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  if (provided < MPI_THREAD_FUNNELED)
    throw Error("the MPI library does not let a process have other threads "
                "(MPI_THREAD_FUNNELED)");
}

MpiComm::~MpiComm() {
  try {
    while (!sends_done()) {
    }
  } catch (...) {
    // A send that failed has nobody left to tell: MPI_Finalize ends it.
  }
  MPI_Finalize();
}

void MpiComm::check(int code, const char *call) const {
  if (code == MPI_SUCCESS)
    return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw Error(std::string(call) + " failed on rank " + std::to_string(rank_) +
              ": " + std::string(text, static_cast<std::size_t>(length)));
}

void MpiComm::send(int to, Tag tag, std::vector<char> bytes) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("a message between ranks of " + std::to_string(bytes.size()) +
                " bytes is too large for MPI");
  Traffic &traffic = sent_[tag];
  ++traffic.messages;
  traffic.bytes += bytes.size();
  pending_.push_back(Pending{MPI_REQUEST_NULL, std::move(bytes)});
  Pending &pending = pending_.back();
  check(MPI_Isend(pending.bytes.data(), static_cast<int>(pending.bytes.size()),
                  MPI_BYTE, to, static_cast<int>(tag), MPI_COMM_WORLD,
                  &pending.request),
        "MPI_Isend");
}

bool MpiComm::sends_done() {
  std::erase_if(pending_, [&](Pending &pending) {
    int done = 0;
    check(MPI_Test(&pending.request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    return done != 0;
  });
  return pending_.empty();
}

std::optional<Message> MpiComm::receive() {
  int arrived = 0;
  MPI_Status status;
  check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived,
                   &status),
        "MPI_Iprobe");
  if (!arrived)
    return std::nullopt;
  int count = 0;
  check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
  Message message;
  message.from = status.MPI_SOURCE;
  message.tag = static_cast<Tag>(status.MPI_TAG);
  message.bytes.resize(static_cast<std::size_t>(count));
  check(MPI_Recv(message.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE,
                 status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
        "MPI_Recv");
  Traffic &traffic = received_[message.tag];
  ++traffic.messages;
  traffic.bytes += message.bytes.size();
  return message;
}

std::vector<std::string> MpiComm::gather(const std::string &text) {
  int length = static_cast<int>(text.size());
  std::vector<int> lengths(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
  check(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0,
                   MPI_COMM_WORLD),
        "MPI_Gather");
  std::vector<int> offsets(lengths.size());
  int total = 0;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    offsets[i] = total;
    total += lengths[i];
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  check(MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(),
                    offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD),
        "MPI_Gatherv");
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < lengths.size(); ++i)
    texts.push_back(all.substr(static_cast<std::size_t>(offsets[i]),
                               static_cast<std::size_t>(lengths[i])));
  return texts;
}

int MpiComm::broadcast(int value) {
  check(MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return value;
}

void MpiComm::abort(int status) {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

} // namespace xcs::distributed
