// The Parquet -> columnar type mapping for every physical, logical and converted type.
#include "silt/parquet/reader/schema_mapping.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::parquet::reader {
namespace {

SchemaElement Leaf(const std::string& name, PhysicalType type) {
  SchemaElement e;
  e.name = name;
  e.type = type;
  e.repetition_type = FieldRepetitionType::kOptional;
  return e;
}

SchemaElement WithConverted(SchemaElement e, ConvertedType ct) {
  e.converted_type = ct;
  return e;
}

SchemaElement WithLogical(SchemaElement e, LogicalType::Kind kind) {
  LogicalType lt;
  lt.kind = kind;
  e.logical_type = lt;
  return e;
}

TEST(SchemaMappingTest, EveryLeafType) {
  using PT = PhysicalType;
  using CT = ConvertedType;
  using LK = LogicalType::Kind;
  FileMetaData md;
  SchemaElement root;
  root.name = "schema";
  md.schema.push_back(root);
  auto add = [&](SchemaElement e) { md.schema.push_back(std::move(e)); };
  add(Leaf("bool", PT::kBoolean));
  add(Leaf("i32", PT::kInt32));
  add(Leaf("i64", PT::kInt64));
  add(Leaf("i96", PT::kInt96));
  add(Leaf("f", PT::kFloat));
  add(Leaf("d", PT::kDouble));
  add(Leaf("ba", PT::kByteArray));
  SchemaElement flba = Leaf("flba", PT::kFixedLenByteArray);
  flba.type_length = 3;
  add(flba);
  add(WithConverted(Leaf("utf8", PT::kByteArray), CT::kUtf8));
  add(WithConverted(Leaf("enum", PT::kByteArray), CT::kEnum));
  add(WithLogical(Leaf("json", PT::kByteArray), LK::kJson));
  SchemaElement uuid = WithLogical(Leaf("uuid", PT::kFixedLenByteArray), LK::kUuid);
  uuid.type_length = 16;
  add(uuid);
  add(WithConverted(Leaf("i8", PT::kInt32), CT::kInt8));
  add(WithConverted(Leaf("i16", PT::kInt32), CT::kInt16));
  add(WithConverted(Leaf("u8", PT::kInt32), CT::kUint8));
  add(WithConverted(Leaf("u16", PT::kInt32), CT::kUint16));
  add(WithConverted(Leaf("u32", PT::kInt32), CT::kUint32));
  add(WithConverted(Leaf("u64", PT::kInt64), CT::kUint64));
  add(WithConverted(Leaf("date", PT::kInt32), CT::kDate));
  add(WithConverted(Leaf("time_ms", PT::kInt32), CT::kTimeMillis));
  add(WithConverted(Leaf("ts_ms", PT::kInt64), CT::kTimestampMillis));
  SchemaElement ts_ns = WithLogical(Leaf("ts_ns_ntz", PT::kInt64), LK::kTimestamp);
  ts_ns.logical_type->unit = TimeUnit::kNanos;
  ts_ns.logical_type->is_adjusted_to_utc = false;
  ts_ns.converted_type = CT::kTimestampMicros;  // the logical type wins
  add(ts_ns);
  SchemaElement dec = WithConverted(Leaf("dec_flba", PT::kFixedLenByteArray), CT::kDecimal);
  dec.type_length = 9;
  dec.precision = 20;
  dec.scale = 4;
  add(dec);
  SchemaElement dec_ba = WithLogical(Leaf("dec_ba", PT::kByteArray), LK::kDecimal);
  dec_ba.logical_type->precision = 38;
  dec_ba.logical_type->scale = 0;
  add(dec_ba);
  SchemaElement half = WithLogical(Leaf("half", PT::kFixedLenByteArray), LK::kFloat16);
  half.type_length = 2;
  add(half);
  SchemaElement interval = WithConverted(Leaf("interval", PT::kFixedLenByteArray), CT::kInterval);
  interval.type_length = 12;
  add(interval);
  SchemaElement id = Leaf("with_id", PT::kInt64);
  id.field_id = 17;
  id.repetition_type = FieldRepetitionType::kRequired;
  add(id);
  md.schema[0].num_children = static_cast<int32_t>(md.schema.size() - 1);

  ASSERT_OK_AND_ASSIGN(ReaderSchema rs, MapSchema(md, "t.parquet"));
  EXPECT_EQ(rs.schema->ToString(),
            "struct<bool:boolean,i32:int,i64:bigint,i96:timestamp,f:float,d:double,ba:binary,"
            "flba:binary,utf8:string,enum:string,json:string,uuid:binary,i8:tinyint,"
            "i16:smallint,u8:smallint,u16:int,u32:bigint,u64:decimal(20,0),date:date,"
            "time_ms:bigint,ts_ms:timestamp,ts_ns_ntz:timestamp_ntz,dec_flba:decimal(20,4),"
            "dec_ba:decimal(38,0),half:float,interval:binary,with_id:bigint>");
  const columnar::Field& with_id = rs.schema->fields().back();
  EXPECT_FALSE(with_id.nullable());
  EXPECT_EQ(with_id.metadata().Get(kFieldIdKey), "17");
  EXPECT_EQ(rs.leaf_conversions[3], Conversion::kInt96ToMicros);
  EXPECT_EQ(rs.leaf_conversions[19], Conversion::kInt32MillisToMicros);
  EXPECT_EQ(rs.leaf_conversions[21], Conversion::kInt64NanosToMicros);
}

}  // namespace
}  // namespace silt::parquet::reader
