//===- Driver/text_file.cpp - Reading the tool's input files --------------===//

#include "Driver/text_file.h"

#include "xcs/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace xcs {

std::string read_text_file(const std::string &path) {
  // An ifstream opens a directory without complaint and then reads nothing,
  // which would surface as a misleading parse error.
  if (std::filesystem::is_directory(path))
    throw InputError("cannot read '" + path + "': is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace xcs
