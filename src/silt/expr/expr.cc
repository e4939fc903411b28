#include "silt/expr/expr.h"

#include <algorithm>
#include <cctype>

namespace silt::expr {

std::string_view CompareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
    case CompareOp::kNullSafeEq: return "<=>";
  }
  return "?";
}

CompareOp FlipCompareOp(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    default: return op;
  }
}

ExprPtr Expr::Literal(Value value) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kLiteral));
  e->value_ = std::move(value);
  return e;
}

ExprPtr Expr::Column(std::vector<std::string> path) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kColumn));
  e->path_ = std::move(path);
  return e;
}

ExprPtr Expr::Compare(CompareOp op, ExprPtr left, ExprPtr right) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kCompare));
  e->op_ = op;
  e->children_ = {std::move(left), std::move(right)};
  return e;
}

ExprPtr Expr::And(ExprPtr left, ExprPtr right) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kAnd));
  e->children_ = {std::move(left), std::move(right)};
  return e;
}

ExprPtr Expr::Or(ExprPtr left, ExprPtr right) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kOr));
  e->children_ = {std::move(left), std::move(right)};
  return e;
}

ExprPtr Expr::Not(ExprPtr operand) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kNot));
  e->children_ = {std::move(operand)};
  return e;
}

ExprPtr Expr::IsNull(ExprPtr operand) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kIsNull));
  e->children_ = {std::move(operand)};
  return e;
}

ExprPtr Expr::IsNotNull(ExprPtr operand) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kIsNotNull));
  e->children_ = {std::move(operand)};
  return e;
}

ExprPtr Expr::In(ExprPtr operand, std::vector<ExprPtr> list) {
  auto e = std::shared_ptr<Expr>(new Expr(ExprKind::kIn));
  e->children_.reserve(list.size() + 1);
  e->children_.push_back(std::move(operand));
  for (auto& item : list) e->children_.push_back(std::move(item));
  return e;
}

namespace {

bool IsPlainIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string QuoteIdentifier(const std::string& s) {
  if (IsPlainIdentifier(s)) return s;
  std::string out = "`";
  for (char c : s) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

}  // namespace

std::string Expr::ToString() const {
  switch (kind_) {
    case ExprKind::kLiteral: return value_.ToString();
    case ExprKind::kColumn: {
      std::string out;
      for (size_t i = 0; i < path_.size(); ++i) {
        if (i) out.push_back('.');
        out += QuoteIdentifier(path_[i]);
      }
      return out;
    }
    case ExprKind::kCompare:
      return "(" + children_[0]->ToString() + " " + std::string(CompareOpSymbol(op_)) + " " +
             children_[1]->ToString() + ")";
    case ExprKind::kAnd:
      return "(" + children_[0]->ToString() + " AND " + children_[1]->ToString() + ")";
    case ExprKind::kOr:
      return "(" + children_[0]->ToString() + " OR " + children_[1]->ToString() + ")";
    case ExprKind::kNot: return "(NOT " + children_[0]->ToString() + ")";
    case ExprKind::kIsNull: return "(" + children_[0]->ToString() + " IS NULL)";
    case ExprKind::kIsNotNull: return "(" + children_[0]->ToString() + " IS NOT NULL)";
    case ExprKind::kIn: {
      std::string out = "(" + children_[0]->ToString() + " IN (";
      for (size_t i = 1; i < children_.size(); ++i) {
        if (i > 1) out += ", ";
        out += children_[i]->ToString();
      }
      return out + "))";
    }
  }
  return "?";
}

std::vector<std::vector<std::string>> Expr::ReferencedColumns() const {
  std::vector<std::vector<std::string>> out;
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    if (e.kind() == ExprKind::kColumn) {
      if (std::find(out.begin(), out.end(), e.column_path()) == out.end()) {
        out.push_back(e.column_path());
      }
    }
    for (const auto& c : e.children()) walk(*c);
  };
  walk(*this);
  return out;
}

namespace {

Status NotBoolean(const Expr& e, const Value& v) {
  return Status::InvalidArgument("{} is not a predicate: it evaluates to {}", e.ToString(),
                                 v.ToString());
}

// NULL or Boolean; anything else is an error.
Result<std::optional<bool>> EvalBool(const Expr& e, const RowResolver& row) {
  SILT_ASSIGN_OR_RETURN(Value v, Evaluate(e, row));
  if (v.is_null()) return std::optional<bool>();
  if (v.kind() != ValueKind::kBoolean) return NotBoolean(e, v);
  return std::optional<bool>(v.bool_value());
}

Result<Value> CompareValues(CompareOp op, const Value& a, const Value& b, const Expr& e) {
  if (op == CompareOp::kNullSafeEq) {
    if (a.is_null() || b.is_null()) return Value::Boolean(a.is_null() && b.is_null());
  } else if (a.is_null() || b.is_null()) {
    return Value::Null();
  }
  std::optional<int> c = silt::expr::Compare(a, b);
  if (!c) {
    return Status::InvalidArgument("cannot compare {} with {} in {}", a.ToString(), b.ToString(),
                                   e.ToString());
  }
  switch (op) {
    case CompareOp::kEq:
    case CompareOp::kNullSafeEq: return Value::Boolean(*c == 0);
    case CompareOp::kNe: return Value::Boolean(*c != 0);
    case CompareOp::kLt: return Value::Boolean(*c < 0);
    case CompareOp::kLe: return Value::Boolean(*c <= 0);
    case CompareOp::kGt: return Value::Boolean(*c > 0);
    case CompareOp::kGe: return Value::Boolean(*c >= 0);
  }
  return Value::Null();
}

}  // namespace

Result<Value> Evaluate(const Expr& e, const RowResolver& row) {
  switch (e.kind()) {
    case ExprKind::kLiteral: return e.value();
    case ExprKind::kColumn: return row(e.column_path());
    case ExprKind::kCompare: {
      SILT_ASSIGN_OR_RETURN(Value a, Evaluate(*e.children()[0], row));
      SILT_ASSIGN_OR_RETURN(Value b, Evaluate(*e.children()[1], row));
      return CompareValues(e.op(), a, b, e);
    }
    case ExprKind::kAnd: {
      SILT_ASSIGN_OR_RETURN(auto a, EvalBool(*e.children()[0], row));
      if (a == false) return Value::Boolean(false);
      SILT_ASSIGN_OR_RETURN(auto b, EvalBool(*e.children()[1], row));
      if (b == false) return Value::Boolean(false);
      return (a && b) ? Value::Boolean(true) : Value::Null();
    }
    case ExprKind::kOr: {
      SILT_ASSIGN_OR_RETURN(auto a, EvalBool(*e.children()[0], row));
      if (a == true) return Value::Boolean(true);
      SILT_ASSIGN_OR_RETURN(auto b, EvalBool(*e.children()[1], row));
      if (b == true) return Value::Boolean(true);
      return (a && b) ? Value::Boolean(false) : Value::Null();
    }
    case ExprKind::kNot: {
      SILT_ASSIGN_OR_RETURN(auto a, EvalBool(*e.children()[0], row));
      return a ? Value::Boolean(!*a) : Value::Null();
    }
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull: {
      SILT_ASSIGN_OR_RETURN(Value a, Evaluate(*e.children()[0], row));
      return Value::Boolean(a.is_null() == (e.kind() == ExprKind::kIsNull));
    }
    case ExprKind::kIn: {
      // SQL: true if any item equals; else NULL if the operand or any item is NULL; else false.
      SILT_ASSIGN_OR_RETURN(Value a, Evaluate(*e.children()[0], row));
      if (a.is_null()) return Value::Null();
      bool saw_null = false;
      for (size_t i = 1; i < e.children().size(); ++i) {
        SILT_ASSIGN_OR_RETURN(Value b, Evaluate(*e.children()[i], row));
        SILT_ASSIGN_OR_RETURN(Value eq, CompareValues(CompareOp::kEq, a, b, e));
        if (eq.is_null()) {
          saw_null = true;
        } else if (eq.bool_value()) {
          return Value::Boolean(true);
        }
      }
      return saw_null ? Value::Null() : Value::Boolean(false);
    }
  }
  return Status::Internal("unknown expression kind");
}

Result<bool> EvaluatePredicate(const Expr& e, const RowResolver& row) {
  SILT_ASSIGN_OR_RETURN(auto b, EvalBool(e, row));
  return b.value_or(false);
}

}  // namespace silt::expr
