// Recursive-descent parser for the predicate subset described in expr.h.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "silt/expr/expr.h"

namespace silt::expr {
namespace {

enum class Tok { kEnd, kIdent, kQuotedIdent, kNumber, kString, kSymbol };

struct Token {
  Tok kind;
  std::string text;  // identifier/number/string content or the symbol
  size_t pos;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (i_ >= s_.size()) {
        out.push_back({Tok::kEnd, "", i_});
        return out;
      }
      size_t start = i_;
      char c = s_[i_];
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        while (i_ < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) {
          ++i_;
        }
        out.push_back({Tok::kIdent, std::string(s_.substr(start, i_ - start)), start});
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '.' && i_ + 1 < s_.size() &&
                  std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
        while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) ||
                                  s_[i_] == '.')) {
          ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
          ++i_;
          if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
          while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        out.push_back({Tok::kNumber, std::string(s_.substr(start, i_ - start)), start});
      } else if (c == '\'' || c == '"') {
        SILT_ASSIGN_OR_RETURN(std::string text, Quoted(c));
        out.push_back({Tok::kString, std::move(text), start});
      } else if (c == '`') {
        SILT_ASSIGN_OR_RETURN(std::string text, Quoted('`'));
        out.push_back({Tok::kQuotedIdent, std::move(text), start});
      } else {
        static constexpr std::string_view kSymbols[] = {"<=>", "<=", ">=", "<>", "!=", "==",
                                                        "=",   "<",  ">",  "(",  ")",  ",",
                                                        ".",   "-"};
        bool matched = false;
        for (std::string_view sym : kSymbols) {
          if (s_.substr(i_, sym.size()) == sym) {
            out.push_back({Tok::kSymbol, std::string(sym), start});
            i_ += sym.size();
            matched = true;
            break;
          }
        }
        if (!matched) {
          return Status::InvalidArgument("unexpected character '{}' at position {} in: {}", c, i_,
                                         s_);
        }
      }
    }
  }

 private:
  // A quoted string or identifier; the quote is doubled to escape it, and in strings a
  // backslash escapes the next character as in Spark SQL.
  Result<std::string> Quoted(char quote) {
    size_t start = i_++;
    std::string out;
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == quote) {
        if (i_ < s_.size() && s_[i_] == quote) {
          out.push_back(quote);
          ++i_;
          continue;
        }
        return out;
      }
      if (c == '\\' && quote != '`' && i_ < s_.size()) {
        char n = s_[i_++];
        out.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n);
        continue;
      }
      out.push_back(c);
    }
    return Status::InvalidArgument("unterminated {} starting at position {} in: {}",
                                   quote == '`' ? "quoted name" : "string", start, s_);
  }

  std::string_view s_;
  size_t i_ = 0;
};

bool KeywordIs(const Token& t, std::string_view kw) {
  if (t.kind != Tok::kIdent || t.text.size() != kw.size()) return false;
  for (size_t i = 0; i < kw.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != kw[i]) return false;
  }
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> toks) : text_(text), toks_(std::move(toks)) {}

  Result<ExprPtr> ParseAll() {
    SILT_ASSIGN_OR_RETURN(ExprPtr e, ParseOr());
    if (Peek().kind != Tok::kEnd) return Error("unexpected '" + Peek().text + "'");
    return e;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return toks_[std::min(pos_ + ahead, toks_.size() - 1)];
  }
  const Token& Next() { return toks_[std::min(pos_++, toks_.size() - 1)]; }
  bool AcceptKeyword(std::string_view kw) {
    if (KeywordIs(Peek(), kw)) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AcceptSymbol(std::string_view sym) {
    if (Peek().kind == Tok::kSymbol && Peek().text == sym) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Error(const std::string& what) const {
    return Status::InvalidArgument("cannot parse expression at position {}: {} in: {}",
                                   Peek().pos, what, text_);
  }
  Status ExpectSymbol(std::string_view sym) {
    if (!AcceptSymbol(sym)) return Error("expected '" + std::string(sym) + "'");
    return Status::OK();
  }

  Result<ExprPtr> ParseOr() {
    SILT_ASSIGN_OR_RETURN(ExprPtr left, ParseAnd());
    while (AcceptKeyword("OR")) {
      SILT_ASSIGN_OR_RETURN(ExprPtr right, ParseAnd());
      left = Expr::Or(std::move(left), std::move(right));
    }
    return left;
  }

  Result<ExprPtr> ParseAnd() {
    SILT_ASSIGN_OR_RETURN(ExprPtr left, ParseNot());
    while (AcceptKeyword("AND")) {
      SILT_ASSIGN_OR_RETURN(ExprPtr right, ParseNot());
      left = Expr::And(std::move(left), std::move(right));
    }
    return left;
  }

  Result<ExprPtr> ParseNot() {
    if (AcceptKeyword("NOT")) {
      SILT_ASSIGN_OR_RETURN(ExprPtr operand, ParseNot());
      return Expr::Not(std::move(operand));
    }
    return ParsePredicate();
  }

  Result<ExprPtr> ParsePredicate() {
    SILT_ASSIGN_OR_RETURN(ExprPtr left, ParseOperand());
    static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
        {"=", CompareOp::kEq},  {"==", CompareOp::kEq}, {"!=", CompareOp::kNe},
        {"<>", CompareOp::kNe}, {"<", CompareOp::kLt},  {"<=", CompareOp::kLe},
        {">", CompareOp::kGt},  {">=", CompareOp::kGe}, {"<=>", CompareOp::kNullSafeEq}};
    for (const auto& [sym, op] : kOps) {
      if (AcceptSymbol(sym)) {
        SILT_ASSIGN_OR_RETURN(ExprPtr right, ParseOperand());
        return Expr::Compare(op, std::move(left), std::move(right));
      }
    }
    if (AcceptKeyword("IS")) {
      bool negated = AcceptKeyword("NOT");
      if (!AcceptKeyword("NULL")) return Error("expected NULL after IS");
      return negated ? Expr::IsNotNull(std::move(left)) : Expr::IsNull(std::move(left));
    }
    bool negated = false;
    if (KeywordIs(Peek(), "NOT") && (KeywordIs(Peek(1), "IN") || KeywordIs(Peek(1), "BETWEEN"))) {
      ++pos_;
      negated = true;
    }
    if (AcceptKeyword("IN")) {
      SILT_RETURN_NOT_OK(ExpectSymbol("("));
      std::vector<ExprPtr> list;
      do {
        SILT_ASSIGN_OR_RETURN(ExprPtr item, ParseOperand());
        list.push_back(std::move(item));
      } while (AcceptSymbol(","));
      SILT_RETURN_NOT_OK(ExpectSymbol(")"));
      ExprPtr in = Expr::In(std::move(left), std::move(list));
      return negated ? Expr::Not(std::move(in)) : in;
    }
    if (AcceptKeyword("BETWEEN")) {
      SILT_ASSIGN_OR_RETURN(ExprPtr low, ParseOperand());
      if (!AcceptKeyword("AND")) return Error("expected AND in BETWEEN");
      SILT_ASSIGN_OR_RETURN(ExprPtr high, ParseOperand());
      ExprPtr between = Expr::And(Expr::Compare(CompareOp::kGe, left, std::move(low)),
                                  Expr::Compare(CompareOp::kLe, left, std::move(high)));
      return negated ? Expr::Not(std::move(between)) : between;
    }
    if (negated) return Error("expected IN or BETWEEN after NOT");
    return left;
  }

  Result<ExprPtr> ParseOperand() {
    const Token& t = Peek();
    if (AcceptSymbol("(")) {
      SILT_ASSIGN_OR_RETURN(ExprPtr inner, ParseOr());
      SILT_RETURN_NOT_OK(ExpectSymbol(")"));
      return inner;
    }
    if (t.kind == Tok::kSymbol && t.text == "-" && Peek(1).kind == Tok::kNumber) {
      ++pos_;
      return ParseNumber(Next().text, /*negative=*/true);
    }
    if (t.kind == Tok::kNumber) return ParseNumber(Next().text, false);
    if (t.kind == Tok::kString) return Expr::Literal(Value::String(Next().text));
    if (t.kind == Tok::kIdent && Peek(1).kind == Tok::kString) {
      // Typed literals: DATE '...', TIMESTAMP '...', TIMESTAMP_NTZ '...', X'...'.
      if (KeywordIs(t, "DATE")) {
        ++pos_;
        SILT_ASSIGN_OR_RETURN(int32_t days, ParseDate(Next().text));
        return Expr::Literal(Value::Date(days));
      }
      if (KeywordIs(t, "TIMESTAMP") || KeywordIs(t, "TIMESTAMP_NTZ")) {
        bool ntz = KeywordIs(t, "TIMESTAMP_NTZ");
        ++pos_;
        SILT_ASSIGN_OR_RETURN(int64_t micros, ParseTimestamp(Next().text));
        return Expr::Literal(ntz ? Value::TimestampNtz(micros) : Value::Timestamp(micros));
      }
      if (KeywordIs(t, "X")) {
        ++pos_;
        return ParseHex(Next().text);
      }
    }
    if (t.kind == Tok::kIdent) {
      if (KeywordIs(t, "NULL")) return ++pos_, Expr::Literal(Value::Null());
      if (KeywordIs(t, "TRUE")) return ++pos_, Expr::Literal(Value::Boolean(true));
      if (KeywordIs(t, "FALSE")) return ++pos_, Expr::Literal(Value::Boolean(false));
      for (std::string_view kw : {"AND", "OR", "NOT", "IN", "IS", "BETWEEN"}) {
        if (KeywordIs(t, kw)) return Error("unexpected keyword " + t.text);
      }
    }
    if (t.kind == Tok::kIdent || t.kind == Tok::kQuotedIdent) {
      std::vector<std::string> path{Next().text};
      while (AcceptSymbol(".")) {
        if (Peek().kind != Tok::kIdent && Peek().kind != Tok::kQuotedIdent) {
          return Error("expected a field name after '.'");
        }
        path.push_back(Next().text);
      }
      return Expr::Column(std::move(path));
    }
    if (t.kind == Tok::kEnd) return Error("unexpected end");
    return Error("unexpected '" + t.text + "'");
  }

  Result<ExprPtr> ParseNumber(const std::string& text, bool negative) {
    std::string s = negative ? "-" + text : text;
    if (s.find_first_of("eE") != std::string::npos) {
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size()) return Error("bad number " + s);
      return Expr::Literal(Value::Double(d));
    }
    if (s.find('.') != std::string::npos) {
      Result<Decimal> d = ParseDecimal(s);
      if (!d.ok()) return Error(d.error().message());
      return Expr::Literal(Value::MakeDecimal(d->unscaled, d->scale));
    }
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno == ERANGE || end != s.c_str() + s.size()) {
      Result<Decimal> d = ParseDecimal(s);  // too large for a long: Spark makes it a decimal
      if (!d.ok()) return Error("bad number " + s);
      return Expr::Literal(Value::MakeDecimal(d->unscaled, 0));
    }
    return Expr::Literal(Value::Int(v));
  }

  Result<ExprPtr> ParseHex(const std::string& hex) {
    if (hex.size() % 2 != 0) return Error("odd number of hex digits in X'" + hex + "'");
    std::string bytes;
    for (size_t i = 0; i < hex.size(); i += 2) {
      auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
      if (hi < 0 || lo < 0) return Error("bad hex digit in X'" + hex + "'");
      bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    return Expr::Literal(Value::Binary(std::move(bytes)));
  }

  std::string_view text_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
};

}  // namespace

Result<ExprPtr> Parse(std::string_view text) {
  SILT_ASSIGN_OR_RETURN(std::vector<Token> toks, Lexer(text).Run());
  return Parser(text, std::move(toks)).ParseAll();
}

}  // namespace silt::expr
