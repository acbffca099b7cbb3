//===- Distributed/wire.h - Messages between ranks --------------*- C++ -*-===//
///
/// \file
/// The bytes of a message between ranks: fixed-width integers and doubles
/// in the host's order (an MPI job runs one build on one architecture) and
/// length-prefixed strings. A message is small and read once, so a flat
/// buffer is all it needs; a reader that runs past the end throws, as a
/// truncated message is a bug, not an input to tolerate.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace xcs::distributed {

/// What a message is; its MPI tag.
enum class Tag : int {
  /// Worker -> rank 0: u64 items wanted.
  WorkRequest = 1,
  /// Rank 0 -> worker: u64 count, then per item u64 index, string line.
  /// No items: the data is all handed out.
  Chunk,
  /// Worker -> rank 0: u64 retries, prompt and completion tokens so far;
  /// u64 count, then per outcome u64 index, u8 failed, i64 latency ns,
  /// string result line.
  Outcomes,
  /// Worker -> rank 0: u64 asks count, per ask u64 permit, string endpoint,
  /// i64 max concurrency, f64 requests and tokens per minute, f64 tokens;
  /// then u64 releases count, per release u64 permit, u8 end, u8 has
  /// refund, f64 refund.
  Permits,
  /// Rank 0 -> worker: u64 count, then the granted permits' u64 ids.
  Grants,
  /// Worker -> rank 0, once its items are done: its endpoints' usage, plan
  /// node times and timeline (see worker_report.h).
  Finished,
};

class WireWriter {
public:
  template <typename T> void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const char *bytes = reinterpret_cast<const char *>(&value);
    buffer_.insert(buffer_.end(), bytes, bytes + sizeof(T));
  }
  void put_string(std::string_view text) {
    put<std::uint64_t>(text.size());
    buffer_.insert(buffer_.end(), text.begin(), text.end());
  }
  std::size_t size() const { return buffer_.size(); }
  bool empty() const { return buffer_.empty(); }
  std::vector<char> take() { return std::move(buffer_); }

private:
  std::vector<char> buffer_;
};

class WireReader {
public:
  explicit WireReader(const std::vector<char> &buffer)
      : data_(buffer.data()), left_(buffer.size()) {}

  template <typename T> T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  std::string get_string() {
    auto size = get<std::uint64_t>();
    return std::string(take(size), size);
  }

private:
  const char *take(std::size_t bytes);

  const char *data_;
  std::size_t left_;
};

} // namespace xcs::distributed
