#include "silt/delta/table/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;
namespace col = ::silt::columnar;

// A Spark-written schema with column mapping, nested types and every primitive.
constexpr std::string_view kSparkSchema =
    R"j({"type":"struct","fields":[)j"
    R"j({"name":"id","type":"long","nullable":false,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-5f422f40"}},)j"
    R"j({"name":"price","type":"decimal(10,2)","nullable":true,"metadata":{"comment":"in \"EUR\""}},)j"
    R"j({"name":"tags","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}},)j"
    R"j({"name":"attrs","type":{"type":"map","keyType":"string","valueType":{"type":"struct","fields":[{"name":"x","type":"integer","nullable":true,"metadata":{}}]},"valueContainsNull":false},"nullable":true,"metadata":{}},)j"
    R"j({"name":"prims","type":{"type":"struct","fields":[)j"
    R"j({"name":"b","type":"boolean","nullable":true,"metadata":{}},)j"
    R"j({"name":"i8","type":"byte","nullable":true,"metadata":{}},)j"
    R"j({"name":"i16","type":"short","nullable":true,"metadata":{}},)j"
    R"j({"name":"f","type":"float","nullable":true,"metadata":{}},)j"
    R"j({"name":"d","type":"double","nullable":true,"metadata":{}},)j"
    R"j({"name":"bin","type":"binary","nullable":true,"metadata":{}},)j"
    R"j({"name":"day","type":"date","nullable":true,"metadata":{}},)j"
    R"j({"name":"ts","type":"timestamp","nullable":true,"metadata":{}},)j"
    R"j({"name":"ntz","type":"timestamp_ntz","nullable":true,"metadata":{"delta.typeChanges":[{"fromType":"date","toType":"timestamp_ntz"}]}}]},)j"
    R"j("nullable":true,"metadata":{}}]})j";

TEST(SchemaTest, ParsesSparkSchemas) {
  ASSERT_OK_AND_ASSIGN(col::SchemaPtr schema, ParseSchemaString(kSparkSchema));
  ASSERT_EQ(schema->num_fields(), 5);
  const col::Field& id = schema->field(0);
  EXPECT_EQ(id.name(), "id");
  EXPECT_EQ(id.type()->id(), col::TypeId::kInt64);
  EXPECT_FALSE(id.nullable());
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> cm_id, FieldMetadataInt(id, "delta.columnMapping.id"));
  EXPECT_EQ(cm_id, std::optional<int64_t>(1));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> physical,
                       FieldMetadataString(id, "delta.columnMapping.physicalName"));
  EXPECT_EQ(physical, std::optional<std::string>("col-5f422f40"));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> absent, FieldMetadataString(id, "comment"));
  EXPECT_FALSE(absent.has_value());
  ASSERT_STATUS_CODE(kCorruption, FieldMetadataString(id, "delta.columnMapping.id"));
  ASSERT_STATUS_CODE(kCorruption, FieldMetadataInt(id, "delta.columnMapping.physicalName"));

  const col::Field& price = schema->field(1);
  EXPECT_EQ(price.type()->ToString(), "decimal(10,2)");
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> comment, FieldMetadataString(price, "comment"));
  EXPECT_EQ(comment, std::optional<std::string>("in \"EUR\""));

  EXPECT_EQ(schema->field(2).type()->ToString(), "array<string>");
  EXPECT_EQ(schema->field(3).type()->ToString(), "map<string,struct<x:int>>");
  EXPECT_FALSE(col::AsMap(*schema->field(3).type()).value_contains_null());
  EXPECT_EQ(schema->field(4).type()->ToString(),
            "struct<b:boolean,i8:tinyint,i16:smallint,f:float,d:double,bin:binary,day:date,"
            "ts:timestamp,ntz:timestamp_ntz>");
}

TEST(SchemaTest, WritesBackExactly) {
  ASSERT_OK_AND_ASSIGN(col::SchemaPtr schema, ParseSchemaString(kSparkSchema));
  EXPECT_EQ(SchemaToJson(*schema), kSparkSchema);
}

TEST(SchemaTest, BuiltSchemasSerializeAsSparkDoes) {
  col::Schema schema({col::Field("a", col::Int32(), false),
                      col::Field("b", col::List(col::Decimal(38, 18), false), true,
                                 {{"delta.columnMapping.id", "7"}, {"comment", "not json"}})});
  EXPECT_EQ(SchemaToJson(schema),
            R"j({"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{}},)j"
            R"j({"name":"b","type":{"type":"array","elementType":"decimal(38,18)","containsNull":false},)j"
            R"j("nullable":true,"metadata":{"delta.columnMapping.id":7,"comment":"not json"}}]})j");
  EXPECT_EQ(TypeToJson(*col::Map(col::String(), col::Int64(), true)),
            R"j({"type":"map","keyType":"string","valueType":"long","valueContainsNull":true})j");
  EXPECT_EQ(TypeToJson(*col::Int16()), R"j("short")j");
}

TEST(SchemaTest, EmptySchemaString) {
  ASSERT_OK_AND_ASSIGN(col::SchemaPtr schema, ParseSchemaString(""));
  EXPECT_EQ(schema->num_fields(), 0);
  ASSERT_OK_AND_ASSIGN(col::SchemaPtr empty, ParseSchemaString(R"j({"type":"struct","fields":[]})j"));
  EXPECT_EQ(empty->num_fields(), 0);
}

TEST(SchemaTest, LenientDefaults) {
  ASSERT_OK_AND_ASSIGN(
      col::SchemaPtr schema,
      ParseSchemaString(R"j({"type":"struct","fields":[{"name":"a","type":{"type":"array","elementType":"long"}}]})j"));
  EXPECT_TRUE(schema->field(0).nullable());
  EXPECT_TRUE(col::AsList(*schema->field(0).type()).contains_null());
  // Spark accepts spaces inside decimal(p, s).
  ASSERT_OK_AND_ASSIGN(
      col::SchemaPtr spaced,
      ParseSchemaString(R"j({"type":"struct","fields":[{"name":"d","type":"decimal(5, 1)","nullable":true,"metadata":{}}]})j"));
  EXPECT_EQ(spaced->field(0).type()->ToString(), "decimal(5,1)");
}

TEST(SchemaTest, MalformedSchemasAreCorruption) {
  struct Case {
    std::string_view schema;
    std::string_view message;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"{", "schemaString: invalid JSON"},
           {R"j({"type":"array","elementType":"long"})j",
            "schemaString: the top-level type is 'array', expected 'struct'"},
           {R"j({"type":"struct"})j", "schemaString: fields: required field is missing"},
           {R"j({"type":"struct","fields":{}})j",
            "schemaString: fields: expected an array, got object"},
           {R"j({"type":"struct","fields":[{"type":"long"}]})j",
            "schemaString: fields[0].name: required field is missing"},
           {R"j({"type":"struct","fields":[{"name":"a"}]})j",
            "schemaString: fields[0].type: required field is missing (column 'a')"},
           {R"j({"type":"struct","fields":[{"name":"a","type":7}]})j",
            "schemaString: fields[0].type: expected an object, got integer"},
           {R"j({"type":"struct","fields":[{"name":"a","type":"long","nullable":"yes"}]})j",
            "schemaString: fields[0].nullable: expected a boolean, got string"},
           {R"j({"type":"struct","fields":[{"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"decimal(40,2)"}]}}]})j",
            "schemaString: fields[0].type.fields[0].type: "},
           {R"j({"type":"struct","fields":[{"name":"m","type":{"type":"map","keyType":"string"}}]})j",
            "schemaString: fields[0].type.valueType: required field is missing"},
       }) {
    Result<col::SchemaPtr> r = ParseSchemaString(c.schema);
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_THAT(r.error().message(), HasSubstr(c.message)) << c.schema;
  }
}

TEST(SchemaTest, UnknownTypesAreUnsupportedNamingTheColumn) {
  Result<col::SchemaPtr> variant = ParseSchemaString(
      R"j({"type":"struct","fields":[{"name":"s","type":{"type":"struct","fields":[{"name":"v","type":"variant","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]})j");
  ASSERT_STATUS_CODE(kUnsupported, variant);
  EXPECT_THAT(variant.error().message(), HasSubstr("column 's.v' has type 'variant'"));
  Result<col::SchemaPtr> udt = ParseSchemaString(
      R"j({"type":"struct","fields":[{"name":"a","type":{"type":"array","elementType":{"type":"udt","class":"x"}}}]})j");
  ASSERT_STATUS_CODE(kUnsupported, udt);
  EXPECT_THAT(udt.error().message(), HasSubstr("column 'a.element' has type 'udt'"));
}

}  // namespace
}  // namespace silt::delta
