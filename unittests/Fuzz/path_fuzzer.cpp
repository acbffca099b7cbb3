//===- path_fuzzer.cpp - Record paths -------------------------------------===//
//
// Reads the bytes as a path (`a.b[2].c`). Malformed text is an InputError,
// nothing else. A parsed path prints as text that parses back to it
// (xcs/path.h), splits and re-joins into itself, and, evaluated against a
// fixed nested record, either addresses a value that find() also finds or
// throws InputError exactly when find() finds nothing.
//
//===----------------------------------------------------------------------===//

#include "fuzz_check.h"

#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/path.h"
#include "xcs/record.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace xcs::fuzz {
namespace {

/// Records, lists and scalars nested a few levels deep, with names the
/// seeds use.
const Record &fixture() {
  static const Record record = parse_json_record(R"({
    "a": {"b": [1, {"c": "x"}, [2, 3]], "d-e": null},
    "items": [{"title": "first", "tags": ["x", "y"]}, {"title": "second"}],
    "n": 5, "s": "text", "f": 2.5,
    "_x": {"y": {"z": true}}
  })");
  return record;
}

/// Checks that at() and find() agree on \p root.
template <typename Root> void check_lookup(const Path &path, const Root &root) {
  const Value *found = path.find(root);
  try {
    const Value &value = path.at(root);
    check(found == &value, "at() returns what find() finds");
  } catch (const InputError &) {
    check(found == nullptr, "at() throws only when find() finds nothing");
  }
}

} // namespace
} // namespace xcs::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  using namespace xcs;
  Path path;
  try {
    path = Path::parse({reinterpret_cast<const char *>(data), size});
  } catch (const InputError &) {
    return 0;
  }
  std::string text = path.to_string();
  fuzz::check(Path::parse(text) == path, "parse(to_string(p)) == p");
  for (std::size_t split = 0; split <= path.steps().size(); ++split) {
    Path head = path.slice(0, split);
    fuzz::check(path.starts_with(head), "a path starts with its prefixes");
    fuzz::check(head.append(path.slice(split)) == path,
                "prefix + rest == path");
  }
  fuzz::check_lookup(path, fuzz::fixture());
  fuzz::check_lookup(path, Value::record(fuzz::fixture()));
  return 0;
}
