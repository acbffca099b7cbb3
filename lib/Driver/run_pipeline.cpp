//===- Driver/run_pipeline.cpp - What xcs-run runs, and how wide ----------===//

#include "Driver/run_pipeline.h"

#include "Driver/builtin_operators.h"
#include "Driver/plan_operator.h"
#include "Driver/plugin_loader.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <algorithm>
#include <filesystem>

namespace xcs {
namespace {

/// The most threads xcs-run gives items of a compiled pipeline.
constexpr std::size_t max_pipeline_threads = 1024;

} // namespace

OperatorPtr make_run_pipeline(const XcsRunOptions &options) {
  if (options.example)
    return jit(ops::example(*options.example).op);
  OperatorRegistry registry;
  add_builtin_operators(registry);
  for (const std::string &plugin : options.plugins)
    load_plugin(plugin, registry);
  auto dump = std::make_shared<const DumpPlan>(plan_ir_file(
      *options.pipeline_file, registry, OptLevel::O0, /*compile=*/true));
  return std::make_shared<PlanOperator>(
      std::filesystem::path(*options.pipeline_file).stem().string(),
      std::move(dump));
}

BatchOptions run_batch_options(const XcsRunOptions &options) {
  BatchOptions batch;
  batch.max_in_flight = options.max_in_flight;
  // A compiled pipeline that calls a synchronous operator holds a thread
  // per item in flight (one of asynchronous calls holds none): as many as
  // asked, within reason.
  batch.threads = static_cast<unsigned>(
      std::min<std::size_t>(options.max_in_flight, max_pipeline_threads));
  batch.timeline = options.timeline_file.value_or("");
  return batch;
}

} // namespace xcs
