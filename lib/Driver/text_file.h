//===- Driver/text_file.h - Reading the tool's input files ------*- C++ -*-===//
#pragma once

#include <string>

namespace xcs {

/// The contents of the file \p path, or of the standard input when \p path
/// is "-". InputError naming the file when it cannot be opened or is a
/// directory.
std::string read_text_file(const std::string &path);

/// How diagnostics name the file \p path: "<stdin>" for "-".
std::string file_display_name(const std::string &path);

} // namespace xcs
