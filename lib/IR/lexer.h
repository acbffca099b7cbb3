//===- IR/lexer.h - Tokens of the IR text form ------------------*- C++ -*-===//
///
/// \file
/// Splits IR text into tokens, each with its 1-based line and column so the
/// parser can point at it. Comments (`;` to the end of the line) and white
/// space are skipped. The lexer never fails: text it cannot read becomes an
/// Invalid token, which no grammar rule accepts, so the parser reports it
/// with what it expected there.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace xcs::ir {

enum class TokenKind {
  EndOfFile,
  Name,        ///< A bare name or keyword: [A-Za-z_][A-Za-z0-9_-]*.
  LocalName,   ///< %name.
  GlobalName,  ///< @name.
  String,      ///< A JSON string literal, quotes and escapes included.
  Number,      ///< A JSON number literal.
  Punctuation, ///< ( ) [ ] { } , : = . ->
  Placeholder, ///< `<...>` to the end of the line: printed for what has no
               ///< text form.
  Invalid      ///< A character no token starts with, or an unterminated
               ///< string.
};

struct Token {
  TokenKind kind = TokenKind::EndOfFile;
  /// The token's characters in the source.
  std::string_view text;
  unsigned line = 1;
  unsigned column = 1;

  bool is(TokenKind k, std::string_view t) const {
    return kind == k && text == t;
  }
  bool is_punctuation(std::string_view t) const {
    return is(TokenKind::Punctuation, t);
  }
  /// A Number without fraction or exponent.
  bool is_integer() const;
  /// How an error message names the token: "'%x'", "end of file", ...
  std::string describe() const;
};

/// The tokens of \p text, ending with one EndOfFile token.
std::vector<Token> lex(std::string_view text);

} // namespace xcs::ir
