//===- observation.cpp - Reads of stamped values --------------------------===//

#include "Core/observation.h"

namespace xcs::detail {

constinit thread_local int observation_pause_depth = 0;

} // namespace xcs::detail
