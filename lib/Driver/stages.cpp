//===- Driver/stages.cpp - The stages xcs-jit-dump can print --------------===//

#include "Driver/stages.h"

#include "xcs/error.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <string>

namespace xcs {
namespace {

Stage parse_stage(std::string_view name) {
  for (Stage stage : all_stages())
    if (stage_name(stage) == name)
      return stage;
  std::string valid;
  for (Stage stage : all_stages())
    valid += (valid.empty() ? "" : ",") + std::string(stage_name(stage));
  throw InputError("unknown stage '" + std::string(name) +
                   "' in --print (valid stages: " + valid + ")");
}

} // namespace

std::string_view stage_name(Stage stage) {
  switch (stage) {
  case Stage::Trace:
    return "trace";
  case Stage::Graph:
    return "graph";
  case Stage::Dot:
    return "dot";
  case Stage::Ir:
    return "ir";
  case Stage::IrOpt:
    return "ir-opt";
  case Stage::Llvm:
    return "llvm";
  case Stage::LlvmOpt:
    return "llvm-opt";
  case Stage::Asm:
    return "asm";
  }
  llvm_unreachable("every stage is named above");
}

const std::vector<Stage> &all_stages() {
  static const std::vector<Stage> stages{
      Stage::Trace, Stage::Graph, Stage::Dot,     Stage::Ir,
      Stage::IrOpt, Stage::Llvm,  Stage::LlvmOpt, Stage::Asm};
  return stages;
}

bool is_discovery_stage(Stage stage) {
  return stage == Stage::Trace || stage == Stage::Graph || stage == Stage::Dot;
}

std::vector<Stage> parse_stages(std::string_view list) {
  std::vector<Stage> stages;
  while (true) {
    std::size_t comma = list.find(',');
    stages.push_back(parse_stage(list.substr(0, comma)));
    if (comma == list.npos)
      break;
    list.remove_prefix(comma + 1);
  }
  std::ranges::sort(stages);
  // std::unique, not std::ranges::unique: Clang 14 cannot instantiate the
  // subrange the latter returns from libstdc++ 12 (the fuzz preset's
  // compiler).
  stages.erase(std::unique(stages.begin(), stages.end()), stages.end());
  return stages;
}

} // namespace xcs
