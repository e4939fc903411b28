// Projection below the top level (ColumnSelection::fields): a subset of a struct's children,
// structs inside structs, lists and maps kept whole, absent fields, and equality with the
// whole column read and projected afterwards.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;
using col::Field;

// Rows cover: the struct null, the struct present with every child null, and values.
constexpr const char* kRows = R"j([
  {"id": 1, "add": {"path": "a", "stats": "{}", "dv": {"kind": "u", "size": 3},
                    "tags": {"k": "v"}, "parsed": {"min": {"x": 1}, "max": {"x": 9}},
                    "items": [{"x": 1, "y": "p"}, null]}},
  {"id": 2, "add": null},
  {"id": 3, "add": {"path": null, "stats": null, "dv": null, "tags": null, "parsed": null,
                    "items": null}},
  {"id": 4, "add": {"path": "d", "stats": null, "dv": {"kind": null, "size": null},
                    "tags": {}, "parsed": {"min": null, "max": {"x": null}},
                    "items": []}}
])j";

class NestedProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    col::TypePtr xy = col::Struct({Field("x", col::Int32()), Field("y", col::String())});
    schema_ = col::Schema::Make({
        Field("id", col::Int64()),
        Field("add",
              col::Struct({
                  Field("path", col::String()),
                  Field("stats", col::String()),
                  Field("dv",
                        col::Struct({Field("kind", col::String()), Field("size", col::Int32())})),
                  Field("tags", col::Map(col::String(), col::String())),
                  Field("parsed",
                        col::Struct({Field("min", col::Struct({Field("x", col::Int32())})),
                                     Field("max", col::Struct({Field("x", col::Int32())}))})),
                  Field("items", col::List(xy)),
              })),
    });
    ASSERT_OK_AND_ASSIGN(batch_, col::RecordBatchFromJson(schema_, kRows));
    ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs_, "n.parquet", schema_));
    ASSERT_OK(w->WriteBatch(*batch_));
    ASSERT_OK(w->Close());
  }

  // Reads column "add" with only `fields` below it.
  Result<col::ArrayPtr> ReadAdd(std::vector<std::vector<std::string>> fields) {
    ReadOptions options;
    ColumnSelection sel;
    sel.name = "add";
    sel.fields = std::move(fields);
    options.columns = std::vector<ColumnSelection>{sel};
    SILT_ASSIGN_OR_RETURN(auto batches, ReadTable(fs_, "n.parquet", options));
    if (batches.size() != 1) return Status::Internal("{} batches", batches.size());
    return batches[0]->column(0);
  }

  // The expected array: `json` rows of `type` (the full column projected by hand).
  col::ArrayPtr Expected(const col::TypePtr& type, const char* json) {
    auto b = col::RecordBatchFromJson(col::Schema::Make({Field("add", type)}), json);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? (*b)->column(0) : nullptr;
  }

  fs::MemoryFileSystem fs_;
  col::SchemaPtr schema_;
  col::RecordBatchPtr batch_;
};

TEST_F(NestedProjectionTest, SubsetOfChildrenKeepsTheStructsNulls) {
  // Requested out of file order: children come back in file order.
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr got, ReadAdd({{"stats"}, {"path"}}));
  col::TypePtr type = col::Struct({Field("path", col::String()), Field("stats", col::String())});
  EXPECT_EQ(got->type()->ToString(), type->ToString());
  // Row 2 is a null struct, row 3 a struct whose selected children are all null.
  col::ArrayPtr want = Expected(type, R"j([
    {"add": {"path": "a", "stats": "{}"}}, {"add": null},
    {"add": {"path": null, "stats": null}}, {"add": {"path": "d", "stats": null}}])j");
  ASSERT_NE(want, nullptr);
  EXPECT_TRUE(got->Equals(*want)) << got->ToString();
  EXPECT_TRUE(got->IsNull(1));
  EXPECT_TRUE(got->IsValid(2));
}

TEST_F(NestedProjectionTest, StructInsideStruct) {
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr got, ReadAdd({{"parsed", "max", "x"}, {"dv"}}));
  col::TypePtr type = col::Struct(
      {Field("dv", col::Struct({Field("kind", col::String()), Field("size", col::Int32())})),
       Field("parsed", col::Struct({Field("max", col::Struct({Field("x", col::Int32())}))}))});
  EXPECT_EQ(got->type()->ToString(), type->ToString());
  col::ArrayPtr want = Expected(type, R"j([
    {"add": {"dv": {"kind": "u", "size": 3}, "parsed": {"max": {"x": 9}}}},
    {"add": null},
    {"add": {"dv": null, "parsed": null}},
    {"add": {"dv": {"kind": null, "size": null}, "parsed": {"max": {"x": null}}}}])j");
  ASSERT_NE(want, nullptr);
  EXPECT_TRUE(got->Equals(*want)) << got->ToString();
}

TEST_F(NestedProjectionTest, ListsAndMapsAreReadWhole) {
  // A path into the list's element struct still reads the list with whole elements.
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr got, ReadAdd({{"items", "element", "x"}, {"tags"}}));
  const auto& add = *batch_->GetColumnByName("add");
  const auto& full = static_cast<const col::StructArray&>(add);
  col::TypePtr type = col::Struct({Field("tags", col::Map(col::String(), col::String())),
                                   Field("items", full.GetFieldByName("items")->type())});
  EXPECT_EQ(got->type()->ToString(), type->ToString());
  const auto& s = static_cast<const col::StructArray&>(*got);
  EXPECT_TRUE(s.field(0)->Equals(*full.GetFieldByName("tags")));
  EXPECT_TRUE(s.field(1)->Equals(*full.GetFieldByName("items")));
  // The struct's nulls come from the map's levels here (its first selected leaf).
  for (int64_t r = 0; r < full.length(); ++r) EXPECT_EQ(s.IsNull(r), full.IsNull(r)) << r;
}

TEST_F(NestedProjectionTest, EqualsTheWholeColumnProjectedAfterwards) {
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr got, ReadAdd({{"path"}, {"dv"}, {"tags"}, {"items"}}));
  const auto& full = static_cast<const col::StructArray&>(*batch_->GetColumnByName("add"));
  const auto& s = static_cast<const col::StructArray&>(*got);
  ASSERT_EQ(s.num_fields(), 4);
  const char* names[] = {"path", "dv", "tags", "items"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(s.field(i)->Equals(*full.GetFieldByName(names[i]))) << names[i];
  }
  for (int64_t r = 0; r < full.length(); ++r) EXPECT_EQ(s.IsNull(r), full.IsNull(r)) << r;
  // An empty path is the whole column.
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr whole, ReadAdd({{"path"}, {}}));
  EXPECT_TRUE(whole->Equals(full));
}

TEST_F(NestedProjectionTest, AbsentFieldsAreNotFound) {
  EXPECT_STATUS_CODE(kNotFound, ReadAdd({{"path"}, {"nope"}}));
  EXPECT_STATUS_CODE(kNotFound, ReadAdd({{"dv", "nope"}}));
}

TEST_F(NestedProjectionTest, FieldsOfALeafColumnSelectIt) {
  ReadOptions options;
  ColumnSelection sel;
  sel.name = "id";
  sel.fields = {{"anything"}};
  options.columns = std::vector<ColumnSelection>{sel};
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs_, "n.parquet", options));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_TRUE(batches[0]->column(0)->Equals(*batch_->GetColumnByName("id")));
}

}  // namespace
}  // namespace silt::parquet
