//===- Driver/jsonl_source.cpp - Items from a JSONL file ------------------===//

#include "Driver/jsonl_source.h"

#include "xcs/error.h"
#include "xcs/json.h"

#include <cerrno>
#include <cstring>

namespace xcs {
namespace {

std::ifstream open_data(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("cannot read the data file '" + path +
                     "': " + std::strerror(errno));
  return in;
}

} // namespace

JsonlSource::JsonlSource(const std::string &path, const DoneSet &skip)
    : path_(path), skip_(skip), in_(open_data(path)) {
  std::ifstream counting = open_data(path);
  std::string line;
  while (std::getline(counting, line)) {
    if (!skip_.contains(lines_))
      ++total_;
    ++lines_;
  }
}

std::optional<BatchItem> JsonlSource::next() {
  std::optional<JsonlLine> line = next_line();
  if (!line)
    return std::nullopt;
  return parse_jsonl_item(path_, line->index, line->text);
}

std::optional<JsonlLine> JsonlSource::next_line() {
  std::string line;
  while (std::getline(in_, line)) {
    std::uint64_t index = next_index_++;
    if (!skip_.contains(index))
      return JsonlLine{index, std::move(line)};
  }
  if (in_.bad())
    throw InputError("cannot read the data file '" + path_ +
                     "': " + std::strerror(errno));
  return std::nullopt;
}

BatchItem parse_jsonl_item(const std::string &path, std::uint64_t index,
                           const std::string &line) {
  BatchItem item;
  item.index = index;
  // The line's own text is line 1 to the parser: its number in the file
  // replaces that.
  std::string line_name = path + ":" + std::to_string(index + 1);
  try {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      throw InputError(line_name + ": an empty line, not a JSON object");
    item.input = parse_json_record(line, path);
  } catch (const InputError &error) {
    std::string message = error.what();
    // The parser names the source, and the line's text as line 1.
    std::string first_line = path + ":1:";
    std::string whole = path + ": ";
    if (message.starts_with(first_line))
      message = line_name + ":" + message.substr(first_line.size());
    else if (message.starts_with(whole))
      message = line_name + ": " + message.substr(whole.size());
    item.error = std::make_exception_ptr(InputError(message));
  }
  return item;
}

} // namespace xcs
