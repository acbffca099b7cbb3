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

class JsonlSource final : public BatchSource {
public:
  /// Reads \p path, skipping the items in \p skip (already done). Counts
  /// the lines first, for the total. InputError naming the file when it
  /// cannot be read.
  JsonlSource(const std::string &path, const DoneSet &skip);

  std::optional<BatchItem> next() override;
  std::optional<std::uint64_t> total() const override { return total_; }

  /// Lines of the file, skipped ones included.
  std::uint64_t lines() const { return lines_; }

private:
  BatchItem parse(std::uint64_t index, const std::string &line) const;

  std::string path_;
  const DoneSet &skip_;
  std::ifstream in_;
  std::uint64_t next_index_ = 0;
  std::uint64_t lines_ = 0;
  std::uint64_t total_ = 0;
};

} // namespace xcs
