//===- ir_fuzzer.cpp - The routing-IR parser, printer and verifier --------===//
//
// Reads the bytes as routing-IR text. Errors are llvm::Error values, never
// crashes. docs/ir.md promises that printing what parsed and parsing it
// again gives the same bytes, verified or not; that a verifier error about
// text points into it; that a verified module stays verified through that
// round trip and through the default pipeline, whose scheduled form (tasks
// and slots) round-trips too.
//
//===----------------------------------------------------------------------===//

#include "fuzz_check.h"

#include "IR/parser.h"
#include "IR/passes.h"
#include "IR/printer.h"
#include "IR/verifier.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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

/// Whether \p module, parsed from \p text, verifies. If not, checks that
/// parse_and_verify() reports verify()'s message (with the text's value
/// names) at a position in the text: "fuzz.xcs:LINE:COL: MESSAGE".
bool check_located(std::string_view text, const ir::Module &module) {
  // The located message names values as the text does.
  ir::SourceMap map;
  llvm::Expected<ir::Module> names_read = ir::parse(text, "fuzz.xcs", &map);
  if (!names_read)
    fail("parse() reads what it read before",
         llvm::toString(names_read.takeError()));
  llvm::Error error = ir::verify(module, &map.names);
  if (!error)
    return true;
  std::string message = llvm::toString(std::move(error));
  llvm::Expected<ir::Module> read = ir::parse_and_verify(text, "fuzz.xcs");
  if (read)
    fail("parse_and_verify() rejects what verify() rejects", message);
  std::string located = llvm::toString(read.takeError());
  llvm::StringRef rest(located);
  unsigned line = 0, column = 0;
  bool positioned =
      rest.consume_front("fuzz.xcs:") && !rest.consumeInteger(10, line) &&
      line > 0 && rest.consume_front(":") && !rest.consumeInteger(10, column) &&
      column > 0 && rest.consume_front(": ");
  if (!positioned || rest != message)
    fail("a verifier error about text names its position in the text", located);
  return false;
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
  if (!fuzz::check_located({reinterpret_cast<const char *>(data), size},
                           *module))
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
