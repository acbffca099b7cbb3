//===- jit_test_util.h - Helpers shared by the JIT tests --------*- C++ -*-===//
#pragma once

#include "JIT/compiled_graph.h"

#include "scheduled_ir.h"
#include "xcs/ops.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace xcs::test {

/// An operator and the number of times its forward ran.
struct Counted {
  OperatorPtr op;
  std::shared_ptr<std::atomic<int>> calls;
};

/// An operator named \p name whose forward counts its calls and runs
/// \p body.
inline Counted counted(std::string name, Specification spec,
                       std::function<Record(const Record &)> body) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  OperatorPtr op = ops::function(std::move(name), std::move(spec),
                                 [calls, body](const Record &inputs) {
                                   ++*calls;
                                   return body(inputs);
                                 });
  return {op, calls};
}

/// \p module compiled with \p operators at \p level; a test failure (and
/// nothing) if compiling fails.
inline std::optional<CompiledGraph>
compiled(const ir::Module &module, std::vector<OperatorPtr> operators,
         OptLevel level = OptLevel::O0) {
  llvm::Expected<CompiledGraph> graph =
      compile(module, std::move(operators), level);
  if (!graph) {
    ADD_FAILURE() << message(graph.takeError());
    return std::nullopt;
  }
  return std::move(*graph);
}

/// The error compiling \p module with \p operators gives; "" if it
/// compiles.
inline std::string compile_error(const ir::Module &module,
                                 std::vector<OperatorPtr> operators) {
  llvm::Expected<CompiledGraph> graph = compile(module, std::move(operators));
  return graph ? std::string() : message(graph.takeError());
}

} // namespace xcs::test
