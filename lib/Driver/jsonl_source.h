//===- Driver/jsonl_source.h - Items from a JSONL file ----------*- C++ -*-===//
///
/// \file
/// xcs-run's items: line N (from 0) of the data file is item N, a JSON
/// object that is the item's input record. The file is read a line at a
/// time as the runner asks for items, so it need not fit in memory. A line
/// that is not a JSON object is an item that fails with an InputError
/// naming FILE:LINE:COL; it never stops the run.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver/results_file.h"
#include "xcs/batch.h"

#include <fstream>
#include <string>

namespace xcs {

/// One line of the data file, not parsed yet.
struct JsonlLine {
  std::uint64_t index = 0;
  std::string text;
};

/// Item \p index of the data file \p path from its line \p line: the
/// record, or the InputError naming FILE:LINE:COL that the item fails with.
/// Any process may parse a line read by another (lib/Distributed).
BatchItem parse_jsonl_item(const std::string &path, std::uint64_t index,
                           const std::string &line);

class JsonlSource final : public BatchSource {
public:
  /// Reads \p path, skipping the items in \p skip (already done). Counts
  /// the lines first, for the total. InputError naming the file when it
  /// cannot be read.
  JsonlSource(const std::string &path, const DoneSet &skip);

  std::optional<BatchItem> next() override;
  /// The next line to run, unparsed, or nullopt once there are no more.
  std::optional<JsonlLine> next_line();
  std::optional<std::uint64_t> total() const override { return total_; }

  /// Lines of the file, skipped ones included.
  std::uint64_t lines() const { return lines_; }

private:
  std::string path_;
  const DoneSet &skip_;
  std::ifstream in_;
  std::uint64_t next_index_ = 0;
  std::uint64_t lines_ = 0;
  std::uint64_t total_ = 0;
};

} // namespace xcs
