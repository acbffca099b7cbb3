//===- parser.cpp - Reading the text form of a module ---------------------===//
//
// A recursive-descent parser over the lexer's token vector. Value names may
// be used before their definition (so that the verifier, not the parser,
// reports a use before definition); they are resolved once the body is read.
//
//===----------------------------------------------------------------------===//

#include "IR/parser.h"

#include "IR/lexer.h"

#include "xcs/record.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/JSON.h"

#include <charconv>
#include <functional>
#include <optional>
#include <unordered_map>

namespace xcs::ir {
namespace {

/// Deeper JSON nesting in a constant is rejected rather than risking the
/// stack on hostile input.
constexpr unsigned max_json_depth = 256;

/// The value of the JSON literal \p word (null, true, false), if it is one.
std::optional<Value> json_keyword(std::string_view word) {
  if (word == "null")
    return Value();
  if (word == "true" || word == "false")
    return Value(word == "true");
  return std::nullopt;
}

/// "an opcode (input, const, ... or check)": what may follow `%name =`.
const std::string &instruction_keywords() {
  static const std::string text = [] {
    std::vector<std::string_view> words;
    for (Opcode opcode : all_opcodes)
      if (is_named(opcode))
        words.push_back(opcode_name(opcode));
    std::string joined = "an opcode (";
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i > 0)
        joined += i + 1 == words.size() ? " or " : ", ";
      joined += words[i];
    }
    return joined + ")";
  }();
  return text;
}

/// Where \p token starts.
SourceLocation location_of(const Token &token) {
  return {token.line, token.column};
}

/// "FILE:LINE:COL: message": every error about a position in the text.
llvm::Error error_at(std::string_view file, SourceLocation at,
                     const std::string &message) {
  return llvm::make_error<SourceError>(std::string(file), at, message);
}

/// A use of a value name in the body, resolved after the body is read.
struct Use {
  NodeIndex node;
  std::size_t operand;
  Token name;
};

/// Where a value name was defined.
struct Definition {
  NodeIndex index;
  Token name;
};

class Parser {
public:
  Parser(std::string_view text, std::string_view file)
      : tokens_(lex(text)), file_(file) {}

  /// The module; \p locations, when given, receives where its parts are.
  llvm::Expected<Module> run(SourceMap *locations) {
    while (at_keyword("operator"))
      if (llvm::Error error = parse_operator())
        return error;
    do {
      if (llvm::Error error = parse_graph())
        return error;
    } while (at_keyword("graph"));
    if (peek().kind != TokenKind::EndOfFile)
      return expected("'graph' or end of file");
    // The last graph is the main one; those above it are bodies.
    module_.function = std::move(module_.bodies.back());
    module_.bodies.pop_back();
    SourceMap main = std::move(body_maps_.back());
    body_maps_.pop_back();
    main.operators = std::move(map_.operators);
    main.bodies = std::move(body_maps_);
    if (locations)
      *locations = std::move(main);
    return std::move(module_);
  }

private:
  Function &function() { return graph_; }

  // Token cursor.

  const Token &peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token &take() {
    const Token &token = peek();
    if (pos_ + 1 < tokens_.size())
      ++pos_;
    return token;
  }
  bool at_keyword(std::string_view word) const {
    return peek().is(TokenKind::Name, word);
  }
  bool accept(std::string_view punctuation) {
    if (!peek().is_punctuation(punctuation))
      return false;
    take();
    return true;
  }

  // Errors.

  llvm::Error error_at(const Token &at, const std::string &message) const {
    return ir::error_at(file_, location_of(at), message);
  }
  llvm::Error expected(std::string_view what) const {
    return error_at(peek(), "expected " + std::string(what) + ", found " +
                                peek().describe());
  }
  llvm::Error expect(std::string_view punctuation) {
    if (accept(punctuation))
      return llvm::Error::success();
    return expected("'" + std::string(punctuation) + "'");
  }
  llvm::Error expect_keyword(std::string_view word, std::string_view what) {
    if (!at_keyword(word))
      return expected(what);
    take();
    return llvm::Error::success();
  }

  /// Items separated by ',' up to \p close, possibly none.
  llvm::Error parse_list(std::string_view close,
                         const std::function<llvm::Error()> &item) {
    if (accept(close))
      return llvm::Error::success();
    do {
      if (llvm::Error error = item())
        return error;
    } while (accept(","));
    if (accept(close))
      return llvm::Error::success();
    return expected("',' or '" + std::string(close) + "'");
  }

  // Literals.

  llvm::Expected<std::string> parse_string(std::string_view what) {
    if (peek().kind != TokenKind::String)
      return expected(what);
    const Token &token = take();
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(
        llvm::StringRef(token.text.data(), token.text.size()));
    if (!json) {
      std::string why = llvm::toString(json.takeError());
      std::size_t reason = why.find("]: ");
      if (reason != std::string::npos)
        why = why.substr(reason + 3);
      return error_at(token, "invalid string literal: " + why);
    }
    return json->getAsString()->str();
  }

  /// A field name: bare or a JSON string.
  llvm::Expected<FieldId> parse_field(std::string_view what) {
    if (peek().kind == TokenKind::Name)
      return FieldId(take().text);
    llvm::Expected<std::string> name = parse_string(what);
    if (!name)
      return name.takeError();
    return FieldId(*name);
  }

  /// `(field, ...)`, each field's location in \p locations.
  llvm::Error parse_fields(std::vector<FieldId> &fields,
                           std::vector<SourceLocation> &locations) {
    if (llvm::Error error = expect("("))
      return error;
    return parse_list(")", [&]() -> llvm::Error {
      SourceLocation at = location_of(peek());
      llvm::Expected<FieldId> field = parse_field("a field name");
      if (!field)
        return field.takeError();
      fields.push_back(*field);
      locations.push_back(at);
      return llvm::Error::success();
    });
  }

  /// A non-negative integer that fits in T.
  template <typename T>
  llvm::Expected<T> parse_unsigned(std::string_view what) {
    const Token &token = peek();
    T value = 0;
    if (!token.is_integer() || token.text.front() == '-' ||
        std::from_chars(token.text.data(),
                        token.text.data() + token.text.size(), value)
                .ec != std::errc())
      return expected(what);
    take();
    return value;
  }

  llvm::Expected<Value> parse_number() {
    const Token &token = take();
    const char *first = token.text.data();
    const char *last = first + token.text.size();
    if (token.is_integer()) {
      std::int64_t i = 0;
      if (std::from_chars(first, last, i).ec != std::errc())
        return error_at(token, "integer " + std::string(token.text) +
                                   " does not fit in 64 bits");
      return Value(i);
    }
    double d = 0;
    if (std::from_chars(first, last, d).ec != std::errc())
      return error_at(token, "number " + std::string(token.text) +
                                 " does not fit in a double");
    return Value(d);
  }

  /// A JSON value. Numbers with a fraction or exponent are doubles, others
  /// ints, so a printed constant reads back with its kind.
  llvm::Expected<Value> parse_json(unsigned depth = 0) {
    const Token &token = peek();
    if (depth > max_json_depth)
      return error_at(token, "JSON value nested more than " +
                                 std::to_string(max_json_depth) + " deep");
    if (token.kind == TokenKind::String) {
      llvm::Expected<std::string> text = parse_string("a JSON value");
      if (!text)
        return text.takeError();
      return Value(std::move(*text));
    }
    if (token.kind == TokenKind::Number)
      return parse_number();
    if (token.kind == TokenKind::Name) {
      if (std::optional<Value> value = json_keyword(token.text)) {
        take();
        return std::move(*value);
      }
    }
    if (accept("["))
      return parse_json_array(depth);
    if (accept("{"))
      return parse_json_object(depth);
    return expected("a JSON value");
  }

  llvm::Expected<Value> parse_json_array(unsigned depth) {
    std::vector<Value> items;
    llvm::Error error = parse_list("]", [&]() -> llvm::Error {
      llvm::Expected<Value> item = parse_json(depth + 1);
      if (!item)
        return item.takeError();
      items.push_back(std::move(*item));
      return llvm::Error::success();
    });
    if (error)
      return error;
    return Value::list(std::move(items));
  }

  llvm::Expected<Value> parse_json_object(unsigned depth) {
    Record record;
    llvm::Error error = parse_list("}", [&]() -> llvm::Error {
      Token key_token = peek();
      llvm::Expected<std::string> key = parse_string("a JSON object key");
      if (!key)
        return key.takeError();
      if (record.contains(*key))
        return error_at(key_token, "duplicate JSON object key " +
                                       std::string(key_token.text));
      if (llvm::Error colon = expect(":"))
        return colon;
      llvm::Expected<Value> item = parse_json(depth + 1);
      if (!item)
        return item.takeError();
      record.set(*key, std::move(*item));
      return llvm::Error::success();
    });
    if (error)
      return error;
    return Value::record(std::move(record));
  }

  // Module structure.

  llvm::Error parse_operator() {
    SourceLocation at = location_of(take());
    const Token &name = peek();
    if (name.kind != TokenKind::GlobalName)
      return expected("an operator name (@name)");
    take();
    auto [it, inserted] = operators_.try_emplace(
        name.text, static_cast<std::uint32_t>(module_.operators.size()));
    if (!inserted)
      return error_at(name, "operator " + std::string(name.text) +
                                " is declared twice");
    OperatorRef ref;
    llvm::Expected<std::string> label = parse_string("an operator name string");
    if (!label)
      return label.takeError();
    ref.name = std::move(*label);
    if (peek().is_punctuation("{")) {
      llvm::Expected<Value> arguments = parse_json();
      if (!arguments)
        return arguments.takeError();
      ref.arguments = std::move(*arguments);
    }
    if (at_keyword("unregistered"))
      return error_at(peek(), "operator " + std::string(name.text) + " \"" +
                                  ref.name +
                                  "\" was printed from an operator with no "
                                  "registry form, so it cannot be bound by "
                                  "name; register a factory for it in a "
                                  "plugin (loaded with --load) and name it "
                                  "by that factory with its arguments: "
                                  "operator " + std::string(name.text) +
                                  " \"FACTORY\" {ARGUMENTS}");
    module_.operators.push_back(std::move(ref));
    map_.operators.push_back(at);
    return llvm::Error::success();
  }

  /// One graph, appended to module_.bodies (the main graph, the last, is
  /// moved out of them at the end).
  llvm::Error parse_graph() {
    graph_ = Function();
    graph_map_ = SourceMap();
    locals_.clear();
    uses_.clear();
    const Token &name = peek(1);
    if (llvm::Error error = parse_graph_text())
      return error;
    // Known only now, so that a graph cannot map itself.
    graphs_.emplace(name.text,
                    static_cast<std::uint32_t>(module_.bodies.size()));
    module_.bodies.push_back(std::move(graph_));
    body_maps_.push_back(std::move(graph_map_));
    return llvm::Error::success();
  }

  llvm::Error parse_graph_text() {
    graph_map_.graph = location_of(peek());
    if (llvm::Error error = expect_keyword("graph", "'operator' or 'graph'"))
      return error;
    const Token &name = peek();
    if (name.kind != TokenKind::GlobalName)
      return expected("a graph name (@name)");
    if (graphs_.contains(name.text))
      return error_at(name, "graph " + std::string(name.text) +
                                " is defined twice");
    function().name = std::string(take().text.substr(1));
    if (llvm::Error error = parse_fields(function().inputs, graph_map_.inputs))
      return error;
    if (llvm::Error error = expect("->"))
      return error;
    if (llvm::Error error = parse_fields(function().outputs, graph_map_.outputs))
      return error;
    if (llvm::Error error = expect("{"))
      return error;
    return parse_body();
  }

  llvm::Error parse_body() {
    while (peek().kind == TokenKind::LocalName ||
           at_keyword(opcode_name(Opcode::Output)))
      if (llvm::Error error = parse_statement())
        return error;
    if (llvm::Error error = resolve_uses())
      return error;
    std::string_view rest =
        "a node definition (%name = ...), 'output', 'schedule', 'slots' or '}'";
    if (at_keyword("schedule")) {
      if (llvm::Error error = parse_schedule())
        return error;
      rest = "'slots' or '}'";
    }
    if (at_keyword("slots")) {
      if (llvm::Error error = parse_slots())
        return error;
      rest = "'}'";
    }
    graph_map_.end = location_of(peek());
    if (!accept("}"))
      return expected(rest);
    return llvm::Error::success();
  }

  llvm::Error parse_statement() {
    SourceLocation at = location_of(peek());
    std::string name;
    Node node;
    if (at_keyword(opcode_name(Opcode::Output))) {
      take();
      node.opcode = Opcode::Output;
      if (llvm::Error error = parse_output_arguments(node))
        return error;
    } else {
      name = std::string(peek().text);
      if (llvm::Error error = define(take()))
        return error;
      if (llvm::Error error = expect("="))
        return error;
      if (llvm::Error error = parse_instruction(node))
        return error;
    }
    function().nodes.push_back(std::move(node));
    graph_map_.nodes.push_back(at);
    graph_map_.names.push_back(std::move(name));
    return llvm::Error::success();
  }

  llvm::Error define(const Token &name) {
    NodeIndex index = static_cast<NodeIndex>(function().nodes.size());
    auto [it, inserted] =
        locals_.try_emplace(name.text, Definition{index, name});
    if (inserted)
      return llvm::Error::success();
    return error_at(name, std::string(name.text) +
                              " is already defined (at line " +
                              std::to_string(it->second.name.line) + ")");
  }

  llvm::Error parse_instruction(Node &node) {
    const Token &word = peek();
    std::optional<Opcode> opcode;
    if (word.kind == TokenKind::Name)
      opcode = opcode_for_keyword(word.text);
    if (!opcode || !is_named(*opcode))
      return expected(instruction_keywords());
    take();
    node.opcode = *opcode;
    return parse_operands(node);
  }

  /// What follows the opcode.
  llvm::Error parse_operands(Node &node) {
    switch (node.opcode) {
    case Opcode::Input: {
      llvm::Expected<FieldId> field = parse_field("an input field name");
      if (!field)
        return field.takeError();
      node.field = *field;
      return llvm::Error::success();
    }
    case Opcode::Const: {
      llvm::Expected<Value> value = parse_json();
      if (!value)
        return value.takeError();
      node.value = std::move(*value);
      return llvm::Error::success();
    }
    case Opcode::Call:
      return parse_call(node);
    case Opcode::Check:
      return parse_check(node);
    case Opcode::Get:
      if (llvm::Error error = parse_use(node))
        return error;
      return parse_path(node.path);
    case Opcode::List:
      if (llvm::Error error = expect("["))
        return error;
      return parse_list("]", [&] { return parse_use(node); });
    case Opcode::Record:
      if (llvm::Error error = expect("{"))
        return error;
      return parse_list("}", [&] { return parse_argument(node); });
    case Opcode::Cond:
    case Opcode::Switch:
    case Opcode::Fallback:
    case Opcode::Repeat:
      return parse_structured(node);
    case Opcode::Map:
      return parse_map(node);
    case Opcode::Output:
      break;
    }
    llvm_unreachable("the output is parsed as a statement of its own");
  }

  /// A structured node after its keyword: `@opN(arguments)`, then `on f
  /// then @opT else @opE` (cond), `on f case JSON @opA, ..., default @opD`
  /// (switch), `try @opP catch @opE` (fallback) or `body @opB until f max
  /// K` (repeat).
  llvm::Error parse_structured(Node &node) {
    if (llvm::Error error = parse_operator(node))
      return error;
    if (llvm::Error error = parse_arguments(node))
      return error;
    if (node.opcode == Opcode::Cond || node.opcode == Opcode::Switch) {
      if (llvm::Error error = expect_keyword("on", "'on'"))
        return error;
      if (llvm::Error error = parse_selector(node))
        return error;
    }
    if (node.opcode == Opcode::Cond)
      return parse_branches(node, {"then", "else"});
    if (node.opcode == Opcode::Fallback)
      return parse_branches(node, {"try", "catch"});
    if (node.opcode == Opcode::Repeat) {
      if (llvm::Error error = parse_branches(node, {"body"}))
        return error;
      if (llvm::Error error = expect_keyword("until", "'until'"))
        return error;
      if (llvm::Error error = parse_selector(node))
        return error;
      if (llvm::Error error = expect_keyword("max", "'max'"))
        return error;
      llvm::Expected<std::uint32_t> bound =
          parse_unsigned<std::uint32_t>("the iteration bound");
      if (!bound)
        return bound.takeError();
      node.max_iterations = *bound;
      return llvm::Error::success();
    }
    while (at_keyword("case")) {
      take();
      llvm::Expected<Value> value = parse_json();
      if (!value)
        return value.takeError();
      node.cases.push_back(std::move(*value));
      if (llvm::Error error = parse_branches(node, {}))
        return error;
      if (llvm::Error error = expect(","))
        return error;
    }
    return parse_branches(node, {"default"});
  }

  /// A map after its keyword: `@opN(arguments) over [f, ...] body @G`,
  /// then optionally `outcomes e` and `limit K`.
  llvm::Error parse_map(Node &node) {
    if (llvm::Error error = parse_operator(node))
      return error;
    if (llvm::Error error = parse_arguments(node))
      return error;
    if (llvm::Error error = expect_keyword("over", "'over'"))
      return error;
    if (llvm::Error error = expect("["))
      return error;
    llvm::Error mapped = parse_list("]", [&]() -> llvm::Error {
      llvm::Expected<FieldId> field = parse_field("a mapped field name");
      if (!field)
        return field.takeError();
      node.mapped.push_back(*field);
      return llvm::Error::success();
    });
    if (mapped)
      return mapped;
    if (llvm::Error error = expect_keyword("body", "'body'"))
      return error;
    if (llvm::Error error = parse_body_graph(node))
      return error;
    if (at_keyword("outcomes")) {
      take();
      node.per_element = true;
      if (llvm::Error error = parse_selector(node))
        return error;
    }
    if (at_keyword("limit")) {
      take();
      llvm::Expected<std::uint32_t> limit =
          parse_unsigned<std::uint32_t>("the bound on elements in flight");
      if (!limit)
        return limit.takeError();
      node.limit = *limit;
    }
    return llvm::Error::success();
  }

  /// `@G`, a graph defined above.
  llvm::Error parse_body_graph(Node &node) {
    const Token &name = peek();
    if (name.kind != TokenKind::GlobalName)
      return expected("a body graph (@name)");
    auto it = graphs_.find(name.text);
    if (it == graphs_.end())
      return error_at(name, "unknown graph " + std::string(name.text) +
                                " (expected a graph defined above)");
    take();
    node.body = it->second;
    return llvm::Error::success();
  }

  llvm::Error parse_selector(Node &node) {
    llvm::Expected<FieldId> field = parse_field("a field name");
    if (!field)
      return field.takeError();
    node.field = *field;
    return llvm::Error::success();
  }

  /// `KEYWORD @op` for each of \p keywords in turn, or one `@op` when
  /// there are none, appended to node.branches.
  llvm::Error parse_branches(Node &node,
                             std::initializer_list<std::string_view> keywords) {
    auto branch = [&]() -> llvm::Error {
      Node target;
      if (llvm::Error error = parse_operator(target))
        return error;
      node.branches.push_back(target.op);
      return llvm::Error::success();
    };
    if (keywords.size() == 0)
      return branch();
    for (std::string_view keyword : keywords) {
      if (llvm::Error error =
              expect_keyword(keyword, "'" + std::string(keyword) + "'"))
        return error;
      if (llvm::Error error = branch())
        return error;
    }
    return llvm::Error::success();
  }

  llvm::Error parse_call(Node &node) {
    if (peek().kind == TokenKind::Name && peek().text == "async") {
      take();
      node.async = true;
    }
    if (llvm::Error error = parse_operator(node))
      return error;
    return parse_arguments(node);
  }

  /// `@opN inputs(field: %a, ...)` or `@opN outputs(...)`.
  llvm::Error parse_check(Node &node) {
    if (llvm::Error error = parse_operator(node))
      return error;
    const Token &side = peek();
    if (side.kind != TokenKind::Name ||
        (side.text != "inputs" && side.text != "outputs"))
      return expected("the side to check (inputs or outputs)");
    node.side = side.text == "inputs" ? SpecSide::Inputs : SpecSide::Outputs;
    take();
    return parse_arguments(node);
  }

  /// `@name`, an operator declared above.
  llvm::Error parse_operator(Node &node) {
    const Token &name = peek();
    if (name.kind != TokenKind::GlobalName)
      return expected("an operator (@name)");
    auto it = operators_.find(name.text);
    if (it == operators_.end())
      return error_at(name, "unknown operator " + std::string(name.text) +
                                " (expected an operator declared above)");
    take();
    node.op = it->second;
    return llvm::Error::success();
  }

  /// `(field: %a, ...)`.
  llvm::Error parse_arguments(Node &node) {
    if (llvm::Error error = expect("("))
      return error;
    return parse_list(")", [&] { return parse_argument(node); });
  }

  /// `field: %value, ...`, possibly none: the list ends where no field name
  /// and ':' follow, so keywords such as `schedule` stay usable as fields.
  llvm::Error parse_output_arguments(Node &node) {
    bool at_argument =
        (peek().kind == TokenKind::Name || peek().kind == TokenKind::String) &&
        peek(1).is_punctuation(":");
    if (!at_argument)
      return llvm::Error::success();
    do {
      if (llvm::Error error = parse_argument(node))
        return error;
    } while (accept(","));
    return llvm::Error::success();
  }

  /// `field: %value`.
  llvm::Error parse_argument(Node &node) {
    llvm::Expected<FieldId> field = parse_field("a field name");
    if (!field)
      return field.takeError();
    node.fields.push_back(*field);
    if (llvm::Error error = expect(":"))
      return error;
    return parse_use(node);
  }

  /// A use of a value name as the next operand of \p node.
  llvm::Error parse_use(Node &node) {
    if (peek().kind != TokenKind::LocalName)
      return expected("a value (%name)");
    uses_.push_back(Use{static_cast<NodeIndex>(function().nodes.size()),
                        node.operands.size(), take()});
    node.operands.push_back(0);
    return llvm::Error::success();
  }

  llvm::Error parse_path(Path &path) {
    if (!peek().is_punctuation("[")) {
      llvm::Expected<FieldId> field =
          parse_field("a path (a field or [index])");
      if (!field)
        return field.takeError();
      path = path.field(*field);
    }
    while (true) {
      if (accept("[")) {
        llvm::Expected<std::size_t> index =
            parse_unsigned<std::size_t>("a list index");
        if (!index)
          return index.takeError();
        path = path.index(*index);
        if (llvm::Error error = expect("]"))
          return error;
      } else if (accept(".")) {
        llvm::Expected<FieldId> field = parse_field("a field name");
        if (!field)
          return field.takeError();
        path = path.field(*field);
      } else {
        return llvm::Error::success();
      }
    }
  }

  llvm::Expected<NodeIndex> resolve(const Token &name) const {
    auto it = locals_.find(name.text);
    if (it == locals_.end())
      return error_at(name, "undefined value " + std::string(name.text));
    return it->second.index;
  }

  llvm::Error resolve_uses() {
    for (const Use &use : uses_) {
      llvm::Expected<NodeIndex> index = resolve(use.name);
      if (!index)
        return index.takeError();
      function().nodes[use.node].operands[use.operand] = *index;
    }
    return llvm::Error::success();
  }

  // Scheduled sections.

  llvm::Error parse_schedule() {
    take();
    if (llvm::Error error = expect("{"))
      return error;
    while (at_keyword("task"))
      if (llvm::Error error = parse_task())
        return error;
    if (!accept("}"))
      return expected("'task' or '}'");
    return llvm::Error::success();
  }

  llvm::Error parse_task() {
    SourceLocation at = location_of(take());
    std::size_t number = function().tasks.size();
    if (!peek().is_integer() || peek().text != std::to_string(number))
      return expected("task number " + std::to_string(number));
    take();
    Task task;
    if (llvm::Error error = expect_keyword("join", "'join'"))
      return error;
    llvm::Expected<std::uint32_t> join =
        parse_unsigned<std::uint32_t>("a join count");
    if (!join)
      return join.takeError();
    task.join_count = *join;
    if (accept("->")) {
      do {
        llvm::Expected<std::uint32_t> successor =
            parse_unsigned<std::uint32_t>("a task number");
        if (!successor)
          return successor.takeError();
        task.successors.push_back(*successor);
      } while (accept(","));
    }
    if (llvm::Error error = expect(":"))
      return error;
    if (peek().kind == TokenKind::LocalName) {
      do {
        if (peek().kind != TokenKind::LocalName)
          return expected("a value (%name)");
        llvm::Expected<NodeIndex> node = resolve(take());
        if (!node)
          return node.takeError();
        task.nodes.push_back(*node);
      } while (accept(","));
    }
    function().tasks.push_back(std::move(task));
    graph_map_.tasks.push_back(at);
    return llvm::Error::success();
  }

  llvm::Error parse_slots() {
    graph_map_.slots = location_of(take());
    llvm::Expected<std::uint32_t> count =
        parse_unsigned<std::uint32_t>("a slot count");
    if (!count)
      return count.takeError();
    function().slot_count = *count;
    if (llvm::Error error = expect("["))
      return error;
    return parse_list("]", [&]() -> llvm::Error {
      llvm::Expected<std::uint32_t> slot =
          parse_unsigned<std::uint32_t>("a slot number");
      if (!slot)
        return slot.takeError();
      function().slots.push_back(*slot);
      return llvm::Error::success();
    });
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::string_view file_;
  Module module_;
  /// The operators' locations; each graph's own are in body_maps_.
  SourceMap map_;
  /// The graph being read, and where its parts are.
  Function graph_;
  SourceMap graph_map_;
  /// The graphs read so far, by name: their index in module_.bodies.
  std::unordered_map<std::string_view, std::uint32_t> graphs_;
  std::vector<SourceMap> body_maps_;
  std::unordered_map<std::string_view, std::uint32_t> operators_;
  std::unordered_map<std::string_view, Definition> locals_;
  std::vector<Use> uses_;
};

} // namespace

char SourceError::ID = 0;

void SourceError::log(llvm::raw_ostream &os) const {
  os << file_ << ':' << location_.line << ':' << location_.column << ": "
     << message_;
}

std::error_code SourceError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

SourceLocation SourceMap::locate(Site site, std::uint32_t index) const {
  switch (site) {
  case Site::Graph:
    return graph;
  case Site::End:
    return end;
  case Site::Slots:
    return slots;
  case Site::Input:
    return inputs.at(index);
  case Site::Output:
    return outputs.at(index);
  case Site::Operator:
    return operators.at(index);
  case Site::Node:
    return nodes.at(index);
  case Site::Task:
    return tasks.at(index);
  }
  llvm_unreachable("a switch over every site");
}

llvm::Expected<Module> parse(std::string_view text, std::string_view file_name,
                             SourceMap *locations) {
  return Parser(text, file_name).run(locations);
}

llvm::Expected<Module> parse_and_verify(std::string_view text,
                                        std::string_view file_name) {
  SourceMap locations;
  llvm::Expected<Module> module = parse(text, file_name, &locations);
  if (!module)
    return module.takeError();
  std::vector<ValueNames> body_names;
  for (const SourceMap &body : locations.bodies)
    body_names.push_back(body.names);
  llvm::Error error = llvm::handleErrors(
      verify(*module, &locations.names, &body_names),
      [&](const VerifierError &invalid) {
        // The table is the main map's; each graph's sites are its own.
        const SourceMap &graph =
            invalid.graph() == VerifierError::main_graph ||
                    invalid.site() == Site::Operator
                ? locations
                : locations.bodies[invalid.graph()];
        return error_at(file_name,
                        graph.locate(invalid.site(), invalid.index()),
                        invalid.message());
      });
  if (error)
    return error;
  return module;
}

} // namespace xcs::ir
