//===- ir_fuzzer.cpp - The routing-IR parser, printer and verifier --------===//
//
// Reads the bytes as routing-IR text. Errors are llvm::Error values, never
// crashes. docs/ir.md promises that printing what parsed and parsing it
// again gives the same bytes, verified or not; a verified module stays
// verified through that round trip and through the default pipeline, whose
// scheduled form (tasks and slots) round-trips too.
//
//===----------------------------------------------------------------------===//

#include "fuzz_check.h"

#include "IR/parser.h"
#include "IR/passes.h"
#include "IR/printer.h"
#include "IR/verifier.h"

#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace xcs::fuzz {
namespace {

/// Whether \p module verifies; the error, if any, is consumed.
bool verifies(const ir::Module &module) {
  if (llvm::Error error = ir::verify(module)) {
    llvm::consumeError(std::move(error));
    return false;
  }
  return true;
}

/// Checks print -> parse -> print on \p module; returns the reparsed module.
ir::Module check_round_trip(const ir::Module &module) {
  std::string printed = ir::print(module);
  llvm::Expected<ir::Module> reparsed = ir::parse(printed, "printed.xcs");
  if (!reparsed)
    fail("printed IR parses",
         printed + "\n" + llvm::toString(reparsed.takeError()));
  check_equal(printed, ir::print(*reparsed),
              "print(parse(print(m))) == print(m)");
  return std::move(*reparsed);
}

} // namespace
} // namespace xcs::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  using namespace xcs;
  llvm::Expected<ir::Module> module =
      ir::parse({reinterpret_cast<const char *>(data), size}, "fuzz.xcs");
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  ir::Module reparsed = fuzz::check_round_trip(*module);
  if (!fuzz::verifies(*module))
    return 0;
  fuzz::check(fuzz::verifies(reparsed), "a verified module verifies after "
                                        "print and parse");
  ir::run_default_pipeline(*module);
  fuzz::check(fuzz::verifies(*module),
              "the default pipeline leaves a module verified");
  fuzz::check(fuzz::verifies(fuzz::check_round_trip(*module)),
              "a scheduled module verifies after print and parse");
  return 0;
}
