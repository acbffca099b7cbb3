//===- json.cpp - Text forms of values: JSON and display ------------------===//
//
// One writer serves both to_json() and Value::to_string(): they differ only
// in what happens to values JSON cannot express (opaque objects, non-finite
// doubles, invalid UTF-8), which to_json() rejects and to_string() shows.
//
//===----------------------------------------------------------------------===//

#include "xcs/json.h"

#include "Core/observation.h"
#include "Core/symbol.h"

#include "xcs/error.h"
#include "xcs/path.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <limits>
#include <optional>
#include <unordered_set>
#include <vector>

namespace xcs {

using detail::ObservationPause;

namespace {

enum class Mode { Json, Display };

class Writer {
public:
  Writer(llvm::raw_ostream &os, Mode mode, bool pretty)
      : json_(os, pretty ? 2 : 0), mode_(mode) {}

  void write(const Value &value, const Path &at) {
    switch (value.kind()) {
    case Kind::Null:
      if (detail::symbol_tag(value) != 0)
        return write_symbol(value);
      return json_.value(nullptr);
    case Kind::Bool:
      return json_.value(value.as_bool());
    case Kind::Int:
      return json_.value(value.as_int());
    case Kind::Double:
      return write_double(value.as_double(), at);
    case Kind::String:
      return json_.value(checked_text(value.as_string(), at));
    case Kind::List:
      return write_list(value.as_list(), at);
    case Kind::Record:
      return write_record(value.as_record(), at);
    case Kind::Opaque:
      return write_opaque(value, at);
    }
  }

  void write_record(const Record &record, const Path &at) {
    json_.objectBegin();
    for (std::string_view name : record.sorted_names()) {
      FieldId field(name);
      Path child = at.field(field);
      json_.attributeBegin(checked_text(name, child));
      write(*record.find(field), child);
      json_.attributeEnd();
    }
    json_.objectEnd();
  }

private:
  void write_list(std::span<const Value> items, const Path &at) {
    json_.arrayBegin();
    for (std::size_t i = 0; i < items.size(); ++i)
      write(items[i], at.index(i));
    json_.arrayEnd();
  }

  void write_double(double d, const Path &at) {
    if (!std::isfinite(d) && mode_ == Mode::Json)
      fail(at, "the double " + std::to_string(d) + " has no JSON form");
    // The shortest text that reads back as the same double (0.1, not
    // 0.10000000000000001); integral doubles as 5.0 so they read as doubles,
    // not ints.
    char text[32];
    std::string out(text, std::to_chars(text, text + sizeof text, d).ptr);
    if (std::isfinite(d) && out.find_first_of(".e") == std::string::npos)
      out += ".0";
    json_.rawValue([&](llvm::raw_ostream &os) { os << out; });
  }

  void write_opaque(const Value &value, const Path &at) {
    if (mode_ == Mode::Json)
      fail(at, "opaque value of type '" + std::string(value.opaque_tag()) +
                   "' has no JSON form");
    json_.rawValue(
        [&](llvm::raw_ostream &os) { os << "<opaque " << value.opaque_tag() << ">"; });
  }

  /// A symbol of xcs::jit's analysis stands for data nobody computed: JSON
  /// cannot hold it, the display names it.
  void write_symbol(const Value &symbol) {
    if (mode_ == Mode::Json)
      detail::on_symbol_read(symbol, "to_json");
    json_.rawValue([](llvm::raw_ostream &os) { os << "<symbol>"; });
  }

  std::string checked_text(std::string_view text, const Path &at) {
    if (llvm::json::isUTF8(text))
      return std::string(text);
    if (mode_ == Mode::Json)
      fail(at, "string is not valid UTF-8");
    return llvm::json::fixUTF8(text);
  }

  [[noreturn]] void fail(const Path &at, const std::string &why) {
    std::string where = at.empty() ? "the value" : "'" + at.to_string() + "'";
    throw InputError("cannot convert to JSON: at " + where + ": " + why);
  }

  llvm::json::OStream json_;
  Mode mode_;
};

std::string render(const Value &value, Mode mode, bool pretty) {
  std::string out;
  llvm::raw_string_ostream os(out);
  Writer(os, mode, pretty).write(value, Path());
  return out;
}

std::string render(const Record &record, Mode mode, bool pretty) {
  std::string out;
  llvm::raw_string_ostream os(out);
  Writer(os, mode, pretty).write_record(record, Path());
  return out;
}

/// Thrown through from_json() by a number beyond the range of a double,
/// which LLVM's parser reads as an infinity, a value with no JSON form. Each
/// enclosing list and object prepends its step on the way out, so the error
/// can name the number; nothing is paid while no number overflows.
struct NumberOutOfRange {
  Path at;
};

/// An int when \p json (whose value is \p d) is integral and fits in int64,
/// else a double.
Value from_number(const llvm::json::Value &json, double d) {
  if (std::isinf(d))
    throw NumberOutOfRange{};
  // LLVM's getAsInteger() converts a double of 2^63 to int64 (undefined
  // behaviour), so only numbers inside the range may reach it. Outside it,
  // only an integer written as such can still fit, up to INT64_MAX.
  constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
  if (d >= -0x1p63 && d < 0x1p63) {
    if (auto i = json.getAsInteger())
      return Value(*i);
  } else if (auto u = json.getAsUINT64(); u && *u <= int64_max) {
    return Value(static_cast<std::int64_t>(*u));
  }
  return Value(d);
}

Value from_json(const llvm::json::Value &json) {
  if (json.getAsNull())
    return Value();
  if (auto b = json.getAsBoolean())
    return Value(*b);
  if (auto d = json.getAsNumber())
    return from_number(json, *d);
  if (auto s = json.getAsString())
    return Value(std::string_view(*s));
  if (const auto *array = json.getAsArray()) {
    std::vector<Value> items;
    items.reserve(array->size());
    for (const auto &item : *array) {
      try {
        items.push_back(from_json(item));
      } catch (NumberOutOfRange &error) {
        error.at = Path().index(items.size()).append(error.at);
        throw;
      }
    }
    return Value::list(std::move(items));
  }
  Record record;
  for (const auto &[key, item] : *json.getAsObject()) {
    FieldId field(std::string_view(key.str().data(), key.str().size()));
    try {
      record.set(field, from_json(item));
    } catch (NumberOutOfRange &error) {
      error.at = Path().field(field).append(error.at);
      throw;
    }
  }
  return Value::record(std::move(record));
}

/// Rewrites LLVM's "[LINE:COL, byte=N]: MSG" as
/// "SOURCE:LINE:COL: invalid JSON: MSG".
std::string locate(std::string_view source, const std::string &message) {
  unsigned line = 0, column = 0, offset = 0;
  int consumed = 0;
  std::string where = std::string(source);
  std::string what = message;
  if (std::sscanf(message.c_str(), "[%u:%u, byte=%u]: %n", &line, &column,
                  &offset, &consumed) == 3 &&
      consumed > 0) {
    // LLVM counts the characters before its cursor, which has usually just
    // consumed the offending one: that count is its 1-based column. Before
    // anything on the line is consumed the count is 0, not a column.
    column = std::max(column, 1u);
    where += ":" + std::to_string(line) + ":" + std::to_string(column);
    what = message.substr(consumed);
  }
  return where + ": invalid JSON: " + what;
}

/// Containers nested deeper than this are rejected, as in the routing IR.
/// LLVM's parser and from_json() recurse once per level, so without a bound
/// a long run of '[' exhausts the stack instead of reporting an error.
constexpr std::size_t max_json_depth = 256;

/// "SOURCE:LINE:COL: invalid JSON: WHAT" for the byte at \p offset of
/// \p text, counting lines and columns from 1 as locate() does.
std::string error_at(std::string_view source, std::string_view text,
                     std::size_t offset, const std::string &what) {
  std::string_view before = text.substr(0, offset);
  std::size_t line = 1 + std::ranges::count(before, '\n');
  std::size_t line_start = before.rfind('\n');
  std::size_t column =
      offset - (line_start == before.npos ? 0 : line_start + 1) + 1;
  return std::string(source) + ":" + std::to_string(line) + ":" +
         std::to_string(column) + ": invalid JSON: " + what;
}

/// The two problems of JSON text that LLVM's parser does not report, found
/// by a scan that only tracks strings and brackets.
struct StructureProblems {
  /// Nesting deeper than max_json_depth, which must be found before LLVM's
  /// parser runs. Reported even when the text is otherwise malformed.
  std::optional<std::string> too_deep;
  /// A key repeated within one object, which LLVM's parser resolves
  /// silently to the last value. Meaningful only for well-formed text.
  std::optional<std::string> duplicate_key;
};

/// The text of the JSON string literal \p literal (quotes included), or
/// nullopt when it is malformed (the parser reports that).
std::optional<std::string> decode_string(std::string_view literal) {
  if (literal.find('\\') == literal.npos)
    return std::string(literal.substr(1, literal.size() - 2));
  llvm::Expected<llvm::json::Value> parsed =
      llvm::json::parse(llvm::StringRef(literal.data(), literal.size()));
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    return std::nullopt;
  }
  return parsed->getAsString()->str();
}

StructureProblems scan_structure(std::string_view text,
                                 std::string_view source) {
  struct Container {
    bool object;
    /// In an object: the next string is a key (after '{' or ',').
    bool expect_key;
    std::unordered_set<std::string> keys;
  };
  std::vector<Container> open;
  StructureProblems problems;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '[' || c == '{') {
      if (open.size() == max_json_depth) {
        problems.too_deep = error_at(source, text, i,
                                     "nested more than " +
                                         std::to_string(max_json_depth) +
                                         " deep");
        return problems;
      }
      open.push_back({c == '{', c == '{', {}});
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    } else if (c == ',' && !open.empty()) {
      open.back().expect_key = open.back().object;
    } else if (c == '"') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"')
        end += text[end] == '\\' ? 2 : 1;
      std::string_view literal = text.substr(i, end + 1 - i);
      if (!open.empty() && open.back().expect_key) {
        open.back().expect_key = false;
        std::optional<std::string> key = decode_string(literal);
        if (key && !open.back().keys.insert(*key).second &&
            !problems.duplicate_key)
          problems.duplicate_key = error_at(
              source, text, i, "duplicate key " + std::string(literal));
      }
      i = end;
    }
  }
  return problems;
}

} // namespace

Value parse_json(std::string_view text, std::string_view source) {
  StructureProblems problems = scan_structure(text, source);
  if (problems.too_deep)
    throw InputError(*problems.too_deep);
  llvm::Expected<llvm::json::Value> parsed =
      llvm::json::parse(llvm::StringRef(text.data(), text.size()));
  if (!parsed)
    throw InputError(locate(source, llvm::toString(parsed.takeError())));
  if (problems.duplicate_key)
    throw InputError(*problems.duplicate_key);
  try {
    return from_json(*parsed);
  } catch (const NumberOutOfRange &error) {
    std::string at =
        error.at.empty() ? "" : " at '" + error.at.to_string() + "'";
    throw InputError(std::string(source) + ": invalid JSON: number" + at +
                     " does not fit in a double");
  }
}

Record parse_json_record(std::string_view text, std::string_view source) {
  Value value = parse_json(text, source);
  if (!value.is_record())
    throw InputError(std::string(source) + ": expected a JSON object, got " +
                     std::string(kind_name(value.kind())));
  return value.as_record();
}

std::string to_json(const Value &value, bool pretty) {
  ObservationPause pause;
  return render(value, Mode::Json, pretty);
}

std::string to_json(const Record &record, bool pretty) {
  ObservationPause pause;
  return render(record, Mode::Json, pretty);
}

std::string Value::to_string() const {
  if (stamp_ != 0)
    observe("to_string");
  ObservationPause pause;
  return render(*this, Mode::Display, false);
}

std::string Record::to_string() const {
  ObservationPause pause;
  return render(*this, Mode::Display, false);
}

std::ostream &operator<<(std::ostream &os, const Value &value) {
  return os << value.to_string();
}

std::ostream &operator<<(std::ostream &os, const Record &record) {
  return os << record.to_string();
}

} // namespace xcs
