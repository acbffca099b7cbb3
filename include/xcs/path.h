//===- xcs/path.h - Paths into nested values --------------------*- C++ -*-===//
///
/// \file
/// A Path addresses a value nested in records and lists, written
/// `result.items[0]`: a field name, then any number of `.field` and `[index]`
/// steps. The empty path addresses the root itself.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/field_id.h"
#include "xcs/value.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

class Record;

class Path {
public:
  /// One step: a record field or a list index.
  struct Step {
    FieldId field; ///< Valid for field steps.
    std::size_t index = 0;
    bool is_index() const { return !field.valid(); }
    friend bool operator==(const Step &, const Step &) = default;
  };

  /// The empty path (the root).
  Path() = default;
  /// Parses `a.b[2].c`. Throws InputError that quotes the text and gives the
  /// 1-based column of the offending character and what was expected there.
  static Path parse(std::string_view text);

  /// This path extended by one field or index step.
  Path field(FieldId name) const;
  Path index(std::size_t i) const;

  /// This path followed by \p rest.
  Path append(const Path &rest) const;
  /// Steps [begin, end) of this path (clamped to its length).
  Path slice(std::size_t begin, std::size_t end = SIZE_MAX) const;

  const std::vector<Step> &steps() const { return steps_; }
  bool empty() const { return steps_.empty(); }
  /// Whether this path starts with all of \p prefix's steps.
  bool starts_with(const Path &prefix) const;

  /// The addressed value, or nullptr when a step does not exist.
  const Value *find(const Value &root) const;
  const Value *find(const Record &root) const;
  /// The addressed value; throws InputError naming the path, the step that
  /// failed and why (missing field, index out of range, wrong kind).
  const Value &at(const Value &root) const;
  const Value &at(const Record &root) const;

  /// The text form, parseable by parse().
  std::string to_string() const;
  friend bool operator==(const Path &, const Path &) = default;

private:
  const Value *walk(const Value *current, std::size_t first,
                    std::string *why) const;
  std::vector<Step> steps_;
};

} // namespace xcs
