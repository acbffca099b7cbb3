//===- scratch_files.h - Files the xcs-run tests write ----------*- C++ -*-===//
///
/// \file
/// A scratch directory per test and whole-file reads and writes, shared by
/// the tests of xcs-run in one process (unittests/Batch) and across MPI
/// ranks (unittests/Distributed).
///
//===----------------------------------------------------------------------===//
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace xcs::test {

/// A fresh directory named \p prefix-PID-N, removed with its files at the
/// end of the scope.
class Scratch {
public:
  explicit Scratch(const std::string &prefix) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
  std::string path(const std::string &name) const { return dir_ / name; }

private:
  std::filesystem::path dir_;
};

inline std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::string &path, const std::string &text) {
  std::ofstream(path, std::ios::binary) << text;
}

} // namespace xcs::test
