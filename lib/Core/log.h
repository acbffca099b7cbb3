//===- log.h - The one internal logging header ------------------*- C++ -*-===//
///
/// \file
/// All of XCS logs through logger(): an spdlog logger owned by XCS, not
/// registered in spdlog's global registry, writing to standard error.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <spdlog/logger.h>

namespace xcs::log {

/// The XCS logger; its level follows xcs::set_log_level / XCS_LOG.
spdlog::logger &logger();

} // namespace xcs::log
