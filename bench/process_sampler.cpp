//===- process_sampler.cpp - Peak threads and memory of a benchmark -------===//

#include "process_sampler.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>

namespace xcs::bench {
namespace {

/// A field of /proc/self/status in kB or a count ("Threads", "VmRSS").
long status_field(const std::string &name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(name + ":", 0) == 0)
      return std::stol(line.substr(name.size() + 1));
  return 0;
}

} // namespace

ProcessSampler::ProcessSampler() : rss_before_kb_(status_field("VmRSS")) {
  thread_ = std::thread([this] {
    while (!stop_) {
      peak_threads_ =
          std::max(peak_threads_.load(), status_field("Threads") - 1);
      peak_rss_kb_ = std::max(peak_rss_kb_.load(), status_field("VmRSS"));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
}

ProcessSampler::~ProcessSampler() {
  stop_ = true;
  thread_.join();
}

long ProcessSampler::rss_gain_bytes() const {
  return std::max(0L, peak_rss_kb_.load() - rss_before_kb_) * 1024;
}

} // namespace xcs::bench
