//===- Graph/target_tree.h - Building a record from parts -------*- C++ -*-===//
///
/// \file
/// A node's input record is written piecewise: each edge mapping and each
/// constant places one value at a target path, and a multi-step target builds
/// nested lists and records (`responses[1]`, `cfg.a`). Value is immutable, so
/// the parts are collected in a tree first and turned into values bottom-up
/// once all are known.
///
/// The same tree checks a node's targets without values: graph validation
/// places nulls and asks for conflicts and gaps.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/path.h"
#include "xcs/record.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xcs::detail {

class TargetTree {
public:
  TargetTree();

  /// Places \p value at \p target. Returns what is wrong when the target
  /// cannot be placed: it is empty, starts with an index, was written
  /// before, is written both whole and in parts, or makes one value both a
  /// list and a record.
  std::optional<std::string> place(const Path &target, Value value);
  /// The first list built from parts that misses an element, described;
  /// nullopt when every list is dense.
  std::optional<std::string> first_gap() const;
  /// The assembled record. Requires that first_gap() found nothing.
  Record build() const;

private:
  enum class Shape { Unset, Whole, List, Record };
  struct Part {
    Shape shape = Shape::Unset;
    /// Where this part sits in the record being built.
    Path path;
    /// The placed value (Whole only).
    Value value;
    /// List index or FieldId::index() of a child -> its position in parts_.
    /// Ordered, so a list's elements come out in index order.
    std::map<std::size_t, std::size_t> children;
  };

  std::size_t child(std::size_t parent, const Path::Step &step);
  Path some_leaf_below(std::size_t at) const;
  Value value_of(std::size_t at) const;
  Record record_of(std::size_t at) const;

  /// parts_[0] is the root record.
  std::vector<Part> parts_;
};

} // namespace xcs::detail
