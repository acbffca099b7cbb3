//===- Driver/columns.cpp - Two-column listings ---------------------------===//

#include "Driver/columns.h"

#include <algorithm>
#include <ostream>

namespace xcs {

void print_columns(
    std::ostream &out,
    const std::vector<std::pair<std::string, std::string>> &rows) {
  std::size_t width = 0;
  for (const auto &row : rows)
    width = std::max(width, row.first.size());
  for (const auto &[left, right] : rows)
    out << "  " << left << std::string(width - left.size() + 2, ' ') << right
        << '\n';
}

} // namespace xcs
