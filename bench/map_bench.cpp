//===- map_bench.cpp - A pipeline mapped over a list, three ways ----------===//
//
// BM_Map/<mode>/<n>: a pipeline (a simulated model with no latency, then a
// format) mapped over a list of n prompts with xcs::vmap, warm:
//  - eager:    vmap(p), elements through a BatchRunner;
//  - vmap_jit: vmap(jit(p)), each element through jit(p)'s cached plan;
//  - jit_map:  jit(vmap(p)), one plan whose map node runs p's compiled
//              plan per element (docs/ir.md, "Map nodes").
// Real time, what a caller waits for. The ratios against eager and
// vmap_jit are printed to stderr after the run.
//
//===----------------------------------------------------------------------===//

#include "ratio_report.h"

#include "xcs/jit.h"
#include "xcs/ops.h"
#include "xcs/vmap.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using namespace xcs;

/// {prompt, style} -> {text}.
OperatorPtr pipeline() {
  ops::ModelCallOptions options;
  options.name = "Model";
  OperatorPtr model = ops::model_call(options);
  OperatorPtr format = ops::format("{style}: {response}", "text");
  return ops::composite(
      "Pipeline",
      Specification()
          .input("prompt", Kind::String)
          .input("style", Kind::String)
          .output("text", Kind::String),
      [model, format](const Record &in) {
        Record answer = (*model)(Record{{"prompt", in.at("prompt")}});
        return (*format)(Record{{"style", in.at("style")},
                                {"response", answer.at("response")}});
      });
}

enum class Mode { Eager, VmapJit, JitMap };

OperatorPtr mapped(Mode mode) {
  switch (mode) {
  case Mode::Eager:
    return vmap(pipeline(), {"prompt"});
  case Mode::VmapJit:
    return vmap(jit(pipeline()), {"prompt"});
  case Mode::JitMap:
    return jit(vmap(pipeline(), {"prompt"}));
  }
  return nullptr;
}

void BM_Map(benchmark::State &state, Mode mode) {
  std::vector<Value> prompts;
  for (std::int64_t i = 0; i < state.range(0); ++i)
    prompts.emplace_back("question " + std::to_string(i));
  Record input{{"prompt", Value::list(std::move(prompts))}, {"style", "s"}};
  OperatorPtr op = mapped(mode);
  (*op)(input);
  for (auto _ : state)
    benchmark::DoNotOptimize((*op)(input));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK_CAPTURE(BM_Map, eager, Mode::Eager)
    ->Name("BM_Map/eager")
    ->Arg(16)
    ->Arg(256)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Map, vmap_jit, Mode::VmapJit)
    ->Name("BM_Map/vmap_jit")
    ->Arg(16)
    ->Arg(256)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Map, jit_map, Mode::JitMap)
    ->Name("BM_Map/jit_map")
    ->Arg(16)
    ->Arg(256)
    ->UseRealTime();

xcs::bench::Summary summary() {
  using xcs::bench::Ratio;
  std::vector<Ratio> ratios;
  for (const char *n : {"16", "256"}) {
    std::string jit_map = std::string("BM_Map/jit_map/") + n;
    ratios.push_back({jit_map, std::string("BM_Map/eager/") + n, std::nullopt});
    ratios.push_back(
        {jit_map, std::string("BM_Map/vmap_jit/") + n, std::nullopt});
  }
  return {ratios, {}};
}

} // namespace

int main(int argc, char **argv) {
  return xcs::bench::run_with_ratios(argc, argv, summary);
}
