//===- JIT/plan_dump.cpp - Writing the stages of built plans --------------===//

#include "JIT/plan_dump.h"

#include "Core/log.h"
#include "IR/printer.h"
#include "JIT/plan_stages.h"
#include "xcs/error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstdlib>
#include <exception>

namespace xcs {
namespace {

/// The extension that lets a viewer recognise the stage's text.
std::string_view extension(PlanStage stage) {
  switch (stage) {
  case PlanStage::Trace:
  case PlanStage::Graph:
    return "txt";
  case PlanStage::Dot:
    return "dot";
  case PlanStage::Ir:
  case PlanStage::IrOpt:
    return "xcs";
  case PlanStage::Llvm:
  case PlanStage::LlvmOpt:
    return "ll";
  case PlanStage::Asm:
    return "s";
  }
  llvm_unreachable("every stage has an extension above");
}

void write_stage(const std::string &path, PlanStage stage,
                 const BuiltPlan &plan, OptLevel level) {
  std::string text;
  try {
    text = stage_text(stage, plan, level);
  } catch (const std::exception &error) {
    log::logger().error("XCS_DUMP: cannot render stage {} for {}: {}",
                        plan_stage_name(stage), path, error.what());
    return;
  }
  std::error_code code;
  llvm::raw_fd_ostream out(path, code);
  if (!code) {
    out << text;
    out.close();
    code = out.error();
  }
  if (code)
    log::logger().error("XCS_DUMP: cannot write {}: {}", path,
                        code.message());
}

} // namespace

PlanDump parse_plan_dump(std::string_view value) {
  std::size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0 ||
      colon + 1 == value.size())
    throw InputError("XCS_DUMP='" + std::string(value) +
                     "': expected STAGES:DIR, as in XCS_DUMP=ir-opt,asm:/tmp/xcs");
  return PlanDump{parse_plan_stages(value.substr(0, colon), "XCS_DUMP"),
                  std::string(value.substr(colon + 1))};
}

std::optional<PlanDump> plan_dump_from_environment() {
  const char *value = std::getenv("XCS_DUMP");
  if (!value || !*value)
    return std::nullopt;
  return parse_plan_dump(value);
}

std::string dump_file_name(std::string_view op_name, std::uint64_t plan_hash,
                           PlanStage stage) {
  std::string name;
  for (char c : op_name)
    name += llvm::isAlnum(c) || c == '_' || c == '-' ? c : '_';
  if (name.empty())
    name = "_";
  return name + "." + llvm::utohexstr(plan_hash, /*LowerCase=*/true, 16) +
         "." + std::string(plan_stage_name(stage)) + "." +
         std::string(extension(stage));
}

std::uint64_t plan_hash(const BuiltPlan &plan, OptLevel level) {
  std::string text = ir::print(plan.scheduled);
  text += opt_level_name(level);
  return llvm::xxh3_64bits(llvm::StringRef(text));
}

void write_plan_dump(const PlanDump &dump, std::string_view op_name,
                     const BuiltPlan &plan, OptLevel level) {
  if (dump.stages.empty())
    return;
  if (std::error_code code = llvm::sys::fs::create_directories(dump.directory)) {
    log::logger().error("XCS_DUMP: cannot create {}: {}", dump.directory,
                        code.message());
    return;
  }
  std::uint64_t hash = plan_hash(plan, level);
  for (PlanStage stage : dump.stages) {
    llvm::SmallString<256> path(dump.directory);
    llvm::sys::path::append(path, dump_file_name(op_name, hash, stage));
    write_stage(std::string(path), stage, plan, level);
  }
}

} // namespace xcs
