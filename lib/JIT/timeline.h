//===- JIT/timeline.h - Operator calls as a Chrome trace --------*- C++ -*-===//
///
/// \file
/// A Timeline records every operator call of the process while it lives
/// (through the hooks of Core/timeline_hooks.h) and writes them as Chrome
/// trace-event JSON, which Perfetto and chrome://tracing open: a complete
/// span ("X") per call that held its thread, on that thread's track; an
/// async span ("b"/"e") from start to completion per asynchronous call;
/// and, from a batch runner, an async span per item. Every call span names
/// its item and, for a plan's call, its node. docs/batch.md describes the
/// tracks.
///
/// Timelines are shared by path: a jit operator and a batch runner asking
/// for the same file record into one, which writes the file when its last
/// owner lets go. Recording costs a clock read and a lock per call; while
/// no timeline lives, a call pays one relaxed load.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Core/timeline_hooks.h"
#include "xcs/record.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace xcs {

class Timeline {
public:
  /// The timeline writing to \p path: the live one with that path, or a
  /// new one. The file is created now, so that a path that cannot be
  /// written is an InputError here, naming it.
  static std::shared_ptr<Timeline> open(const std::string &path);
  /// open(\p path) for a nonempty \p path, else open($XCS_TIMELINE) when
  /// that is set and not empty, else null.
  static std::shared_ptr<Timeline> open_configured(const std::string &path);

  /// Writes the file, unless nothing was recorded since the last write; a
  /// failure is logged, as a destructor cannot report it.
  ~Timeline();
  Timeline(const Timeline &) = delete;
  Timeline &operator=(const Timeline &) = delete;

  const std::string &path() const { return path_; }

  /// Records item \p index's span, from its start to its outcome.
  void item(std::int64_t index, detail::TimelineClock::time_point begin,
            detail::TimelineClock::time_point end, bool failed);

  /// Writes everything recorded so far to the file (replacing it).
  /// InputError naming the file when it cannot be written.
  void write();

  /// Per plan node that made calls, in node order then name:
  /// {node, operator, calls, total_ns, max_ns}.
  std::vector<Record> node_times() const;

  /// Internal: a new timeline; use open().
  explicit Timeline(std::string path);
  /// Internal: receives a call's span from the hooks.
  void add(const detail::CallSpan &span);

private:
  struct ItemSpan {
    std::int64_t index;
    detail::TimelineClock::time_point begin, end;
    bool failed;
  };

  const std::string path_;
  const detail::TimelineClock::time_point origin_;
  mutable std::mutex mutex_;
  std::vector<detail::CallSpan> calls_;
  std::vector<ItemSpan> items_;
  // A timeline that recorded nothing still writes a (valid, empty) file.
  bool dirty_ = true;
};

} // namespace xcs
