#include "silt/expr/skipping.h"

namespace silt::expr {
namespace {

CompareOp Negate(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return CompareOp::kNe;
    case CompareOp::kNe: return CompareOp::kEq;
    case CompareOp::kLt: return CompareOp::kGe;
    case CompareOp::kLe: return CompareOp::kGt;
    case CompareOp::kGt: return CompareOp::kLe;
    case CompareOp::kGe: return CompareOp::kLt;
    case CompareOp::kNullSafeEq: return CompareOp::kNullSafeEq;  // handled by the caller
  }
  return op;
}

class Skipper {
 public:
  explicit Skipper(const StatsView& stats) : stats_(stats) {}

  // May some row make `e` true (negated = false) or false (negated = true)?
  bool May(const Expr& e, bool negated) {
    switch (e.kind()) {
      case ExprKind::kAnd:
      case ExprKind::kOr: {
        bool conjunction = (e.kind() == ExprKind::kAnd) != negated;
        bool a = May(*e.children()[0], negated);
        if (conjunction && !a) return false;
        if (!conjunction && a) return true;
        return May(*e.children()[1], negated);
      }
      case ExprKind::kNot: return May(*e.children()[0], !negated);
      case ExprKind::kIsNull:
      case ExprKind::kIsNotNull: {
        bool want_null = (e.kind() == ExprKind::kIsNull) != negated;
        return MayNull(*e.children()[0], want_null);
      }
      case ExprKind::kCompare: return MayCompare(e, negated);
      case ExprKind::kIn: {
        // x IN (a, b) == x = a OR x = b; NOT IN == x != a AND x != b. NULLs never make it true.
        const Expr& operand = *e.children()[0];
        for (size_t i = 1; i < e.children().size(); ++i) {
          bool may = MayCompareParts(CompareOp::kEq, operand, *e.children()[i], negated);
          if (!negated && may) return true;
          if (negated && !may) return false;
        }
        return negated;
      }
      case ExprKind::kLiteral:
        if (e.value().kind() == ValueKind::kBoolean) return e.value().bool_value() != negated;
        if (e.value().is_null()) return false;  // NULL is neither true nor false
        return true;
      case ExprKind::kColumn: return true;
    }
    return true;
  }

 private:
  bool MayNull(const Expr& operand, bool want_null) {
    if (operand.kind() == ExprKind::kLiteral) return operand.value().is_null() == want_null;
    if (operand.kind() != ExprKind::kColumn) return true;
    auto cs = stats_.column(operand.column_path());
    if (!cs || !cs->null_count) return true;
    if (want_null) return *cs->null_count > 0;
    if (!stats_.num_records) return true;
    return *cs->null_count < *stats_.num_records;
  }

  bool MayCompare(const Expr& e, bool negated) {
    if (e.op() == CompareOp::kNullSafeEq) {
      // a <=> b is never NULL; only skip on the positive form with a non-null literal.
      if (negated) return true;
      return MayCompareParts(CompareOp::kEq, *e.children()[0], *e.children()[1], false) ||
             IsNullLiteral(*e.children()[0]) || IsNullLiteral(*e.children()[1]);
    }
    return MayCompareParts(e.op(), *e.children()[0], *e.children()[1], negated);
  }

  static bool IsNullLiteral(const Expr& e) {
    return e.kind() == ExprKind::kLiteral && e.value().is_null();
  }

  bool MayCompareParts(CompareOp op, const Expr& left, const Expr& right, bool negated) {
    // Normalise to `column op literal`.
    const Expr* col = &left;
    const Expr* lit = &right;
    if (left.kind() == ExprKind::kLiteral && right.kind() == ExprKind::kColumn) {
      col = &right;
      lit = &left;
      op = FlipCompareOp(op);
    }
    if (lit->kind() == ExprKind::kLiteral && lit->value().is_null()) return false;
    if (col->kind() != ExprKind::kColumn || lit->kind() != ExprKind::kLiteral) return true;
    if (negated) op = Negate(op);
    auto cs = stats_.column(col->column_path());
    if (!cs) return true;
    // All values NULL: no comparison can be true.
    if (cs->null_count && stats_.num_records && *cs->null_count == *stats_.num_records &&
        *stats_.num_records > 0) {
      return false;
    }
    const Value& v = lit->value();
    auto cmp = [](const std::optional<Value>& bound, const Value& v) -> std::optional<int> {
      if (!bound) return std::nullopt;
      return Compare(*bound, v);
    };
    std::optional<int> min_cmp = cmp(cs->min, v);  // sign of (min - v)
    std::optional<int> max_cmp = cmp(cs->max, v);  // sign of (max - v)
    switch (op) {
      case CompareOp::kEq:
      case CompareOp::kNullSafeEq:
        if (min_cmp && *min_cmp > 0) return false;
        if (max_cmp && *max_cmp < 0) return false;
        return true;
      case CompareOp::kNe:
        // Only skippable when every value equals v.
        return !(min_cmp && max_cmp && *min_cmp == 0 && *max_cmp == 0);
      case CompareOp::kLt: return !(min_cmp && *min_cmp >= 0);
      case CompareOp::kLe: return !(min_cmp && *min_cmp > 0);
      case CompareOp::kGt: return !(max_cmp && *max_cmp <= 0);
      case CompareOp::kGe: return !(max_cmp && *max_cmp < 0);
    }
    return true;
  }

  const StatsView& stats_;
};

}  // namespace

bool MayMatch(const Expr& predicate, const StatsView& stats) {
  if (!stats.column) return true;
  if (stats.num_records && *stats.num_records == 0) return false;
  return Skipper(stats).May(predicate, false);
}

}  // namespace silt::expr
