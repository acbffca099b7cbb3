//===- path.cpp - Paths into nested values --------------------------------===//

#include "xcs/path.h"

#include "Core/observation.h"
#include "Core/symbol.h"

#include "xcs/error.h"
#include "xcs/record.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <span>

namespace xcs {
namespace {

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

/// A recursive-descent reader over path text that reports the column of
/// the first character it cannot accept.
class PathReader {
public:
  explicit PathReader(std::string_view text) : text_(text) {}

  std::vector<Path::Step> read() {
    std::vector<Path::Step> steps;
    steps.push_back(read_field());
    while (pos_ < text_.size()) {
      if (text_[pos_] == '.') {
        ++pos_;
        steps.push_back(read_field());
      } else if (text_[pos_] == '[') {
        ++pos_;
        steps.push_back(read_index());
      } else {
        fail("'.' or '['");
      }
    }
    return steps;
  }

private:
  Path::Step read_field() {
    std::size_t start = pos_;
    if (pos_ >= text_.size() || !is_name_start(text_[pos_]))
      fail("a field name");
    while (pos_ < text_.size() && is_name_char(text_[pos_]))
      ++pos_;
    return Path::Step{FieldId(text_.substr(start, pos_ - start)), 0};
  }

  Path::Step read_index() {
    std::size_t start = pos_;
    while (pos_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    if (pos_ == start)
      fail("a list index");
    std::size_t index = 0;
    auto [end, error] =
        std::from_chars(text_.data() + start, text_.data() + pos_, index);
    if (error != std::errc()) {
      pos_ = start;
      fail("a list index that fits in 64 bits");
    }
    if (pos_ >= text_.size() || text_[pos_] != ']')
      fail("']'");
    ++pos_;
    return Path::Step{FieldId(), index};
  }

  [[noreturn]] void fail(std::string_view expected) const {
    std::string found = pos_ < text_.size()
                            ? "'" + std::string(1, text_[pos_]) + "'"
                            : std::string("end of path");
    throw InputError("invalid path '" + std::string(text_) + "' at column " +
                     std::to_string(pos_ + 1) + ": expected " +
                     std::string(expected) + ", found " + found);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

} // namespace

Path Path::parse(std::string_view text) {
  Path path;
  path.steps_ = PathReader(text).read();
  return path;
}

Path Path::field(FieldId name) const {
  Path path = *this;
  path.steps_.push_back(Step{name, 0});
  return path;
}

Path Path::index(std::size_t i) const {
  Path path = *this;
  path.steps_.push_back(Step{FieldId(), i});
  return path;
}

Path Path::append(const Path &rest) const {
  Path path = *this;
  path.steps_.insert(path.steps_.end(), rest.steps_.begin(), rest.steps_.end());
  return path;
}

Path Path::slice(std::size_t begin, std::size_t end) const {
  Path path;
  end = std::min(end, steps_.size());
  if (begin < end)
    path.steps_.assign(steps_.begin() + begin, steps_.begin() + end);
  return path;
}

bool Path::starts_with(const Path &prefix) const {
  return prefix.steps_.size() <= steps_.size() &&
         std::equal(prefix.steps_.begin(), prefix.steps_.end(),
                    steps_.begin());
}

namespace {

void append_steps(std::string &text, std::span<const Path::Step> steps) {
  for (const Path::Step &step : steps) {
    if (step.is_index()) {
      text += "[" + std::to_string(step.index) + "]";
      continue;
    }
    if (!text.empty())
      text += ".";
    text += step.field.name();
  }
}

/// Where the value reached by the first \p count steps is, for messages: a
/// path can hold the same field name or index at several steps.
std::string location(std::span<const Path::Step> steps, std::size_t count) {
  if (count == 0)
    return "the root";
  std::string text;
  append_steps(text, steps.first(count));
  return "'" + text + "'";
}

/// \p rest inside \p symbol, where a walk reached one: navigating (at)
/// gives a symbol for that part, as a compiled plan gets it; testing
/// whether it exists (find) reads the symbol, which has no content.
const Value *into_symbol(const Value &symbol, const Path &rest,
                         bool navigating) {
  if (!navigating)
    detail::on_symbol_read(symbol, "Path::find");
  return &detail::symbol_at(symbol, rest);
}

/// A walk failed at \p where: the path does not fit its shape. Glue that
/// goes on (catching the error, or testing with find) has read that shape,
/// so a traced value tells its tracer, and the glue is not taken for
/// routing.
const Value *failed_at(const Value &where) {
  if (where.stamp() != 0)
    detail::on_failed_path(where);
  return nullptr;
}

} // namespace

const Value *Path::walk(const Value *current, std::size_t first,
                        std::string *why) const {
  // Navigating by path is routing, not reading content: a compiled plan
  // performs the same walk, with the same failures. A symbol stands for a
  // value the walk cannot see into; the rest of the path is part of what it
  // stands for.
  detail::ObservationPause pause;
  for (std::size_t i = first; i < steps_.size(); ++i) {
    const Step &step = steps_[i];
    if (step.is_index()) {
      if (!current->is_list()) {
        if (detail::symbol_tag(*current) != 0)
          return into_symbol(*current, slice(i), why != nullptr);
        if (why)
          *why = "expected a list at " + location(steps_, i) + ", found " +
                 std::string(kind_name(current->kind()));
        return failed_at(*current);
      }
      auto items = current->as_list();
      if (step.index >= items.size()) {
        if (why)
          *why = "index " + std::to_string(step.index) +
                 " is out of range for the list of " +
                 std::to_string(items.size()) + " at " + location(steps_, i);
        return failed_at(*current);
      }
      current = &items[step.index];
      continue;
    }
    if (!current->is_record()) {
      if (detail::symbol_tag(*current) != 0)
        return into_symbol(*current, slice(i), why != nullptr);
      if (why)
        *why = "expected a record at " + location(steps_, i) + ", found " +
               std::string(kind_name(current->kind()));
      return failed_at(*current);
    }
    const Value *field = current->as_record().find(step.field);
    if (!field) {
      if (why)
        *why = "no field '" + std::string(step.field.name()) + "' at " +
               location(steps_, i);
      return failed_at(*current);
    }
    current = field;
  }
  return current;
}

const Value *Path::find(const Value &root) const {
  return walk(&root, 0, nullptr);
}

const Value *Path::find(const Record &root) const {
  if (steps_.empty() || steps_[0].is_index())
    return nullptr;
  const Value *first = root.find(steps_[0].field);
  return first ? walk(first, 1, nullptr) : nullptr;
}

namespace {

[[noreturn]] void throw_missing(const Path &path, const std::string &why) {
  throw InputError("path '" + path.to_string() + "': " + why);
}

} // namespace

const Value &Path::at(const Value &root) const {
  std::string why;
  if (const Value *found = walk(&root, 0, &why))
    return *found;
  throw_missing(*this, why);
}

const Value &Path::at(const Record &root) const {
  if (steps_.empty() || steps_[0].is_index())
    throw_missing(*this, "a path into a record must start with a field name");
  const Value *first = root.find(steps_[0].field);
  if (!first)
    throw_missing(*this, "no field '" + std::string(steps_[0].field.name()) +
                             "' at the root");
  std::string why;
  if (const Value *found = walk(first, 1, &why))
    return *found;
  throw_missing(*this, why);
}

std::string Path::to_string() const {
  std::string text;
  append_steps(text, steps_);
  return text;
}

} // namespace xcs
