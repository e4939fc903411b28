#include "silt/columnar/arrow_c_data.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "silt/columnar/builder.h"
#include "silt/columnar/pretty.h"
#include "testing/status_matchers.h"

namespace silt::columnar {
namespace {

// Wraps an exported ArrowArray so that the test sees how often release is called.
struct CountingArray {
  ArrowArray inner;
  int* count;
};

void CountingRelease(ArrowArray* array) {
  auto* counting = static_cast<CountingArray*>(array->private_data);
  ++*counting->count;
  counting->inner.release(&counting->inner);
  delete counting;
  array->release = nullptr;
}

void WrapCounting(ArrowArray* array, int* count) {
  auto* counting = new CountingArray{*array, count};
  array->private_data = counting;
  array->release = &CountingRelease;
}

SchemaPtr AllTypesSchema() {
  return Schema::Make(
      {Field("b", Boolean()), Field("i8", Int8()), Field("i16", Int16()),
       Field("i32", Int32(), true, {{"delta.columnMapping.id", "3"}}),
       Field("i64", Int64(), false), Field("f32", Float32()), Field("f64", Float64()),
       Field("dec", Decimal(20, 4)), Field("s", String()), Field("bin", Binary()),
       Field("d", Date()), Field("ts", Timestamp()), Field("ntz", TimestampNtz()),
       Field("st", Struct({Field("x", Int32(), false), Field("y", List(String(), false))})),
       Field("l", List(Int64())),
       Field("m", Map(String(), Struct({Field("z", Float64())}), true)),
       Field("ml", List(Map(Int32(), String(), false)))},
      {{"delta.table", "{\"json\":true}"}, {"k2", "v2"}});
}

// A batch with every type, nulls in every nullable column, nested nulls and empty lists.
RecordBatchPtr AllTypesBatch(int rows) {
  auto schema = AllTypesSchema();
  auto builder = RecordBatchBuilder::Make(schema).ValueOrDie();
  for (int r = 0; r < rows; ++r) {
    bool null = r % 4 == 1;
    auto append = [&](int col, auto fn) {
      ArrayBuilder* b = builder->GetField(col);
      Status st = null && schema->field(col).nullable() ? b->AppendNull() : fn();
      EXPECT_OK(st);
    };
    append(0, [&] { return builder->GetFieldAs<BooleanBuilder>(0)->Append(r % 3 == 0); });
    append(1, [&] { return builder->GetFieldAs<Int8Builder>(1)->Append(static_cast<int8_t>(-r)); });
    append(2, [&] { return builder->GetFieldAs<Int16Builder>(2)->Append(static_cast<int16_t>(r * 300)); });
    append(3, [&] { return builder->GetFieldAs<Int32Builder>(3)->Append(r * 70000); });
    append(4, [&] { return builder->GetFieldAs<Int64Builder>(4)->Append(int64_t{r} << 40); });
    append(5, [&] { return builder->GetFieldAs<Float32Builder>(5)->Append(r * 0.5f); });
    append(6, [&] { return builder->GetFieldAs<Float64Builder>(6)->Append(r * -1.25); });
    append(7, [&] {
      return builder->GetFieldAs<DecimalBuilder>(7)->Append(Decimal128(-123456789012LL * r));
    });
    append(8, [&] { return builder->GetFieldAs<StringBuilder>(8)->Append("str" + std::to_string(r)); });
    append(9, [&] { return builder->GetFieldAs<BinaryBuilder>(9)->Append(std::string(r % 3, '\0')); });
    append(10, [&] { return builder->GetFieldAs<DateBuilder>(10)->Append(19000 + r); });
    append(11, [&] { return builder->GetFieldAs<TimestampBuilder>(11)->Append(1700000000000000 + r); });
    append(12, [&] { return builder->GetFieldAs<TimestampBuilder>(12)->Append(-r); });
    append(13, [&] {
      auto* st = builder->GetFieldAs<StructBuilder>(13);
      SILT_RETURN_NOT_OK(st->field_builder_as<Int32Builder>(0)->Append(r));
      auto* y = st->field_builder_as<ListBuilder>(1);
      SILT_RETURN_NOT_OK(y->Append());
      for (int k = 0; k < r % 3; ++k) {
        SILT_RETURN_NOT_OK(y->value_builder_as<StringBuilder>()->Append("y" + std::to_string(k)));
      }
      return st->Append();
    });
    append(14, [&] {
      auto* l = builder->GetFieldAs<ListBuilder>(14);
      SILT_RETURN_NOT_OK(l->Append());
      for (int k = 0; k < r % 4; ++k) {
        Status st = k == 1 ? l->value_builder()->AppendNull()
                           : l->value_builder_as<Int64Builder>()->Append(k);
        SILT_RETURN_NOT_OK(st);
      }
      return Status::OK();
    });
    append(15, [&] {
      auto* m = builder->GetFieldAs<MapBuilder>(15);
      SILT_RETURN_NOT_OK(m->Append());
      for (int k = 0; k < r % 3; ++k) {
        SILT_RETURN_NOT_OK(m->key_builder_as<StringBuilder>()->Append("k" + std::to_string(k)));
        auto* item = m->item_builder_as<StructBuilder>();
        if (k == 1) {
          SILT_RETURN_NOT_OK(item->AppendNull());
        } else {
          SILT_RETURN_NOT_OK(item->field_builder_as<Float64Builder>(0)->Append(k * 1.5));
          SILT_RETURN_NOT_OK(item->Append());
        }
      }
      return Status::OK();
    });
    append(16, [&] {
      auto* ml = builder->GetFieldAs<ListBuilder>(16);
      SILT_RETURN_NOT_OK(ml->Append());
      auto* m = ml->value_builder_as<MapBuilder>();
      SILT_RETURN_NOT_OK(m->Append());
      SILT_RETURN_NOT_OK(m->key_builder_as<Int32Builder>()->Append(r));
      SILT_RETURN_NOT_OK(m->item_builder_as<StringBuilder>()->Append("v"));
      return Status::OK();
    });
  }
  return builder->Flush().ValueOrDie();
}

TEST(ArrowCDataTest, SchemaFormatsAndFlags) {
  auto schema = AllTypesSchema();
  ArrowSchema c;
  ASSERT_OK(ExportSchema(*schema, &c));
  EXPECT_STREQ(c.format, "+s");
  EXPECT_EQ(c.flags, 0);
  ASSERT_EQ(c.n_children, schema->num_fields());
  const char* expected[] = {"b", "c", "s", "i", "l", "f", "g", "d:20,4", "u", "z", "tdD",
                            "tsu:UTC", "tsu:", "+s", "+l", "+m", "+l"};
  for (int i = 0; i < schema->num_fields(); ++i) {
    EXPECT_STREQ(c.children[i]->format, expected[i]) << i;
    EXPECT_STREQ(c.children[i]->name, schema->field(i).name().c_str());
    EXPECT_EQ(c.children[i]->flags & ARROW_FLAG_NULLABLE,
              schema->field(i).nullable() ? ARROW_FLAG_NULLABLE : 0);
    EXPECT_EQ(c.children[i]->dictionary, nullptr);
  }
  // Field metadata: int32 count, then (int32 length, bytes) for each key and value.
  const char* md = c.children[3]->metadata;
  ASSERT_NE(md, nullptr);
  int32_t n, key_len;
  std::memcpy(&n, md, 4);
  std::memcpy(&key_len, md + 4, 4);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(std::string(md + 8, key_len), "delta.columnMapping.id");
  EXPECT_EQ(c.children[0]->metadata, nullptr);
  // Map: one non-nullable "+s" child with key (non-nullable) and value.
  const ArrowSchema* map = c.children[15];
  ASSERT_EQ(map->n_children, 1);
  EXPECT_STREQ(map->children[0]->format, "+s");
  EXPECT_EQ(map->children[0]->flags & ARROW_FLAG_NULLABLE, 0);
  ASSERT_EQ(map->children[0]->n_children, 2);
  EXPECT_STREQ(map->children[0]->children[0]->name, "key");
  EXPECT_EQ(map->children[0]->children[0]->flags & ARROW_FLAG_NULLABLE, 0);
  EXPECT_STREQ(map->children[0]->children[1]->name, "value");
  EXPECT_EQ(map->children[0]->children[1]->flags & ARROW_FLAG_NULLABLE, ARROW_FLAG_NULLABLE);
  EXPECT_STREQ(map->children[0]->children[1]->format, "+s");
  // List child.
  const ArrowSchema* y = c.children[13]->children[1];
  EXPECT_STREQ(y->format, "+l");
  EXPECT_EQ(y->children[0]->flags & ARROW_FLAG_NULLABLE, 0);  // contains_null = false

  ASSERT_OK_AND_ASSIGN(auto back, ImportSchema(&c));
  EXPECT_EQ(c.release, nullptr);
  EXPECT_TRUE(back->Equals(*schema, /*check_metadata=*/true)) << back->ToString();
  EXPECT_EQ(back->metadata().Get("delta.table"), "{\"json\":true}");
}

TEST(ArrowCDataTest, RoundTripEveryTypeZeroCopy) {
  auto batch = AllTypesBatch(23);
  ASSERT_OK(batch->Validate());
  ArrowArray c_array;
  ArrowSchema c_schema;
  ASSERT_OK(ExportRecordBatch(*batch, &c_array, &c_schema));
  EXPECT_EQ(c_array.length, 23);
  EXPECT_EQ(c_array.n_children, batch->num_columns());
  EXPECT_EQ(c_array.n_buffers, 1);

  int releases = 0;
  WrapCounting(&c_array, &releases);
  {
    ASSERT_OK_AND_ASSIGN(auto imported, ImportRecordBatch(&c_array, &c_schema));
    EXPECT_EQ(c_array.release, nullptr);
    EXPECT_EQ(c_schema.release, nullptr);
    EXPECT_EQ(releases, 0);
    EXPECT_TRUE(imported->Equals(*batch));
    EXPECT_TRUE(imported->schema()->Equals(*batch->schema(), /*check_metadata=*/true));
    EXPECT_EQ(imported->ToString(), batch->ToString());
    // Zero-copy: the imported column reads the exporter's memory.
    auto original = ArrayCast<Int64Array>(batch->column(4));
    auto copy = ArrayCast<Int64Array>(imported->column(4));
    EXPECT_EQ(copy->raw_values(), original->raw_values());
    EXPECT_EQ(ArrayCast<StringArray>(imported->column(8))->raw_data(),
              ArrayCast<StringArray>(batch->column(8))->raw_data());
    // Slices of the import keep it alive after the batch itself is gone.
    auto kept = imported->column(15)->Slice(2, 5);
    imported.reset();
    EXPECT_EQ(releases, 0);
    EXPECT_TRUE(kept->Equals(*batch->column(15)->Slice(2, 5)));
  }
  EXPECT_EQ(releases, 1);
}

TEST(ArrowCDataTest, RoundTripSlicedArrays) {
  auto batch = AllTypesBatch(40);
  for (int col = 0; col < batch->num_columns(); ++col) {
    for (auto [offset, length] : {std::pair<int64_t, int64_t>{3, 17}, {1, 0}, {39, 1}, {0, 40}}) {
      ArrayPtr slice = batch->column(col)->Slice(offset, length);
      ArrowArray c_array;
      ArrowSchema c_schema;
      ASSERT_OK(ExportArray(slice, &c_array, &c_schema));
      EXPECT_EQ(c_array.offset, offset);
      EXPECT_EQ(c_array.length, length);
      EXPECT_EQ(c_array.null_count, slice->null_count());
      int releases = 0;
      WrapCounting(&c_array, &releases);
      ASSERT_OK_AND_ASSIGN(auto imported, ImportArray(&c_array, &c_schema));
      EXPECT_TRUE(imported->Equals(*slice)) << batch->schema()->field(col).ToString() << " ["
                                            << offset << ", +" << length << ")";
      EXPECT_EQ(imported->offset(), offset);
      imported.reset();
      EXPECT_EQ(releases, 1);
    }
  }
  // A sliced record batch exports its columns with their offsets.
  auto sliced = batch->Slice(5, 10);
  ArrowArray c_array;
  ArrowSchema c_schema;
  ASSERT_OK(ExportRecordBatch(*sliced, &c_array, &c_schema));
  EXPECT_EQ(c_array.children[0]->offset, 5);
  ASSERT_OK_AND_ASSIGN(auto back, ImportRecordBatch(&c_array, &c_schema));
  EXPECT_TRUE(back->Equals(*sliced));
}

TEST(ArrowCDataTest, ExportKeepsDataAliveUntilRelease) {
  std::weak_ptr<const ArrayData> weak;
  ArrowArray c_array;
  {
    Int64Builder b(Int64());
    ASSERT_OK(b.Append(42));
    ASSERT_OK_AND_ASSIGN(auto array, b.Finish());
    weak = array->data();
    ASSERT_OK(ExportArray(array, &c_array));
  }
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(static_cast<const int64_t*>(c_array.buffers[1])[0], 42);
  EXPECT_EQ(c_array.buffers[0], nullptr);  // no nulls: bitmap omitted
  c_array.release(&c_array);
  EXPECT_EQ(c_array.release, nullptr);
  EXPECT_TRUE(weak.expired());
}

TEST(ArrowCDataTest, MovedChildrenAreReleasedByTheirNewOwner) {
  auto batch = AllTypesBatch(5);
  ArrowArray c_array;
  ASSERT_OK(ExportRecordBatch(*batch, &c_array));
  // The consumer moves child 8 out; the parent's release must skip it.
  ArrowArray moved = *c_array.children[8];
  c_array.children[8]->release = nullptr;
  c_array.release(&c_array);
  ASSERT_OK_AND_ASSIGN(auto strings, ImportArray(&moved, String()));
  EXPECT_TRUE(strings->Equals(*batch->column(8)));
}

TEST(ArrowCDataTest, ImportTypeFormats) {
  struct Case {
    const char* format;
    StatusCode code;
    std::string type;
  };
  const Case cases[] = {
      {"b", StatusCode::kOk, "boolean"},
      {"d:38,38", StatusCode::kOk, "decimal(38,38)"},
      {"d:10,2,128", StatusCode::kOk, "decimal(10,2)"},
      {"tsu:America/New_York", StatusCode::kOk, "timestamp"},
      {"tsu:", StatusCode::kOk, "timestamp_ntz"},
      {"d:39,2", StatusCode::kInvalidArgument, ""},
      {"d:0,0", StatusCode::kInvalidArgument, ""},
      {"d:10", StatusCode::kInvalidArgument, ""},
      {"d:10,x", StatusCode::kInvalidArgument, ""},
      {"d:10,2,100", StatusCode::kInvalidArgument, ""},
      {"d:10,2,256", StatusCode::kUnsupported, ""},
      {"d:10,-2", StatusCode::kUnsupported, ""},
      {"", StatusCode::kInvalidArgument, ""},
      {"xyz", StatusCode::kInvalidArgument, ""},
      {"tsx:", StatusCode::kInvalidArgument, ""},
      {"U", StatusCode::kUnsupported, ""},
      {"n", StatusCode::kUnsupported, ""},
      {"tsn:UTC", StatusCode::kUnsupported, ""},
      {"w:16", StatusCode::kUnsupported, ""},
      {"+L", StatusCode::kUnsupported, ""},
  };
  for (const Case& tc : cases) {
    ArrowSchema c;
    ASSERT_OK(ExportType(*Int32(), &c));
    c.format = tc.format;  // release frees the exporter's own strings, not this one
    auto result = ImportType(&c);
    EXPECT_EQ(c.release, nullptr);
    EXPECT_EQ(result.status().code(), tc.code) << tc.format << ": " << result.status();
    if (result.ok()) {
      EXPECT_EQ((*result)->ToString(), tc.type);
    }
  }
}

TEST(ArrowCDataTest, ImportRejectsMalformedSchemas) {
  // Wrong child counts.
  ArrowSchema c;
  ASSERT_OK(ExportType(*List(Int32()), &c));
  int64_t saved = c.n_children;
  c.n_children = 0;
  Status st = ImportType(&c).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st;
  (void)saved;

  ASSERT_OK(ExportType(*Int32(), &c));
  c.format = "+m";
  ASSERT_STATUS_CODE(kInvalidArgument, ImportType(&c));

  ASSERT_OK(ExportType(*Map(Int32(), Int32()), &c));
  c.children[0]->format = "+l";
  ASSERT_STATUS_CODE(kInvalidArgument, ImportType(&c));

  ASSERT_OK(ExportType(*Struct({Field("a", Int32())}), &c));
  c.children[0]->format = "l";
  c.children[0]->n_children = 1;  // a primitive with a child
  ASSERT_STATUS_CODE(kInvalidArgument, ImportType(&c));

  ASSERT_OK(ExportType(*Int32(), &c));
  c.format = nullptr;
  ASSERT_STATUS_CODE(kInvalidArgument, ImportType(&c));

  ASSERT_OK(ExportSchema(*Schema::Make({Field("a", Int32())}), &c));
  c.children[0]->release(c.children[0]);  // a released child
  ASSERT_STATUS_CODE(kInvalidArgument, ImportSchema(&c));

  ASSERT_OK(ExportType(*Int32(), &c));
  ASSERT_STATUS_CODE(kInvalidArgument, ImportSchema(&c));  // not a struct
  ASSERT_STATUS_CODE(kInvalidArgument, ImportSchema(&c));  // already released
  ASSERT_STATUS_CODE(kInvalidArgument, ImportSchema(nullptr));

  ArrowSchema dict;
  ArrowSchema value_type;
  ASSERT_OK(ExportType(*Int32(), &dict));
  ASSERT_OK(ExportType(*String(), &value_type));
  dict.dictionary = &value_type;
  ASSERT_STATUS_CODE(kUnsupported, ImportType(&dict));
  value_type.release(&value_type);
}

// Exports a valid array, lets `corrupt` damage the C struct, and checks the import fails with
// kInvalidArgument and releases the struct exactly once.
template <typename Fn>
void ExpectImportRejects(const ArrayPtr& array, Fn corrupt, const std::string& what) {
  ArrowArray c;
  ASSERT_OK(ExportArray(array, &c));
  int releases = 0;
  WrapCounting(&c, &releases);
  corrupt(&c);
  auto result = ImportArray(&c, array->type());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << what << ": "
                                                                  << result.status();
  EXPECT_EQ(c.release, nullptr) << what;
  EXPECT_EQ(releases, 1) << what;
}

TEST(ArrowCDataTest, ImportRejectsMalformedArrays) {
  StringBuilder sb;
  ASSERT_OK(sb.Append("abc"));
  ASSERT_OK(sb.AppendNull());
  ASSERT_OK(sb.Append("de"));
  ASSERT_OK_AND_ASSIGN(auto strings, sb.Finish());
  auto batch = AllTypesBatch(8);

  ExpectImportRejects(strings, [](ArrowArray* c) { c->n_buffers = 2; }, "buffer count");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->buffers[1] = nullptr; }, "null offsets");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->buffers[2] = nullptr; }, "null data");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->buffers[0] = nullptr; }, "null validity");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->length = -1; }, "negative length");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->offset = -3; }, "negative offset");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->null_count = 5; }, "null count > length");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->null_count = 0; }, "wrong null count");
  ExpectImportRejects(strings, [](ArrowArray* c) { c->n_children = 1; }, "children on string");
  ExpectImportRejects(
      strings, [](ArrowArray* c) { c->length = std::numeric_limits<int64_t>::max(); }, "huge");
  ExpectImportRejects(batch->column(4), [](ArrowArray* c) { c->buffers[1] = nullptr; },
                      "null values");
  ExpectImportRejects(batch->column(13), [](ArrowArray* c) { c->n_children = 1; },
                      "struct child count");
  ExpectImportRejects(batch->column(13), [](ArrowArray* c) { c->children[0] = nullptr; },
                      "null child");
  ExpectImportRejects(batch->column(13), [](ArrowArray* c) { c->children[0]->length = 2; },
                      "short struct child");
  ExpectImportRejects(batch->column(14), [](ArrowArray* c) { c->children[0]->length = 0; },
                      "list child shorter than offsets");
  ExpectImportRejects(batch->column(15), [](ArrowArray* c) { c->children[0]->n_children = 1; },
                      "map entries child count");

  // Hand-made buffers: decreasing offsets and invalid UTF-8.
  static const int32_t kBadOffsets[] = {0, 3, 1, 4};
  static const int32_t kGoodOffsets[] = {0, 1, 2, 4};
  static const char kData[] = "ab\xff\xfe";
  for (const int32_t* offsets : {kBadOffsets, kGoodOffsets}) {
    const void* buffers[] = {nullptr, offsets, kData};
    ArrowArray c{};
    c.length = 3;
    c.null_count = 0;
    c.n_buffers = 3;
    c.buffers = buffers;
    static int releases;
    releases = 0;
    c.release = [](ArrowArray* a) {
      ++releases;
      a->release = nullptr;
    };
    ASSERT_STATUS_CODE(kInvalidArgument, ImportArray(&c, String()));
    EXPECT_EQ(releases, 1);
  }
  ASSERT_STATUS_CODE(kInvalidArgument, ImportArray(nullptr, String()));
}

TEST(ArrowCDataTest, ImportAcceptsNullBuffersForEmptyArrays) {
  const void* buffers[] = {nullptr, nullptr, nullptr};
  ArrowArray c{};
  c.length = 0;
  c.null_count = 0;
  c.n_buffers = 3;
  c.buffers = buffers;
  c.release = [](ArrowArray* a) { a->release = nullptr; };
  ASSERT_OK_AND_ASSIGN(auto empty, ImportArray(&c, String()));
  EXPECT_EQ(empty->length(), 0);

  // Unknown null count (-1) is computed from the bitmap.
  static const uint8_t kValidity[] = {0b101};
  static const int64_t kValues[] = {1, 2, 3};
  const void* int_buffers[] = {kValidity, kValues};
  ArrowArray ints{};
  ints.length = 3;
  ints.null_count = -1;
  ints.n_buffers = 2;
  ints.buffers = int_buffers;
  ints.release = [](ArrowArray* a) { a->release = nullptr; };
  ASSERT_OK_AND_ASSIGN(auto array, ImportArray(&ints, Int64()));
  EXPECT_EQ(array->null_count(), 1);
  EXPECT_EQ(array->ToString(), "[1,null,3]");
}

TEST(ArrowCDataTest, MisalignedBuffersAreCopied) {
  alignas(8) static uint8_t storage[8 * 4 + 1];
  int64_t values[] = {10, 20, 30};
  std::memcpy(storage + 1, values, sizeof(values));
  const void* buffers[] = {nullptr, storage + 1};
  ArrowArray c{};
  c.length = 3;
  c.null_count = 0;
  c.n_buffers = 2;
  c.buffers = buffers;
  c.release = [](ArrowArray* a) { a->release = nullptr; };
  ASSERT_OK_AND_ASSIGN(auto array, ImportArray(&c, Int64()));
  EXPECT_EQ(array->ToString(), "[10,20,30]");
  EXPECT_NE(reinterpret_cast<const uint8_t*>(ArrayCast<Int64Array>(array)->raw_values()),
            storage + 1);
}

TEST(ArrowCDataTest, ImportRecordBatchRejectsTopLevelNulls) {
  auto schema = Schema::Make({Field("a", Int32())});
  ASSERT_OK_AND_ASSIGN(auto nulls, MakeArrayOfNulls(schema->ToStruct(), 2));
  ArrowArray c;
  ASSERT_OK(ExportArray(nulls, &c));
  int releases = 0;
  WrapCounting(&c, &releases);
  ASSERT_STATUS_CODE(kInvalidArgument, ImportRecordBatch(&c, schema));
  EXPECT_EQ(releases, 1);
  // A bad schema still releases the array.
  ASSERT_OK(ExportArray(nulls, &c));
  releases = 0;
  WrapCounting(&c, &releases);
  ArrowSchema bad;
  ASSERT_OK(ExportType(*Int32(), &bad));
  ASSERT_STATUS_CODE(kInvalidArgument, ImportRecordBatch(&c, &bad));
  EXPECT_EQ(releases, 1);
  EXPECT_EQ(bad.release, nullptr);
}

}  // namespace
}  // namespace silt::columnar
