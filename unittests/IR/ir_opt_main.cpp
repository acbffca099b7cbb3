//===- ir_opt_main.cpp - Run IR passes on a text file ---------------------===//
//
// xcs-ir-opt FILE [--pass=NAME[,NAME...]]
//
// Parses FILE, verifies it, runs the passes in order (verifying after each)
// and prints the resulting IR. Any error is printed instead and the exit
// status is 1. Output goes to stdout so FileCheck tests see both.
//
//===----------------------------------------------------------------------===//

#include "IR/parser.h"
#include "IR/passes.h"
#include "IR/printer.h"
#include "IR/verifier.h"

#include "llvm/Support/MemoryBuffer.h"

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Options {
  std::string file;
  std::vector<std::string> passes;
};

llvm::Expected<Options> parse_options(int argc, char **argv) {
  Options options;
  constexpr std::string_view pass_flag = "--pass=";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with(pass_flag)) {
      llvm::SmallVector<llvm::StringRef> names;
      llvm::StringRef(arg.substr(pass_flag.size())).split(names, ',');
      for (llvm::StringRef name : names)
        options.passes.push_back(name.str());
    } else if (options.file.empty() && !arg.starts_with("-")) {
      options.file = arg;
    } else {
      return llvm::createStringError("unexpected argument '" +
                                     std::string(arg) + "'");
    }
  }
  if (options.file.empty())
    return llvm::createStringError(
        "usage: xcs-ir-opt FILE [--pass=NAME[,NAME...]]");
  return options;
}

llvm::Expected<std::string> run(int argc, char **argv) {
  llvm::Expected<Options> options = parse_options(argc, argv);
  if (!options)
    return options.takeError();
  auto buffer = llvm::MemoryBuffer::getFile(options->file);
  if (!buffer)
    return llvm::createStringError(options->file + ": " +
                                   buffer.getError().message());
  llvm::StringRef text = (*buffer)->getBuffer();
  llvm::Expected<xcs::ir::Module> module =
      xcs::ir::parse_and_verify({text.data(), text.size()}, options->file);
  if (!module)
    return module.takeError();
  for (const std::string &pass : options->passes) {
    if (llvm::Error error = xcs::ir::run_pass(*module, pass))
      return error;
    if (llvm::Error error = xcs::ir::verify(*module))
      return llvm::createStringError("after pass '" + pass +
                                     "': " + llvm::toString(std::move(error)));
  }
  return xcs::ir::print(*module);
}

} // namespace

int main(int argc, char **argv) {
  llvm::Expected<std::string> output = run(argc, argv);
  if (!output) {
    std::cout << "xcs-ir-opt: error: " << llvm::toString(output.takeError())
              << "\n";
    return 1;
  }
  std::cout << *output;
  return 0;
}
