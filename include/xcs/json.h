//===- xcs/json.h - JSON conversion -----------------------------*- C++ -*-===//
///
/// \file
/// Conversion between Values and JSON text. Objects become records, arrays
/// lists; a number is an int when it is an integer that fits in int64, else a
/// double. Opaque values and non-finite doubles have no JSON form.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/record.h"
#include "xcs/value.h"

#include <string>
#include <string_view>

namespace xcs {

/// Parses \p text. Throws InputError "SOURCE:LINE:COL: what was wrong",
/// also for a key repeated within one object and for arrays and objects
/// nested more than 256 deep.
Value parse_json(std::string_view text, std::string_view source = "<input>");
/// Parses \p text, which must be a JSON object, into a record.
Record parse_json_record(std::string_view text,
                         std::string_view source = "<input>");

/// JSON text of \p value, object keys sorted by name. Throws InputError for
/// values without a JSON form, naming the path to the offending value.
std::string to_json(const Value &value, bool pretty = false);
std::string to_json(const Record &record, bool pretty = false);

} // namespace xcs
