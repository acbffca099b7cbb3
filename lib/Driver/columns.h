//===- Driver/columns.h - Two-column listings -------------------*- C++ -*-===//
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace xcs {

/// Writes \p rows as two columns, indented by two spaces, the second
/// aligned two spaces past the widest first: the layout of --help and
/// --list-examples.
void print_columns(
    std::ostream &out,
    const std::vector<std::pair<std::string, std::string>> &rows);

} // namespace xcs
