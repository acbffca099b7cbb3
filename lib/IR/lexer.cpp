//===- lexer.cpp - Tokens of the IR text form -----------------------------===//

#include "IR/lexer.h"

#include "IR/syntax.h"

namespace xcs::ir {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    do {
      skip_space_and_comments();
      tokens.push_back(next());
    } while (tokens.back().kind != TokenKind::EndOfFile);
    return tokens;
  }

private:
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool at_end() const { return pos_ >= text_.size(); }

  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }

  void skip_space_and_comments() {
    while (!at_end()) {
      char c = peek();
      if (c == ';') {
        while (!at_end() && peek() != '\n')
          advance();
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        advance();
      } else {
        return;
      }
    }
  }

  Token next() {
    start_ = pos_;
    start_line_ = line_;
    start_column_ = static_cast<unsigned>(pos_ - line_start_ + 1);
    if (at_end())
      return make(TokenKind::EndOfFile);
    char c = peek();
    if (syntax::is_name_start(c))
      return name();
    if (c == '%' || c == '@')
      return sigil_name(c == '%' ? TokenKind::LocalName
                                 : TokenKind::GlobalName);
    if (c == '"')
      return string();
    if (c == '-' && peek(1) == '>') {
      pos_ += 2;
      return make(TokenKind::Punctuation);
    }
    if (c == '-' || is_digit(c))
      return number();
    if (c == '<')
      return placeholder();
    advance();
    if (std::string_view("()[]{},:=.").find(c) != std::string_view::npos)
      return make(TokenKind::Punctuation);
    return make(TokenKind::Invalid);
  }

  Token name() {
    while (!at_end() && syntax::is_name_char(peek()))
      advance();
    return make(TokenKind::Name);
  }

  Token sigil_name(TokenKind kind) {
    advance();
    if (!syntax::is_name_char(peek()))
      return make(TokenKind::Invalid);
    while (!at_end() && syntax::is_name_char(peek()))
      advance();
    return make(kind);
  }

  /// Finds the closing quote; escapes are checked when the parser decodes
  /// the literal.
  Token string() {
    advance();
    while (!at_end() && peek() != '"' && peek() != '\n') {
      if (peek() == '\\' && peek(1) != '\n' && pos_ + 1 < text_.size())
        advance();
      advance();
    }
    if (peek() != '"')
      return make(TokenKind::Invalid);
    advance();
    return make(TokenKind::String);
  }

  /// -?digits(.digits)?([eE][+-]?digits)?
  Token number() {
    if (peek() == '-')
      advance();
    if (!digits())
      return make(TokenKind::Invalid);
    if (peek() == '.') {
      advance();
      if (!digits())
        return make(TokenKind::Invalid);
    }
    if (peek() == 'e' || peek() == 'E') {
      advance();
      if (peek() == '+' || peek() == '-')
        advance();
      if (!digits())
        return make(TokenKind::Invalid);
    }
    return make(TokenKind::Number);
  }

  /// Consumes a run of digits; false if there was none.
  bool digits() {
    std::size_t first = pos_;
    while (is_digit(peek()))
      advance();
    return pos_ != first;
  }

  Token placeholder() {
    while (!at_end() && peek() != '\n')
      advance();
    return make(TokenKind::Placeholder);
  }

  Token make(TokenKind kind) const {
    return Token{kind, text_.substr(start_, pos_ - start_), start_line_,
                 start_column_};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  unsigned line_ = 1;
  std::size_t start_ = 0;
  unsigned start_line_ = 1;
  unsigned start_column_ = 1;
};

} // namespace

bool Token::is_integer() const {
  return kind == TokenKind::Number &&
         text.find_first_of(".eE") == std::string_view::npos;
}

std::string Token::describe() const {
  switch (kind) {
  case TokenKind::EndOfFile:
    return "end of file";
  case TokenKind::String:
    return "string " + std::string(text);
  case TokenKind::Number:
    return "number " + std::string(text);
  case TokenKind::Placeholder:
    return "a placeholder for a value that has no text form " +
           std::string(text);
  case TokenKind::Invalid:
    if (!text.empty() && text.front() == '"')
      return "an unterminated string";
    return "invalid text '" + std::string(text) + "'";
  case TokenKind::Name:
  case TokenKind::LocalName:
  case TokenKind::GlobalName:
  case TokenKind::Punctuation:
    break;
  }
  return "'" + std::string(text) + "'";
}

std::vector<Token> lex(std::string_view text) { return Lexer(text).run(); }

} // namespace xcs::ir
