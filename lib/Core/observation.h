//===- observation.h - Reads of stamped values ------------------*- C++ -*-===//
///
/// \file
/// While tracing, values carry provenance stamps, and reading a stamped
/// value's content (its kind, its number, its text...) tells the tracer that
/// the running code looked at data. XCS's own machinery (validation, path
/// navigation, printing, stamping) reads values without meaning the user's
/// glue did; it holds an ObservationPause for that.
///
//===----------------------------------------------------------------------===//
#pragma once

namespace xcs {
class Value;
} // namespace xcs

namespace xcs::detail {

/// Nesting depth of ObservationPause on this thread.
extern constinit thread_local int observation_pause_depth
    __attribute__((tls_model("initial-exec")));

inline bool observation_paused() { return observation_pause_depth != 0; }

/// Suppresses read reports on this thread for its lifetime.
class ObservationPause {
public:
  ObservationPause() { ++observation_pause_depth; }
  ~ObservationPause() { --observation_pause_depth; }
  ObservationPause(const ObservationPause &) = delete;
  ObservationPause &operator=(const ObservationPause &) = delete;
};

/// Tells the tracer (Core/trace_hooks.h): the content of \p value, which
/// carries a stamp and is not a symbol (Core/symbol.h), was read through the
/// accessor \p what.
void on_stamped_read(const Value &value, const char *what);

/// Tells the tracer (Core/trace_hooks.h): a path did not fit \p value, which
/// carries a stamp (see TracerContext::note_failed_path).
void on_failed_path(const Value &value);

} // namespace xcs::detail
