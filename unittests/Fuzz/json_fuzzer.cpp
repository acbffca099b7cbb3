//===- json_fuzzer.cpp - The JSON input reader ----------------------------===//
//
// Reads the bytes as JSON. Malformed text is an InputError, nothing else.
// What parses has a JSON form (xcs/json.h): to_json, compact or pretty,
// reads back as an equal value (an integral number is an int either way; a
// double prints in a form that reads back as the same double) and prints
// the same text again. parse_json_record accepts exactly the objects.
//
//===----------------------------------------------------------------------===//

#include "fuzz_check.h"

#include "xcs/error.h"
#include "xcs/json.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  using namespace xcs;
  std::string_view text(reinterpret_cast<const char *>(data), size);
  Value value;
  try {
    value = parse_json(text);
  } catch (const InputError &) {
    return 0;
  }
  for (bool pretty : {false, true}) {
    std::string json = to_json(value, pretty);
    Value again = parse_json(json, "to_json");
    fuzz::check(again == value, "parse_json(to_json(v)) == v");
    fuzz::check(again.hash() == value.hash(), "equal values hash alike");
    fuzz::check_equal(json, to_json(again, pretty),
                      "to_json(parse_json(to_json(v))) == to_json(v)");
  }
  try {
    Record record = parse_json_record(text);
    fuzz::check(value.is_record() && record == value.as_record(),
                "parse_json_record reads what parse_json reads");
  } catch (const InputError &) {
    fuzz::check(!value.is_record(), "parse_json_record accepts every object");
  }
  return 0;
}
