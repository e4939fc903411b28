// Constraints checked on the rows of a write before any file is committed (PROTOCOL.md "Column
// Invariants", "CHECK Constraints"; digest §13 appendOnly/invariants/checkConstraints):
//  - NOT NULL: non-nullable columns and nested fields;
//  - column invariants: field metadata delta.invariants = {"expression":{"expression":"<SQL>"}};
//    a row fails when the expression is false or NULL;
//  - CHECK constraints: table properties delta.constraints.<name> = <SQL>; a row fails when the
//    expression is false (NULL passes, as in SQL).
// Expressions are parsed with expr::Parse (silt's Spark SQL subset) over logical column names.
#pragma once

#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/expr/expr.h"

namespace silt::delta {

inline constexpr std::string_view kInvariantsKey = "delta.invariants";
inline constexpr std::string_view kConstraintPropertyPrefix = "delta.constraints.";

struct Constraint {
  enum class Kind : uint8_t { kInvariant, kCheck };
  Kind kind = Kind::kCheck;
  // The CHECK constraint's name, or the column path of an invariant ("a.b").
  std::string name;
  std::string sql;
  expr::ExprPtr expression;
};

class TableConstraints {
 public:
  // The constraints of a table with `schema` (logical) and `metadata`. kCorruption naming the
  // column or constraint when an invariant's JSON or an expression does not parse.
  static Result<TableConstraints> Make(const columnar::SchemaPtr& schema, const Metadata& metadata);

  // OK when every row of `batch` (the table's logical columns, in schema order, with the
  // schema's types) satisfies every constraint. Otherwise kInvalidArgument:
  //   "NOT NULL constraint violated for column 'a.b' ..." /
  //   "CHECK constraint positive (x > 0) violated by row with values: x = -1" /
  //   "Invariant (x > 3) violated for column 'x' by row with values: x = 2".
  Status Check(const columnar::RecordBatch& batch) const;

  const std::vector<Constraint>& constraints() const { return constraints_; }
  bool empty() const { return constraints_.empty() && !has_not_null_; }

 private:
  columnar::SchemaPtr schema_;
  bool has_not_null_ = false;
  std::vector<Constraint> constraints_;
};

}  // namespace silt::delta
