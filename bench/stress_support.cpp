//===- stress_support.cpp - What the stress binaries share ----------------===//

#include "stress_support.h"

#include <unistd.h>

#include <fstream>

namespace xcs::bench {

std::optional<std::string_view> flag(std::string_view argument,
                                     std::string_view name) {
  if (argument.substr(0, name.size()) != name ||
      argument.substr(name.size(), 1) != "=")
    return std::nullopt;
  return argument.substr(name.size() + 1);
}

double resident_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * sysconf(_SC_PAGESIZE) / (1 << 20);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

} // namespace xcs::bench
