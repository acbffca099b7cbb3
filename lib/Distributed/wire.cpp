//===- Distributed/wire.cpp - Messages between ranks ----------------------===//

#include "Distributed/wire.h"

#include "xcs/error.h"

namespace xcs::distributed {

const char *WireReader::take(std::size_t bytes) {
  if (bytes > left_)
    throw Error("a message between ranks ended early (" +
                std::to_string(left_) + " bytes left, " +
                std::to_string(bytes) + " needed)");
  const char *at = data_;
  data_ += bytes;
  left_ -= bytes;
  return at;
}

} // namespace xcs::distributed
