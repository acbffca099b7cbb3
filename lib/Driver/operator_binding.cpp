//===- Driver/operator_binding.cpp - Filling an operator table ------------===//

#include "Driver/operator_binding.h"

#include "Driver/source_diagnostic.h"
#include "IR/lexer.h"
#include "xcs/error.h"
#include "xcs/json.h"

#include <exception>
#include <string>

namespace xcs {
namespace {

/// An operator declaration: "FILE:LINE:COL: operator @f" and where it is.
struct Site {
  std::string text;
  ir::SourceLocation at;
};

/// The site of each operator declaration of \p text, in order. The module
/// keeps neither positions nor the names the text gave its operators, so
/// they are found again in the tokens: before the graph, the name
/// `operator` followed by an @name starts a declaration and nothing else
/// (JSON arguments hold no bare names but literals).
std::vector<Site> declaration_sites(std::string_view text,
                                    std::string_view file_name) {
  std::vector<ir::Token> tokens = ir::lex(text);
  std::vector<Site> sites;
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    const ir::Token &token = tokens[i];
    if (token.is(ir::TokenKind::Name, "graph"))
      break;
    if (token.is(ir::TokenKind::Name, "operator") &&
        tokens[i + 1].kind == ir::TokenKind::GlobalName)
      sites.push_back({std::string(file_name) + ":" +
                           std::to_string(token.line) + ":" +
                           std::to_string(token.column) + ": operator " +
                           std::string(tokens[i + 1].text),
                       {token.line, token.column}});
  }
  return sites;
}

std::string known_names(const OperatorRegistry &registry) {
  std::string text;
  for (const std::string &name : registry.names())
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

OperatorPtr bind_one(const ir::OperatorRef &ref,
                     const OperatorRegistry &registry,
                     const std::string &where) {
  const OperatorFactory *factory = registry.find(ref.name);
  if (!factory)
    throw InputError(where + ": unknown operator; known operators: " +
                     known_names(registry) +
                     " (an operator of your own binds once a plugin "
                     "registers it: --load LIB)");
  OperatorPtr op;
  try {
    op = (*factory)(ref.arguments);
  } catch (const std::exception &error) {
    throw InputError(where + ": " + error.what());
  }
  if (!op)
    throw InputError(where + ": the factory returned no operator");
  return op;
}

} // namespace

std::vector<OperatorPtr> bind_operators(const ir::Module &module,
                                        std::string_view text,
                                        std::string_view file_name,
                                        const OperatorRegistry &registry) {
  std::vector<Site> sites = declaration_sites(text, file_name);
  std::vector<OperatorPtr> operators;
  operators.reserve(module.operators.size());
  for (std::size_t i = 0; i < module.operators.size(); ++i) {
    const ir::OperatorRef &ref = module.operators[i];
    // The sites come from the text the module was parsed from, so there is
    // one per entry; the printed name @opN stands in should that ever fail.
    bool located = i < sites.size();
    std::string site = located ? sites[i].text
                               : std::string(file_name) + ": operator @op" +
                                     std::to_string(i);
    try {
      operators.push_back(
          bind_one(ref, registry, site + " " + to_json(Value(ref.name))));
    } catch (const InputError &error) {
      if (!located)
        throw;
      throw SourceDiagnostic(error.what(), caret_context(text, sites[i].at));
    }
  }
  return operators;
}

} // namespace xcs
