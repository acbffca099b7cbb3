//===- corpus_main.cpp - Running a fuzz target over its seed corpus -------===//
//
// The default build has no libFuzzer (it needs Clang), so each fuzz target
// is also linked with this main, which passes every file of the given files
// and directories to LLVMFuzzerTestOneInput once. A broken property aborts,
// as under libFuzzer; the corpus test (CMakeLists.txt) runs it so that the
// targets keep building and their seeds keep passing.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size);

namespace {

/// The files named by \p argument: itself, or a directory's files sorted.
std::vector<std::filesystem::path>
inputs(const std::filesystem::path &argument) {
  if (!std::filesystem::is_directory(argument))
    return {argument};
  std::vector<std::filesystem::path> files;
  for (const auto &entry : std::filesystem::directory_iterator(argument))
    if (entry.is_regular_file())
      files.push_back(entry.path());
  std::ranges::sort(files);
  return files;
}

} // namespace

int main(int argc, char **argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    for (const std::filesystem::path &file : inputs(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "cannot read %s\n", file.c_str());
        return 1;
      }
      // An exactly sized copy, as libFuzzer passes, so that reading past
      // the end is caught by the sanitizers.
      std::vector<std::uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
      LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
      ++count;
    }
  }
  std::printf("%zu inputs passed\n", count);
  // An empty corpus would pass without testing anything.
  return count == 0 ? 1 : 0;
}
