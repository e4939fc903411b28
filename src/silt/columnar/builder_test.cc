#include "silt/columnar/builder.h"

#include <gtest/gtest.h>

#include "silt/columnar/concatenate.h"
#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/columnar/record_batch.h"
#include "testing/status_matchers.h"

namespace silt::columnar {
namespace {

TEST(BuilderTest, PrimitiveTypes) {
  BooleanBuilder bools;
  ASSERT_OK(bools.Append(true));
  ASSERT_OK(bools.AppendNull());
  ASSERT_OK(bools.Append(false));
  ASSERT_OK_AND_ASSIGN(auto b, bools.Finish());
  EXPECT_EQ(b->ToString(), "[true,null,false]");
  EXPECT_EQ(bools.length(), 0);  // reset

  Int8Builder i8(Int8());
  ASSERT_OK(i8.Append(-128));
  ASSERT_OK(i8.Append(127));
  ASSERT_OK_AND_ASSIGN(auto a8, i8.Finish());
  EXPECT_EQ(a8->ToString(), "[-128,127]");

  Int16Builder i16(Int16());
  ASSERT_OK(i16.AppendNulls(2));
  ASSERT_OK(i16.Append(7));
  ASSERT_OK_AND_ASSIGN(auto a16, i16.Finish());
  EXPECT_EQ(a16->ToString(), "[null,null,7]");
  EXPECT_EQ(a16->null_count(), 2);

  Int32Builder i32(Int32());
  const int32_t values[] = {1, 2, 3, 4};
  const uint8_t valid[] = {1, 0, 1, 1};
  ASSERT_OK(i32.AppendValues(values, valid));
  ASSERT_OK(i32.AppendValues(values));
  ASSERT_OK_AND_ASSIGN(auto a32, i32.Finish());
  EXPECT_EQ(a32->ToString(), "[1,null,3,4,1,2,3,4]");

  Float32Builder f32(Float32());
  ASSERT_OK(f32.Append(1.5f));
  ASSERT_OK_AND_ASSIGN(auto af, f32.Finish());
  EXPECT_EQ(af->ToString(), "[1.5]");

  DateBuilder dates(Date());
  ASSERT_OK(dates.Append(19753));
  ASSERT_OK_AND_ASSIGN(auto ad, dates.Finish());
  EXPECT_EQ(*ad->type(), *Date());
  EXPECT_EQ(ad->ToString(), R"(["2024-01-31"])");

  TimestampBuilder ts(Timestamp());
  ASSERT_OK(ts.Append(1706702400000001));
  ASSERT_OK_AND_ASSIGN(auto ats, ts.Finish());
  EXPECT_EQ(ats->ToString(), R"(["2024-01-31T12:00:00.000001Z"])");
  TimestampBuilder ntz(TimestampNtz());
  ASSERT_OK(ntz.Append(0));
  ASSERT_OK_AND_ASSIGN(auto antz, ntz.Finish());
  EXPECT_EQ(antz->ToString(), R"(["1970-01-01T00:00:00.000000"])");

  DecimalBuilder dec(Decimal(5, 2));
  ASSERT_OK(dec.Append(Decimal128(-12345)));
  ASSERT_OK(dec.AppendNull());
  ASSERT_OK(dec.Append(Decimal128(1)));
  ASSERT_STATUS_CODE(kInvalidArgument, dec.Append(Decimal128(100000)));
  ASSERT_OK_AND_ASSIGN(auto adec, dec.Finish());
  EXPECT_EQ(adec->ToString(), "[-123.45,null,0.01]");
  EXPECT_EQ(ArrayCast<DecimalArray>(adec)->Value(0), Decimal128(-12345));

  BinaryBuilder bin(Binary());
  ASSERT_OK(bin.Append(std::string_view("\x00\x01\xff", 3)));
  ASSERT_OK(bin.Append(""));
  ASSERT_OK_AND_ASSIGN(auto abin, bin.Finish());
  EXPECT_EQ(abin->ToString(), R"(["AAH/",""])");
}

TEST(BuilderTest, AbsurdCountsAreErrors) {
  Int64Builder ints(Int64());
  ASSERT_STATUS_CODE(kResourceExhausted, ints.AppendNulls(int64_t{1} << 62));
  ASSERT_STATUS_CODE(kResourceExhausted, ints.Reserve(int64_t{1} << 62));
  ASSERT_STATUS_CODE(kInvalidArgument, ints.AppendNulls(-1));
  StringBuilder strings;
  ASSERT_STATUS_CODE(kResourceExhausted, strings.AppendNulls(int64_t{1} << 45));
  ASSERT_STATUS_CODE(kResourceExhausted, strings.ReserveData(int64_t{1} << 45));
  EXPECT_EQ(ints.length(), 0);
  EXPECT_EQ(strings.length(), 0);
}

TEST(BuilderTest, EmptyArrays) {
  for (const TypePtr& type : {Boolean(), Int64(), Decimal(3, 1), String(), List(Int32()),
                              Map(String(), String()), Struct({Field("a", Int32())})}) {
    ASSERT_OK_AND_ASSIGN(auto builder, MakeBuilder(type));
    ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
    EXPECT_EQ(array->length(), 0);
    EXPECT_EQ(*array->type(), *type);
    EXPECT_EQ(array->ToString(), "[]");
    ASSERT_OK(array->Validate());
  }
}

TEST(BuilderTest, ManyValuesGrow) {
  StringBuilder b;
  ASSERT_OK(b.Reserve(10));
  std::string expected;
  for (int i = 0; i < 10000; ++i) {
    if (i % 7 == 0) {
      ASSERT_OK(b.AppendNull());
    } else {
      ASSERT_OK(b.Append(std::to_string(i)));
    }
  }
  ASSERT_OK_AND_ASSIGN(auto array, b.Finish());
  auto strings = ArrayCast<StringArray>(array);
  EXPECT_EQ(strings->length(), 10000);
  EXPECT_EQ(strings->null_count(), 1429);
  EXPECT_EQ(strings->GetView(9999), "9999");
  EXPECT_TRUE(strings->IsNull(9996));
  ASSERT_OK(array->Validate());
}

TEST(BuilderTest, NestedStructListMap) {
  auto type = Struct({Field("id", Int64()),
                      Field("tags", List(String())),
                      Field("attrs", Map(String(), Int32()))});
  ASSERT_OK_AND_ASSIGN(auto builder, MakeBuilder(type));
  auto* st = static_cast<StructBuilder*>(builder.get());
  auto* id = st->field_builder_as<Int64Builder>(0);
  auto* tags = st->field_builder_as<ListBuilder>(1);
  auto* tag = tags->value_builder_as<StringBuilder>();
  auto* attrs = st->field_builder_as<MapBuilder>(2);

  // Row 0: full.
  ASSERT_OK(id->Append(1));
  ASSERT_OK(tags->Append());
  ASSERT_OK(tag->Append("a"));
  ASSERT_OK(tag->AppendNull());
  ASSERT_OK(attrs->Append());
  ASSERT_OK(attrs->key_builder_as<StringBuilder>()->Append("x"));
  ASSERT_OK(attrs->item_builder_as<Int32Builder>()->Append(10));
  ASSERT_OK(attrs->key_builder_as<StringBuilder>()->Append("y"));
  ASSERT_OK(attrs->item_builder_as<Int32Builder>()->AppendNull());
  ASSERT_OK(st->Append());
  // Row 1: null struct.
  ASSERT_OK(st->AppendNull());
  // Row 2: null and empty nested values.
  ASSERT_OK(id->AppendNull());
  ASSERT_OK(tags->AppendNull());
  ASSERT_OK(attrs->Append());
  ASSERT_OK(st->Append());

  ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
  ASSERT_OK(array->Validate());
  EXPECT_EQ(array->length(), 3);
  EXPECT_EQ(array->null_count(), 1);
  EXPECT_EQ(array->ToString(),
            R"([{"id":1,"tags":["a",null],"attrs":{"x":10,"y":null}},null,)"
            R"({"id":null,"tags":null,"attrs":{}}])");

  auto sliced = array->Slice(2);
  EXPECT_EQ(sliced->ToString(), R"([{"id":null,"tags":null,"attrs":{}}])");
}

TEST(BuilderTest, StructFieldLengthMismatchIsAnError) {
  auto type = Struct({Field("a", Int32()), Field("b", Int32())});
  ASSERT_OK_AND_ASSIGN(auto builder, MakeBuilder(type));
  auto* st = static_cast<StructBuilder*>(builder.get());
  ASSERT_OK(st->field_builder_as<Int32Builder>(0)->Append(1));
  ASSERT_OK(st->Append());
  ASSERT_STATUS_CODE(kInvalidArgument, builder->Finish());
  // The builder is reset and usable after the error.
  ASSERT_OK_AND_ASSIGN(auto empty, builder->Finish());
  EXPECT_EQ(empty->length(), 0);
}

TEST(BuilderTest, MapKeyValueMismatchIsAnError) {
  ASSERT_OK_AND_ASSIGN(auto builder, MakeBuilder(Map(Int32(), Int32())));
  auto* map = static_cast<MapBuilder*>(builder.get());
  ASSERT_OK(map->Append());
  ASSERT_OK(map->key_builder_as<Int32Builder>()->Append(1));
  ASSERT_STATUS_CODE(kInvalidArgument, map->Append());
}

TEST(BuilderTest, MapNullKeyIsAnError) {
  ASSERT_OK_AND_ASSIGN(auto builder, MakeBuilder(Map(String(), Int32())));
  auto* map = static_cast<MapBuilder*>(builder.get());
  ASSERT_OK(map->Append());
  ASSERT_OK(map->key_builder()->AppendNull());
  ASSERT_OK(map->item_builder_as<Int32Builder>()->Append(1));
  ASSERT_STATUS_CODE(kInvalidArgument, builder->Finish());
}

TEST(BuilderTest, MapWithNonStringKeysPrints) {
  ASSERT_OK_AND_ASSIGN(auto builder, MakeBuilder(Map(Int32(), List(Boolean()))));
  auto* map = static_cast<MapBuilder*>(builder.get());
  ASSERT_OK(map->Append());
  ASSERT_OK(map->key_builder_as<Int32Builder>()->Append(7));
  auto* list = map->item_builder_as<ListBuilder>();
  ASSERT_OK(list->Append());
  ASSERT_OK(list->value_builder_as<BooleanBuilder>()->Append(true));
  ASSERT_OK(map->AppendNull());
  ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
  EXPECT_EQ(array->ToString(), R"([{"7":[true]},null])");
}

TEST(BuilderTest, AppendArraySliceEveryType) {
  auto type = Struct({Field("b", Boolean()), Field("i", Int32()), Field("d", Decimal(10, 3)),
                      Field("s", String()), Field("l", List(Int64())),
                      Field("m", Map(String(), Float64()))});
  ASSERT_OK_AND_ASSIGN(auto builder, MakeBuilder(type));
  auto* st = static_cast<StructBuilder*>(builder.get());
  for (int row = 0; row < 20; ++row) {
    if (row % 5 == 3) {
      ASSERT_OK(st->AppendNull());
      continue;
    }
    ASSERT_OK(st->field_builder_as<BooleanBuilder>(0)->Append(row % 2 == 0));
    if (row % 4 == 1) {
      ASSERT_OK(st->field_builder(1)->AppendNull());
    } else {
      ASSERT_OK(st->field_builder_as<Int32Builder>(1)->Append(row));
    }
    ASSERT_OK(st->field_builder_as<DecimalBuilder>(2)->Append(Decimal128(row * 1001)));
    ASSERT_OK(st->field_builder_as<StringBuilder>(3)->Append(std::string(row, 'x')));
    auto* list = st->field_builder_as<ListBuilder>(4);
    ASSERT_OK(list->Append());
    for (int k = 0; k < row % 3; ++k) ASSERT_OK(list->value_builder_as<Int64Builder>()->Append(k));
    auto* map = st->field_builder_as<MapBuilder>(5);
    ASSERT_OK(map->Append());
    for (int k = 0; k < row % 2; ++k) {
      ASSERT_OK(map->key_builder_as<StringBuilder>()->Append("k" + std::to_string(k)));
      ASSERT_OK(map->item_builder_as<Float64Builder>()->Append(k + 0.5));
    }
    ASSERT_OK(st->Append());
  }
  ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
  ASSERT_OK(array->Validate());

  // Re-append an odd-offset slice, then the whole thing, and compare element-wise.
  ASSERT_OK(builder->AppendArraySlice(*array, 3, 11));
  ASSERT_OK(builder->AppendArray(*array->Slice(7)));
  ASSERT_OK_AND_ASSIGN(auto copy, builder->Finish());
  ASSERT_OK(copy->Validate());
  EXPECT_TRUE(copy->Slice(0, 11)->Equals(*array->Slice(3, 11)));
  EXPECT_TRUE(copy->Slice(11)->Equals(*array->Slice(7)));
  EXPECT_EQ(copy->Slice(0, 11)->ToString(), array->Slice(3, 11)->ToString());
  EXPECT_FALSE(copy->Slice(0, 11)->Equals(*array->Slice(4, 11)));

  // Wrong type and out-of-range slices.
  Int64Builder ints(Int64());
  ASSERT_STATUS_CODE(kInvalidArgument, ints.AppendArray(*array));
  ASSERT_STATUS_CODE(kInvalidArgument, builder->AppendArraySlice(*array, 15, 6));
  ASSERT_STATUS_CODE(kInvalidArgument, builder->AppendArraySlice(*array, -1, 2));
}

TEST(ConcatenateTest, ArraysAndBatches) {
  Int64Builder b(Int64());
  ASSERT_OK(b.Append(1));
  ASSERT_OK(b.AppendNull());
  ASSERT_OK_AND_ASSIGN(auto first, b.Finish());
  ASSERT_OK(b.Append(3));
  ASSERT_OK_AND_ASSIGN(auto second, b.Finish());
  std::vector<ArrayPtr> arrays = {first, second->Slice(0, 1), first->Slice(1)};
  ASSERT_OK_AND_ASSIGN(auto all, Concatenate(arrays));
  EXPECT_EQ(all->ToString(), "[1,null,3,null]");
  EXPECT_EQ(all->null_count(), 2);
  EXPECT_EQ(all->offset(), 0);

  std::vector<ArrayPtr> mixed = {first, all->Slice(0, 0), nullptr};
  ASSERT_STATUS_CODE(kInvalidArgument, Concatenate(mixed));
  StringBuilder s;
  ASSERT_OK(s.Append("x"));
  ASSERT_OK_AND_ASSIGN(auto strs, s.Finish());
  std::vector<ArrayPtr> wrong = {first, strs};
  ASSERT_STATUS_CODE(kInvalidArgument, Concatenate(wrong));
  ASSERT_STATUS_CODE(kInvalidArgument, Concatenate(std::span<const ArrayPtr>()));

  auto schema = Schema::Make({Field("n", Int64()), Field("s", String())});
  ASSERT_OK_AND_ASSIGN(auto batch, RecordBatch::Make(schema, 1, {second, strs}));
  std::vector<RecordBatchPtr> batches = {batch, batch, batch->Slice(1)};
  ASSERT_OK_AND_ASSIGN(auto merged, ConcatenateBatches(batches));
  EXPECT_EQ(merged->num_rows(), 2);
  EXPECT_EQ(merged->ToString(), "{\"n\":3,\"s\":\"x\"}\n{\"n\":3,\"s\":\"x\"}\n");
  auto other_schema = Schema::Make({Field("n", Int64()), Field("t", String())});
  ASSERT_OK_AND_ASSIGN(auto other, RecordBatch::Make(other_schema, 1, {second, strs}));
  std::vector<RecordBatchPtr> bad = {batch, other};
  ASSERT_STATUS_CODE(kInvalidArgument, ConcatenateBatches(bad));
}

TEST(RecordBatchTest, MakeChecksColumns) {
  auto schema = Schema::Make({Field("id", Int64(), false), Field("name", String())});
  Int64Builder ids(Int64());
  ASSERT_OK(ids.Append(1));
  ASSERT_OK(ids.Append(2));
  ASSERT_OK_AND_ASSIGN(auto id_col, ids.Finish());
  StringBuilder names;
  ASSERT_OK(names.Append("a"));
  ASSERT_OK(names.AppendNull());
  ASSERT_OK_AND_ASSIGN(auto name_col, names.Finish());

  ASSERT_OK_AND_ASSIGN(auto batch, RecordBatch::Make(schema, 2, {id_col, name_col}));
  EXPECT_EQ(batch->num_rows(), 2);
  EXPECT_EQ(batch->num_columns(), 2);
  EXPECT_EQ(batch->GetColumnByName("name")->ToString(), R"(["a",null])");
  EXPECT_EQ(batch->GetColumnByName("nope"), nullptr);
  EXPECT_EQ(batch->ToString(), "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":null}\n");
  ASSERT_OK(batch->Validate());

  auto slice = batch->Slice(1, 5);
  EXPECT_EQ(slice->num_rows(), 1);
  EXPECT_EQ(slice->ToString(), "{\"id\":2,\"name\":null}\n");

  ASSERT_STATUS_CODE(kInvalidArgument, RecordBatch::Make(schema, 3, {id_col, name_col}));
  ASSERT_STATUS_CODE(kInvalidArgument, RecordBatch::Make(schema, 2, {id_col}));
  ASSERT_STATUS_CODE(kInvalidArgument, RecordBatch::Make(schema, 2, {name_col, id_col}));
  // Non-nullable column with nulls.
  auto strict = Schema::Make({Field("id", Int64()), Field("name", String(), false)});
  ASSERT_STATUS_CODE(kInvalidArgument, RecordBatch::Make(strict, 2, {id_col, name_col}));

  // Struct array round trip.
  ASSERT_OK_AND_ASSIGN(auto as_struct, batch->ToStructArray());
  EXPECT_EQ(as_struct->ToString(), R"([{"id":1,"name":"a"},{"id":2,"name":null}])");
  ASSERT_OK_AND_ASSIGN(auto back, RecordBatch::FromStructArray(as_struct->Slice(1)));
  EXPECT_TRUE(back->Equals(*slice));
  ASSERT_OK_AND_ASSIGN(auto nulls, MakeArrayOfNulls(schema->ToStruct(), 1));
  ASSERT_STATUS_CODE(kInvalidArgument, RecordBatch::FromStructArray(nulls));
  ASSERT_STATUS_CODE(kInvalidArgument, RecordBatch::FromStructArray(id_col));
}

TEST(ConcatenateTest, RepeatValue) {
  StringBuilder b;
  ASSERT_OK(b.Append("x"));
  ASSERT_OK(b.AppendNull());
  ASSERT_OK_AND_ASSIGN(auto array, b.Finish());
  ASSERT_OK_AND_ASSIGN(auto xs, RepeatValue(*array, 0, 3));
  EXPECT_EQ(xs->ToString(), R"(["x","x","x"])");
  ASSERT_OK_AND_ASSIGN(auto nulls, RepeatValue(*array, 1, 2));
  EXPECT_EQ(nulls->ToString(), "[null,null]");
  EXPECT_EQ(*nulls->type(), *String());
  ASSERT_OK_AND_ASSIGN(auto none, RepeatValue(*array, 0, 0));
  EXPECT_EQ(none->length(), 0);
  ASSERT_STATUS_CODE(kInvalidArgument, RepeatValue(*array, 2, 1));
  ASSERT_STATUS_CODE(kInvalidArgument, RepeatValue(*array, 0, -1));
}

TEST(RecordBatchTest, SelectAddRemoveColumns) {
  auto schema = Schema::Make({Field("a", Int64()), Field("b", String())}, {{"k", "v"}});
  ASSERT_OK_AND_ASSIGN(auto builder, RecordBatchBuilder::Make(schema));
  ASSERT_OK(builder->GetFieldAs<Int64Builder>(0)->Append(1));
  ASSERT_OK(builder->GetFieldAs<StringBuilder>(1)->Append("x"));
  ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());

  ASSERT_OK_AND_ASSIGN(auto swapped, batch->SelectColumns({1, 0}));
  EXPECT_EQ(swapped->schema()->ToString(), "struct<b:string,a:bigint>");
  EXPECT_EQ(swapped->schema()->metadata().Get("k"), "v");
  EXPECT_EQ(swapped->column(1).get(), batch->column(0).get());
  ASSERT_STATUS_CODE(kInvalidArgument, batch->SelectColumns({2}));

  ASSERT_OK_AND_ASSIGN(auto only_b, batch->RemoveColumn(0));
  EXPECT_EQ(only_b->ToString(), "{\"b\":\"x\"}\n");
  ASSERT_STATUS_CODE(kInvalidArgument, batch->RemoveColumn(-1));

  ASSERT_OK_AND_ASSIGN(auto part, RepeatValue(*batch->column(1), 0, 1));
  ASSERT_OK_AND_ASSIGN(auto added, batch->AddColumn(2, Field("p", String()), part));
  EXPECT_EQ(added->ToString(), "{\"a\":1,\"b\":\"x\",\"p\":\"x\"}\n");
  ASSERT_STATUS_CODE(kInvalidArgument, batch->AddColumn(3, Field("p", String()), part));
  ASSERT_STATUS_CODE(kInvalidArgument, batch->AddColumn(0, Field("p", Int64()), part));
}

TEST(RecordBatchTest, WithSchemaRenamesZeroCopy) {
  auto physical = Schema::Make(
      {Field("col-1", Struct({Field("col-2", Int32())})),
       Field("col-3", Map(String(), Struct({Field("col-4", List(Decimal(5, 1)))})))});
  ASSERT_OK_AND_ASSIGN(auto batch, RecordBatchFromJson(physical, R"([
      {"col-1": {"col-2": 7}, "col-3": {"k": {"col-4": [1.5, null]}}},
      {"col-1": null, "col-3": null}])"));
  auto logical = Schema::Make(
      {Field("a", Struct({Field("b", Int32())}), true, {{"delta.columnMapping.id", "1"}}),
       Field("c", Map(String(), Struct({Field("d", List(Decimal(5, 1)))})))});
  ASSERT_OK_AND_ASSIGN(auto renamed, batch->WithSchema(logical));
  EXPECT_EQ(renamed->ToString(),
            "{\"a\":{\"b\":7},\"c\":{\"k\":{\"d\":[1.5,null]}}}\n{\"a\":null,\"c\":null}\n");
  EXPECT_EQ(renamed->schema()->field(0).metadata().Get("delta.columnMapping.id"), "1");
  // Zero-copy.
  auto before = ArrayCast<StructArray>(batch->column(0))->raw_field(0);
  auto after = ArrayCast<StructArray>(renamed->column(0))->raw_field(0);
  EXPECT_EQ(before->data()->buffers[1].get(), after->data()->buffers[1].get());
  ASSERT_OK(renamed->Validate());

  // Layout mismatches.
  auto wrong_type = Schema::Make({Field("a", Struct({Field("b", Int64())})), logical->field(1)});
  ASSERT_STATUS_CODE(kInvalidArgument, batch->WithSchema(wrong_type));
  auto wrong_decimal = Schema::Make(
      {logical->field(0), Field("c", Map(String(), Struct({Field("d", List(Decimal(6, 1)))})))});
  ASSERT_STATUS_CODE(kInvalidArgument, batch->WithSchema(wrong_decimal));
  auto wrong_arity = Schema::Make({Field("a", Struct({})), logical->field(1)});
  ASSERT_STATUS_CODE(kInvalidArgument, batch->WithSchema(wrong_arity));
  ASSERT_STATUS_CODE(kInvalidArgument, batch->WithSchema(Schema::Make({logical->field(0)})));
  // Top-level nullability is still enforced.
  auto strict = Schema::Make({logical->field(0).WithNullable(false), logical->field(1)});
  ASSERT_STATUS_CODE(kInvalidArgument, batch->WithSchema(strict));
}

TEST(RecordBatchTest, ValidateNullabilityNested) {
  auto loose = Schema::Make(
      {Field("s", Struct({Field("x", Int32()), Field("y", String())})),
       Field("l", List(Int64())), Field("m", Map(String(), Struct({Field("z", Int32())})))});
  auto strict = Schema::Make(
      {Field("s", Struct({Field("x", Int32(), false), Field("y", String())})),
       Field("l", List(Int64(), false)),
       Field("m", Map(String(), Struct({Field("z", Int32(), false)}), false))});
  auto check = [&](std::string_view json) {
    auto batch = RecordBatchFromJson(loose, json).ValueOrDie();
    return batch->WithSchema(strict).ValueOrDie()->ValidateNullability();
  };
  // Nulls under null parents are fine.
  ASSERT_OK(check(R"([{"s": {"x": 1}, "l": [1, 2], "m": {"a": {"z": 1}}},
                      {"s": null, "l": null, "m": null}])"));
  auto error = check(R"([{"s": {"x": 1}, "l": [], "m": {}}, {"s": {"y": "q"}, "l": [], "m": {}}])");
  EXPECT_EQ(error.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(error.message().find("'s.x'"), std::string::npos) << error;
  EXPECT_NE(error.message().find("row 1"), std::string::npos) << error;
  error = check(R"([{"s": null, "l": [1, null], "m": {}}])");
  EXPECT_NE(error.message().find("'l.element'"), std::string::npos) << error;
  error = check(R"([{"s": null, "l": [], "m": {"a": null}}])");
  EXPECT_NE(error.message().find("'m.value'"), std::string::npos) << error;
  error = check(R"([{"s": null, "l": [], "m": {"a": {}}}])");
  EXPECT_NE(error.message().find("'m.value.z'"), std::string::npos) << error;
  // Top level.
  auto top = Schema::Make({Field("a", Int32(), false)});
  ASSERT_OK_AND_ASSIGN(auto ints, ArrayFromJson(Int32(), "[1, null]"));
  ASSERT_STATUS_CODE(kInvalidArgument, ValidateNullability(*ints, top->field(0)));
  ASSERT_OK(ValidateNullability(*ints, top->field(0).WithNullable(true)));
  ASSERT_STATUS_CODE(kInvalidArgument, ValidateNullability(*ints, Field("a", Int64())));
}

TEST(RecordBatchTest, Builder) {
  auto schema = Schema::Make({Field("id", Int64()), Field("tags", List(String()))});
  ASSERT_OK_AND_ASSIGN(auto builder, RecordBatchBuilder::Make(schema));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(builder->GetFieldAs<Int64Builder>(0)->Append(i));
    auto* tags = builder->GetFieldAs<ListBuilder>(1);
    ASSERT_OK(tags->Append());
    ASSERT_OK(tags->value_builder_as<StringBuilder>()->Append("t" + std::to_string(i)));
  }
  ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());
  EXPECT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->ToString(),
            "{\"id\":0,\"tags\":[\"t0\"]}\n{\"id\":1,\"tags\":[\"t1\"]}\n"
            "{\"id\":2,\"tags\":[\"t2\"]}\n");
  // Uneven columns are an error, and the builder is reset.
  ASSERT_OK(builder->GetFieldAs<Int64Builder>(0)->Append(1));
  ASSERT_STATUS_CODE(kInvalidArgument, builder->Flush());
  ASSERT_OK_AND_ASSIGN(auto empty, builder->Flush());
  EXPECT_EQ(empty->num_rows(), 0);
}

}  // namespace
}  // namespace silt::columnar
