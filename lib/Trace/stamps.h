//===- stamps.h - Provenance stamp encoding and live tracers ----*- C++ -*-===//
///
/// \file
/// A stamp is 32 bits in a Value's spare bytes: the tracing context's
/// generation (12 bits) and an index into that context's stamp table
/// (20 bits). The generation tells which context a stamp belongs to, so a
/// read on another thread, or a value left over from an earlier trace, is
/// never mistaken for one of the current trace's values. Generation 0 is
/// reserved for xcs::constant.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/trace.h"

#include <cstdint>

namespace xcs::detail {

inline constexpr unsigned stamp_index_bits = 20;
inline constexpr std::uint32_t stamp_index_limit = 1u << stamp_index_bits;
inline constexpr std::uint32_t generation_limit = 1u << (32 - stamp_index_bits);
/// The stamp xcs::constant() puts on a value.
inline constexpr std::uint32_t constant_stamp = 1;

inline std::uint32_t stamp_generation(std::uint32_t stamp) {
  return stamp >> stamp_index_bits;
}
inline std::uint32_t stamp_index(std::uint32_t stamp) {
  return stamp & (stamp_index_limit - 1);
}
inline std::uint32_t make_stamp(std::uint32_t generation, std::uint32_t index) {
  return (generation << stamp_index_bits) | index;
}

/// The context current on this thread (TracerContext::current()).
extern constinit thread_local TracerContext *current_tracer
    __attribute__((tls_model("initial-exec")));

/// Takes a free generation for \p context, counted in Core's live_tracers
/// once the tracer's hooks are installed (Core/trace_hooks.h);
/// CompileError-free: throws xcs::Error when all generations are in use.
std::uint32_t register_tracer(TracerContext *context);
void unregister_tracer(std::uint32_t generation);
/// Calls note_foreign_use(what) on the live context owning \p value's stamp,
/// if any (for a symbol, the context of its run).
void report_foreign_use(const Value &value, const char *what);

} // namespace xcs::detail
