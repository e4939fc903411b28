// Expression AST: the predicates silt evaluates for scans, deletes, constraints and skipping.
// Covers comparisons, AND/OR/NOT, IN, IS [NOT] NULL over columns (nested by path) and literals.
// Three-valued logic as in SQL: a comparison with NULL is NULL, and NULL filters a row out.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/expr/value.h"

namespace silt::expr {

enum class ExprKind : uint8_t { kLiteral, kColumn, kCompare, kAnd, kOr, kNot, kIsNull, kIsNotNull, kIn };
enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kNullSafeEq };

std::string_view CompareOpSymbol(CompareOp op);
// a op b  <=>  b Flip(op) a.
CompareOp FlipCompareOp(CompareOp op);

class Expr;
using ExprPtr = std::shared_ptr<const Expr>;

class Expr {
 public:
  static ExprPtr Literal(Value value);
  // A column by path: {"a"} or {"s", "x"} for the nested field s.x.
  static ExprPtr Column(std::vector<std::string> path);
  static ExprPtr Compare(CompareOp op, ExprPtr left, ExprPtr right);
  static ExprPtr And(ExprPtr left, ExprPtr right);
  static ExprPtr Or(ExprPtr left, ExprPtr right);
  static ExprPtr Not(ExprPtr operand);
  static ExprPtr IsNull(ExprPtr operand);
  static ExprPtr IsNotNull(ExprPtr operand);
  // operand IN (list...); the list holds literals or other expressions.
  static ExprPtr In(ExprPtr operand, std::vector<ExprPtr> list);

  ExprKind kind() const { return kind_; }
  const Value& value() const { return value_; }                      // kLiteral
  const std::vector<std::string>& column_path() const { return path_; }  // kColumn
  CompareOp op() const { return op_; }                                 // kCompare
  // kCompare/kAnd/kOr: {left, right}; kNot/kIsNull/kIsNotNull: {operand}; kIn: {operand, list...}.
  const std::vector<ExprPtr>& children() const { return children_; }

  // Parseable SQL text; columns are back-quoted when needed.
  std::string ToString() const;

  // Every column path referenced, in first-use order, without duplicates.
  std::vector<std::vector<std::string>> ReferencedColumns() const;

 private:
  explicit Expr(ExprKind kind) : kind_(kind) {}
  ExprKind kind_;
  Value value_;
  std::vector<std::string> path_;
  CompareOp op_ = CompareOp::kEq;
  std::vector<ExprPtr> children_;
};

// Parses a Spark SQL predicate subset:
//   expr     := or
//   or       := and (OR and)*          and := not (AND not)*       not := NOT not | predicate
//   predicate:= operand [cmp operand | IS [NOT] NULL | [NOT] IN (operand, ...)
//                        | [NOT] BETWEEN operand AND operand]
//   operand  := column | literal | ( expr )
//   column   := ident (. ident)*   with `back quotes` for any name
//   literal  := 12 | -3 | 1.50 (decimal) | 1e3 (double) | 'text' | true | false | NULL
//             | DATE 'yyyy-mm-dd' | TIMESTAMP 'yyyy-mm-dd hh:mm:ss[.f][Z|+hh:mm]'
//             | TIMESTAMP_NTZ '...' | X'hex'
// Keywords are case-insensitive. Errors are kInvalidArgument naming the position.
Result<ExprPtr> Parse(std::string_view text);

// Resolves a column path to its value in the current row; kNotFound for an unknown column.
using RowResolver = std::function<Result<Value>(const std::vector<std::string>& path)>;

// Evaluates `e` on one row. Predicates yield Boolean or NULL.
Result<Value> Evaluate(const Expr& e, const RowResolver& row);

// True when `e` evaluates to true (not false, not NULL) on the row.
Result<bool> EvaluatePredicate(const Expr& e, const RowResolver& row);

}  // namespace silt::expr
