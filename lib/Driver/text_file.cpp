//===- Driver/text_file.cpp - Reading the tool's input files --------------===//

#include "Driver/text_file.h"

#include "xcs/error.h"

#include <llvm/Support/MemoryBuffer.h>

#include <filesystem>

namespace xcs {

std::string read_text_file(const std::string &path) {
  // A directory opens without complaint and then reads nothing, which
  // would surface as a misleading parse error.
  if (path != "-" && std::filesystem::is_directory(path))
    throw InputError("cannot read '" + path + "': is a directory");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buffer)
    throw InputError("cannot open '" + file_display_name(path) +
                     "': " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

std::string file_display_name(const std::string &path) {
  return path == "-" ? "<stdin>" : path;
}

} // namespace xcs
