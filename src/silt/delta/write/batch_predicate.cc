#include "silt/delta/write/batch_predicate.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "silt/delta/scan/values.h"
#include "silt/delta/table/field_lookup.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

// The arrays along a column path, top-level first.
Result<std::vector<col::ArrayPtr>> Chain(const col::RecordBatch& batch,
                                         const std::vector<std::string>& path) {
  int top = ResolveFieldIndex(batch.schema()->fields(), path[0]);
  if (top < 0) {
    return Status::InvalidArgument("column {} is not in the schema {}", fmt::join(path, "."),
                                   batch.schema()->ToString());
  }
  std::vector<col::ArrayPtr> chain{batch.column(top)};
  for (size_t k = 1; k < path.size(); ++k) {
    const col::ArrayPtr& parent = chain.back();
    int i = parent->type_id() == col::TypeId::kStruct
                ? ResolveFieldIndex(col::AsStruct(*parent->type()).fields(), path[k])
                : -1;
    if (i < 0) {
      return Status::InvalidArgument("column {} is not in the schema {}", fmt::join(path, "."),
                                     batch.schema()->ToString());
    }
    chain.push_back(static_cast<const col::StructArray&>(*parent).field(i));
  }
  return chain;
}

struct Resolved {
  std::vector<std::vector<std::string>> paths;
  std::vector<std::vector<col::ArrayPtr>> chains;

  Result<expr::Value> Get(const std::vector<std::string>& path, int64_t row) const {
    for (size_t i = 0; i < paths.size(); ++i) {
      if (paths[i] != path) continue;
      for (const col::ArrayPtr& a : chains[i]) {
        if (a->IsNull(row)) return expr::Value::Null();
      }
      return ValueFromArray(*chains[i].back(), row);
    }
    return Status::NotFound("column {} not found", fmt::join(path, "."));
  }
};

Result<Resolved> Resolve(const expr::Expr& e, const col::RecordBatch& batch) {
  Resolved r;
  r.paths = e.ReferencedColumns();
  for (const auto& path : r.paths) {
    SILT_ASSIGN_OR_RETURN(auto chain, Chain(batch, path));
    r.chains.push_back(std::move(chain));
  }
  return r;
}

}  // namespace

Result<std::vector<Truth>> EvaluateOnBatch(const expr::Expr& predicate,
                                           const col::RecordBatch& batch) {
  SILT_ASSIGN_OR_RETURN(Resolved resolved, Resolve(predicate, batch));
  std::vector<Truth> out(static_cast<size_t>(batch.num_rows()));
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    SILT_ASSIGN_OR_RETURN(expr::Value v,
                          expr::Evaluate(predicate, [&](const std::vector<std::string>& path) {
                            return resolved.Get(path, row);
                          }));
    if (v.is_null()) {
      out[row] = Truth::kNull;
    } else if (v.kind() == expr::ValueKind::kBoolean) {
      out[row] = v.bool_value() ? Truth::kTrue : Truth::kFalse;
    } else {
      return Status::InvalidArgument("expression {} is not a predicate: it yields {}",
                                     predicate.ToString(), v.ToString());
    }
  }
  return out;
}

std::string DescribeRow(const expr::Expr& e, const col::RecordBatch& batch, int64_t row) {
  Result<Resolved> resolved = Resolve(e, batch);
  if (!resolved.ok()) return "?";
  std::vector<std::string> parts;
  for (const auto& path : resolved->paths) {
    Result<expr::Value> v = resolved->Get(path, row);
    parts.push_back(
        fmt::format("{} = {}", fmt::join(path, "."), v.ok() ? v->ToString() : std::string("?")));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace silt::delta
