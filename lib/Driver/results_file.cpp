//===- Driver/results_file.cpp - xcs-run's JSONL results ------------------===//

#include "Driver/results_file.h"

#include "Driver/command_line.h"
#include "xcs/chat_model.h"
#include "xcs/error.h"
#include "xcs/json.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace xcs {

void DoneSet::add(std::uint64_t index) {
  if (index >= bits_.size())
    bits_.resize(std::max<std::uint64_t>(index + 1, bits_.size() * 2));
  if (!bits_[index]) {
    bits_[index] = true;
    ++count_;
  }
}

bool DoneSet::contains(std::uint64_t index) const {
  return index < bits_.size() && bits_[index];
}

namespace {

[[noreturn]] void fail_file(const std::string &path, const std::string &what) {
  throw InputError("cannot " + what + " " + in_quotes(path) + ": " +
                   std::strerror(errno));
}

/// The index of result line \p line (the \p number-th of \p path).
std::uint64_t result_index(const std::string &path, std::uint64_t number,
                           const std::string &line) {
  std::string where = path + ":" + std::to_string(number);
  Value parsed;
  try {
    parsed = parse_json(line, where);
  } catch (const InputError &error) {
    throw InputError(std::string(error.what()) +
                     " (not a result line; is this the right --out file?)");
  }
  const Value *index =
      parsed.is_record() ? parsed.as_record().find("index") : nullptr;
  if (!index || !index->is_int() || index->as_int() < 0)
    throw InputError(where + ": a result line needs \"index\": N (N >= 0)");
  return static_cast<std::uint64_t>(index->as_int());
}

} // namespace

DoneSet read_results(const std::string &path, bool &repaired) {
  repaired = false;
  DoneSet done;
  struct stat status;
  if (::stat(path.c_str(), &status) != 0) {
    if (errno == ENOENT)
      return done;
    fail_file(path, "read");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail_file(path, "read");
  std::string line;
  std::uint64_t number = 0;
  std::uint64_t complete_bytes = 0;
  while (std::getline(in, line)) {
    ++number;
    if (in.eof()) {
      // The last line has no newline: a write the crash cut short.
      repaired = true;
      break;
    }
    complete_bytes += line.size() + 1;
    if (!line.empty())
      done.add(result_index(path, number, line));
  }
  in.close();
  if (repaired && ::truncate(path.c_str(),
                             static_cast<off_t>(complete_bytes)) != 0)
    fail_file(path, "repair the torn last line of");
  return done;
}

ResultsFile::ResultsFile(const std::string &path, bool append)
    : path_(path), fd_(::open(path.c_str(),
                              O_WRONLY | O_CREAT | O_CLOEXEC | O_APPEND |
                                  (append ? 0 : O_TRUNC),
                              0644)) {
  if (fd_ < 0)
    fail_file(path, "open");
}

ResultsFile::~ResultsFile() { ::close(fd_); }

void ResultsFile::write(std::uint64_t index,
                        const std::optional<Record> &output,
                        const std::exception_ptr &error) {
  write_line(result_line(index, output, error));
}

std::string result_line(std::uint64_t index,
                        const std::optional<Record> &output,
                        const std::exception_ptr &error) {
  if (error)
    return error_line(index, error);
  std::string text;
  try {
    text = to_json(*output);
  } catch (...) {
    return error_line(index, std::current_exception());
  }
  return "{\"index\": " + std::to_string(index) + ", \"output\": " + text +
         "}";
}

void ResultsFile::write_line(const std::string &line) {
  write_all(line + '\n');
}

void ResultsFile::write_lines(const std::vector<std::string> &lines) {
  std::string text;
  for (const std::string &line : lines)
    text.append(line).push_back('\n');
  write_all(text);
}

void ResultsFile::write_all(const std::string &text) {
  const char *data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t wrote = ::write(fd_, data, left);
    if (wrote < 0 && errno == EINTR)
      continue;
    if (wrote <= 0)
      fail_file(path_, "write to");
    data += wrote;
    left -= static_cast<std::size_t>(wrote);
  }
}

std::string error_type(const std::exception_ptr &error) {
  try {
    std::rethrow_exception(error);
  } catch (const ops::ChatModelError &) {
    return "ChatModelError";
  } catch (const InputError &) {
    return "InputError";
  } catch (const GraphError &) {
    return "GraphError";
  } catch (const CompileError &) {
    return "CompileError";
  } catch (const ExecutionError &) {
    return "ExecutionError";
  } catch (const VerifyError &) {
    return "VerifyError";
  } catch (const Error &) {
    return "Error";
  } catch (...) {
    return "exception";
  }
}

std::string error_line(std::uint64_t index, const std::exception_ptr &error) {
  Record described{{"type", error_type(error)},
                   {"message", describe(error)}};
  return "{\"index\": " + std::to_string(index) +
         ", \"error\": " + to_json(described) + "}";
}

} // namespace xcs
