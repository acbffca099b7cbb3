//===- symbol.cpp - The values of xcs::jit's symbolic analysis ------------===//

#include "Core/symbol.h"

#include "Core/name_table.h"
#include "xcs/error.h"

#include <string>

namespace xcs::detail {
namespace {

/// The names of the operators whose glue made symbols. Interned, so a tag
/// can name one after the operator and the run are gone.
NameTable &glue_names() {
  static NameTable instance;
  return instance;
}

} // namespace

std::uint64_t make_symbol_tag(std::uint32_t run, std::string_view glue) {
  std::uint32_t name = glue.empty() ? 0 : glue_names().intern(glue);
  return std::uint64_t{run} << 32 | name;
}

void throw_escaped_symbol(const Value &symbol) {
  auto name = static_cast<std::uint32_t>(symbol_tag(symbol));
  std::string into =
      name == 0 ? std::string("an operator")
                : "operator '" + std::string(glue_names().name(name)) + "'";
  throw Error("a value from xcs::jit's symbolic analysis escaped into " + into +
              ": it stands for a child's output that was never computed, and "
              "the glue kept it after the analysis ran it (in a member that "
              "caches a child's output, say). Do not keep children's outputs "
              "in members, or compile the composite with Strategy::Trace, "
              "which runs it for real");
}

} // namespace xcs::detail
