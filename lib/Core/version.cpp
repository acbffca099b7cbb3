//===- version.cpp - The version of the library ---------------------------===//

#include "xcs/version.h"

namespace xcs {

// Compiled into the library, so it reports the library's version, whatever
// headers the caller was built with.
std::string_view version() noexcept { return XCS_VERSION_STRING; }

} // namespace xcs
