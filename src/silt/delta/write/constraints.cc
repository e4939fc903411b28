#include "silt/delta/write/constraints.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "silt/delta/table/schema.h"
#include "silt/delta/write/batch_predicate.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

bool HasNotNull(const col::DataType& type) {
  switch (type.id()) {
    case col::TypeId::kStruct:
      for (const col::Field& f : col::AsStruct(type).fields()) {
        if (!f.nullable() || HasNotNull(*f.type())) return true;
      }
      return false;
    case col::TypeId::kList:
      return !col::AsList(type).contains_null() || HasNotNull(*col::AsList(type).element_type());
    case col::TypeId::kMap:
      return !col::AsMap(type).value_contains_null() ||
             HasNotNull(*col::AsMap(type).value_type()) || HasNotNull(*col::AsMap(type).key_type());
    default:
      return false;
  }
}

Status CollectInvariants(const col::Field& field, std::vector<std::string> path,
                         std::vector<Constraint>& out) {
  path.push_back(field.name());
  std::string dotted = fmt::format("{}", fmt::join(path, "."));
  SILT_ASSIGN_OR_RETURN(std::optional<std::string> text,
                        FieldMetadataString(field, kInvariantsKey));
  if (text.has_value()) {
    json::Parser parser;
    Result<json::Object> obj = parser.ParseObject(*text);
    Result<std::string> sql = [&]() -> Result<std::string> {
      SILT_RETURN_NOT_OK(obj.status());
      SILT_ASSIGN_OR_RETURN(json::Object inner, obj->GetObject("expression"));
      SILT_ASSIGN_OR_RETURN(std::string_view s, inner.GetString("expression"));
      return std::string(s);
    }();
    if (!sql.ok()) {
      return Status::Corruption("column '{}': malformed {} {}: {}", dotted, kInvariantsKey, *text,
                                sql.status().message());
    }
    Result<expr::ExprPtr> e = expr::Parse(*sql);
    if (!e.ok()) {
      return Status::Corruption("column '{}': invariant '{}' does not parse: {}", dotted, *sql,
                                e.status().message());
    }
    out.push_back({Constraint::Kind::kInvariant, dotted, *sql, *e});
  }
  if (field.type()->id() == col::TypeId::kStruct) {
    for (const col::Field& child : col::AsStruct(*field.type()).fields()) {
      SILT_RETURN_NOT_OK(CollectInvariants(child, path, out));
    }
  }
  return Status::OK();
}

}  // namespace

Result<TableConstraints> TableConstraints::Make(const col::SchemaPtr& schema,
                                                const Metadata& metadata) {
  TableConstraints out;
  out.schema_ = schema;
  for (const col::Field& f : schema->fields()) {
    if (!f.nullable() || HasNotNull(*f.type())) out.has_not_null_ = true;
    SILT_RETURN_NOT_OK(CollectInvariants(f, {}, out.constraints_));
  }
  for (const auto& [key, value] : metadata.configuration) {
    if (key.size() <= kConstraintPropertyPrefix.size() ||
        key.compare(0, kConstraintPropertyPrefix.size(), kConstraintPropertyPrefix) != 0) {
      continue;
    }
    std::string name = key.substr(kConstraintPropertyPrefix.size());
    Result<expr::ExprPtr> e = expr::Parse(value);
    if (!e.ok()) {
      return Status::Corruption("CHECK constraint {} '{}' does not parse: {}", name, value,
                                e.status().message());
    }
    out.constraints_.push_back({Constraint::Kind::kCheck, name, value, *e});
  }
  return out;
}

Status TableConstraints::Check(const col::RecordBatch& batch) const {
  if (has_not_null_) {
    for (int i = 0; i < schema_->num_fields() && i < batch.num_columns(); ++i) {
      Status st = col::ValidateNullability(*batch.column(i), schema_->field(i));
      if (!st.ok()) {
        return Status::InvalidArgument("NOT NULL constraint violated for column '{}': {}",
                                       schema_->field(i).name(), st.message());
      }
    }
  }
  for (const Constraint& c : constraints_) {
    Result<std::vector<Truth>> truth = EvaluateOnBatch(*c.expression, batch);
    if (!truth.ok()) {
      return Status::InvalidArgument(
          "{} {} ({}) cannot be evaluated: {}",
          c.kind == Constraint::Kind::kCheck ? "CHECK constraint" : "invariant of column", c.name,
          c.sql, truth.status().message());
    }
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      Truth t = (*truth)[row];
      bool fails =
          t == Truth::kFalse || (t == Truth::kNull && c.kind == Constraint::Kind::kInvariant);
      if (!fails) continue;
      std::string values = DescribeRow(*c.expression, batch, row);
      if (c.kind == Constraint::Kind::kCheck) {
        return Status::InvalidArgument("CHECK constraint {} ({}) violated by row with values: {}",
                                       c.name, c.sql, values);
      }
      return Status::InvalidArgument(
          "Invariant ({}) violated for column '{}' by row with values: {}", c.sql, c.name, values);
    }
  }
  return Status::OK();
}

}  // namespace silt::delta
