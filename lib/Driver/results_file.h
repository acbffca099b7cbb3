//===- Driver/results_file.h - xcs-run's JSONL results ----------*- C++ -*-===//
///
/// \file
/// The results file holds one line per item that ended, in the order items
/// ended: {"index": N, "output": {...}} or {"index": N, "error": {"type":
/// "...", "message": "..."}}. Each line reaches the file with one write(2)
/// as its item ends (a batch of lines from another MPI rank, with one for
/// the batch), so a crash loses at most the line being written: on
/// resume that torn last line (no newline) is cut off and its item runs
/// again, and every index ends up in the file exactly once.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/record.h"

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace xcs {

/// The indices a results file holds.
class DoneSet {
public:
  void add(std::uint64_t index);
  bool contains(std::uint64_t index) const;
  std::uint64_t size() const { return count_; }

private:
  std::vector<bool> bits_;
  std::uint64_t count_ = 0;
};

/// Reads the results file \p path for resuming: the indices of its
/// complete lines. A last line without its newline (torn by a crash) is cut
/// off the file, and \p repaired says so. A missing file holds nothing.
/// InputError naming FILE:LINE for a complete line that is not a result.
DoneSet read_results(const std::string &path, bool &repaired);

/// The results file, open for appending.
class ResultsFile {
public:
  /// Opens \p path, emptied first unless \p append. InputError naming it
  /// when it cannot be opened.
  ResultsFile(const std::string &path, bool append);
  ~ResultsFile();
  ResultsFile(const ResultsFile &) = delete;
  ResultsFile &operator=(const ResultsFile &) = delete;

  /// Writes the line of item \p index: result_line(). InputError naming
  /// the file when the write fails.
  void write(std::uint64_t index, const std::optional<Record> &output,
             const std::exception_ptr &error);
  /// Writes \p line (made by result_line(), perhaps in another process)
  /// and its newline with one write(2).
  void write_line(const std::string &line);
  /// Writes \p lines, each with its newline, with one write(2): a crash
  /// during it may tear only the last line it reached, which a resume
  /// repairs like any torn line.
  void write_lines(const std::vector<std::string> &lines);

private:
  void write_all(const std::string &text);

  std::string path_;
  int fd_;
};

/// The line of item \p index, without its newline: its output, or its
/// error when \p error is set (also when the output has no JSON form).
std::string result_line(std::uint64_t index,
                        const std::optional<Record> &output,
                        const std::exception_ptr &error);

/// The line of item \p index failing with \p error:
/// {"index": N, "error": {"message": "...", "type": "..."}}.
std::string error_line(std::uint64_t index, const std::exception_ptr &error);

/// The name of \p error's class for results files: "InputError",
/// "ExecutionError", "ChatModelError", ..., "Error" for other xcs::Errors,
/// "exception" for the rest.
std::string error_type(const std::exception_ptr &error);

} // namespace xcs
