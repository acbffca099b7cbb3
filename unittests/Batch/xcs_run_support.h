//===- xcs_run_support.h - What the xcs-run tests share ---------*- C++ -*-===//
///
/// \file
/// Shared by the tests of xcs-run in one process (unittests/Batch) and
/// across MPI ranks (unittests/Distributed): a scratch directory per test,
/// whole-file reads and writes, the tool run in-process, and a results
/// file read back by index.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver/xcs_run.h"
#include "xcs/json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

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

/// What a run of the tool printed, and its exit status.
struct ToolResult {
  int status = -1;
  std::string out, err;
};

/// xcs-run on \p args (without the program name), in this process.
inline ToolResult run_tool(std::vector<std::string> args) {
  args.insert(args.begin(), "xcs-run");
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  std::ostringstream out, err;
  int status = run_xcs_run(static_cast<int>(argv.size()), argv.data(), out,
                           err, /*err_is_terminal=*/false);
  return {status, out.str(), err.str()};
}

/// The results file \p path as index -> line; a repeated index fails the
/// test, and a line that is not a result throws.
inline std::map<std::int64_t, std::string> results(const std::string &path) {
  std::map<std::int64_t, std::string> by_index;
  std::istringstream lines(read_file(path));
  std::string line;
  while (std::getline(lines, line)) {
    std::int64_t index =
        parse_json(line, path).as_record().at("index").as_int();
    EXPECT_TRUE(by_index.emplace(index, line).second)
        << "index " << index << " twice in " << path;
  }
  return by_index;
}

} // namespace xcs::test
