//===- Driver/plugin_loader.cpp - Operators from shared libraries ---------===//

#include "Driver/plugin_loader.h"

#include "xcs/error.h"

#include <dlfcn.h>

#include <exception>

namespace xcs {
namespace {

/// The loader's last message, which names the file and the reason.
std::string loader_message() {
  const char *message = dlerror();
  return message ? message : "unknown error";
}

} // namespace

void load_plugin(const std::string &path, OperatorRegistry &registry) {
  std::string where = "plugin '" + path + "'";
  // A bare name is a file in the current directory, as on the rest of the
  // command line, not a library for dlopen to search the system paths for.
  std::string file = path.find('/') == path.npos ? "./" + path : path;
  // RTLD_LOCAL: two plugins may define the same internal symbols. The
  // handle is never closed (see the header).
  void *library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    throw InputError("cannot load " + where + ": " + loader_message());
  auto entry = reinterpret_cast<RegisterOperatorsFunction>(
      dlsym(library, register_operators_symbol));
  if (!entry)
    throw InputError(where + " does not export '" +
                     std::string(register_operators_symbol) + "'");
  try {
    entry(registry);
  } catch (const std::exception &error) {
    throw InputError(where + ": " + error.what());
  }
}

} // namespace xcs
