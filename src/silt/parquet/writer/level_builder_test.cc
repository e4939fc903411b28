// Level shredding checked against the hand-worked examples of parquet-format's nested encoding
// (digest §6.1-6.5).
#include "silt/parquet/writer/level_builder.h"

#include <gtest/gtest.h>

#include "silt/columnar/builder.h"
#include "testing/status_matchers.h"

namespace silt::parquet::writer {
namespace {

namespace col = silt::columnar;
using Levels = std::vector<int16_t>;

struct Shredded {
  Levels def;
  Levels rep;
  std::vector<std::string> values;  // leaf values rendered with Array::ToString of a slice
};

Shredded Shred(const col::Field& field, const col::ArrayPtr& array, size_t leaf_index) {
  auto schema = col::Schema::Make({field});
  WriterSchema ws = ToParquetSchema(*schema).ValueOrDie();
  ShredScratch scratch;
  LeafLevels out;
  Status st = ShredLeaf(ws.leaves.at(leaf_index), array, &scratch, &out);
  EXPECT_TRUE(st.ok()) << st;
  Shredded s;
  s.def = out.def;
  s.rep = out.rep;
  if (!out.def.empty()) {
    EXPECT_EQ(out.num_levels, static_cast<int64_t>(out.def.size()));
  }
  if (!out.rep.empty()) {
    EXPECT_EQ(out.num_levels, static_cast<int64_t>(out.rep.size()));
  }
  for (int64_t k = 0; k < out.num_values; ++k) {
    const int64_t i = out.dense ? out.dense_begin + k : out.value_indices[k];
    s.values.push_back(out.leaf->Slice(i, 1)->ToString());
  }
  return s;
}

TEST(LevelBuilderTest, FlatOptional) {
  col::Int32Builder b(col::Int32());
  ASSERT_OK(b.Append(1));
  ASSERT_OK(b.AppendNull());
  ASSERT_OK(b.Append(3));
  ASSERT_OK_AND_ASSIGN(auto array, b.Finish());
  Shredded s = Shred(col::Field("a", col::Int32()), array, 0);
  EXPECT_EQ(s.def, (Levels{1, 0, 1}));
  EXPECT_TRUE(s.rep.empty());
  EXPECT_EQ(s.values, (std::vector<std::string>{"[1]", "[3]"}));

  // Required: no levels at all, every value stored.
  Shredded r = Shred(col::Field("a", col::Int32(), false), array->Slice(0, 1), 0);
  EXPECT_TRUE(r.def.empty());
  EXPECT_EQ(r.values, (std::vector<std::string>{"[1]"}));
}

TEST(LevelBuilderTest, Struct) {
  auto type = col::Struct({col::Field("x", col::Int32(), false), col::Field("y", col::String())});
  ASSERT_OK_AND_ASSIGN(auto builder, col::MakeBuilder(type));
  auto* sb = static_cast<col::StructBuilder*>(builder.get());
  auto* x = sb->field_builder_as<col::Int32Builder>(0);
  auto* y = sb->field_builder_as<col::StringBuilder>(1);
  ASSERT_OK(x->Append(1));
  ASSERT_OK(y->Append("a"));
  ASSERT_OK(sb->Append());
  ASSERT_OK(sb->AppendNull());
  ASSERT_OK(x->Append(2));
  ASSERT_OK(y->AppendNull());
  ASSERT_OK(sb->Append());
  ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
  col::Field field("s", type);
  Shredded sx = Shred(field, array, 0);
  EXPECT_EQ(sx.def, (Levels{1, 0, 1}));
  EXPECT_EQ(sx.values, (std::vector<std::string>{"[1]", "[2]"}));
  Shredded sy = Shred(field, array, 1);
  EXPECT_EQ(sy.def, (Levels{2, 0, 1}));
  EXPECT_EQ(sy.values, (std::vector<std::string>{"[\"a\"]"}));

  // A slice keeps the struct's children aligned.
  Shredded sliced = Shred(field, array->Slice(1, 2), 0);
  EXPECT_EQ(sliced.def, (Levels{0, 1}));
  EXPECT_EQ(sliced.values, (std::vector<std::string>{"[2]"}));
}

TEST(LevelBuilderTest, List) {
  auto type = col::List(col::String(), true);
  ASSERT_OK_AND_ASSIGN(auto builder, col::MakeBuilder(type));
  auto* lb = static_cast<col::ListBuilder*>(builder.get());
  auto* vb = lb->value_builder_as<col::StringBuilder>();
  ASSERT_OK(lb->Append());
  ASSERT_OK(vb->Append("a"));
  ASSERT_OK(vb->Append("b"));
  ASSERT_OK(lb->Append(false));
  ASSERT_OK(lb->Append());
  ASSERT_OK(lb->Append());
  ASSERT_OK(vb->AppendNull());
  ASSERT_OK(vb->Append("c"));
  ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
  Shredded s = Shred(col::Field("tags", type), array, 0);
  EXPECT_EQ(s.rep, (Levels{0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(s.def, (Levels{3, 3, 0, 1, 2, 3}));
  EXPECT_EQ(s.values, (std::vector<std::string>{"[\"a\"]", "[\"b\"]", "[\"c\"]"}));

  Shredded tail = Shred(col::Field("tags", type), array->Slice(2), 0);
  EXPECT_EQ(tail.rep, (Levels{0, 0, 1}));
  EXPECT_EQ(tail.def, (Levels{1, 2, 3}));
  EXPECT_EQ(tail.values, (std::vector<std::string>{"[\"c\"]"}));
}

TEST(LevelBuilderTest, Map) {
  auto type = col::Map(col::String(), col::Int32(), true);
  ASSERT_OK_AND_ASSIGN(auto builder, col::MakeBuilder(type));
  auto* mb = static_cast<col::MapBuilder*>(builder.get());
  auto* kb = mb->key_builder_as<col::StringBuilder>();
  auto* ib = mb->item_builder_as<col::Int32Builder>();
  ASSERT_OK(mb->Append());
  ASSERT_OK(kb->Append("a"));
  ASSERT_OK(ib->Append(1));
  ASSERT_OK(kb->Append("b"));
  ASSERT_OK(ib->AppendNull());
  ASSERT_OK(mb->Append(false));
  ASSERT_OK(mb->Append());
  ASSERT_OK(mb->Append());
  ASSERT_OK(kb->Append("c"));
  ASSERT_OK(ib->Append(3));
  ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
  col::Field field("m", type);
  Shredded key = Shred(field, array, 0);
  EXPECT_EQ(key.rep, (Levels{0, 1, 0, 0, 0}));
  EXPECT_EQ(key.def, (Levels{2, 2, 0, 1, 2}));
  EXPECT_EQ(key.values, (std::vector<std::string>{"[\"a\"]", "[\"b\"]", "[\"c\"]"}));
  Shredded value = Shred(field, array, 1);
  EXPECT_EQ(value.rep, (Levels{0, 1, 0, 0, 0}));
  EXPECT_EQ(value.def, (Levels{3, 2, 0, 1, 3}));
  EXPECT_EQ(value.values, (std::vector<std::string>{"[1]", "[3]"}));
}

TEST(LevelBuilderTest, ListOfLists) {
  auto inner = col::List(col::Int32(), true);
  auto type = col::List(inner, true);
  ASSERT_OK_AND_ASSIGN(auto builder, col::MakeBuilder(type));
  auto* outer_b = static_cast<col::ListBuilder*>(builder.get());
  auto* inner_b = outer_b->value_builder_as<col::ListBuilder>();
  auto* vb = inner_b->value_builder_as<col::Int32Builder>();
  // [[1,2],[3]]
  ASSERT_OK(outer_b->Append());
  ASSERT_OK(inner_b->Append());
  ASSERT_OK(vb->Append(1));
  ASSERT_OK(vb->Append(2));
  ASSERT_OK(inner_b->Append());
  ASSERT_OK(vb->Append(3));
  // [[], null]
  ASSERT_OK(outer_b->Append());
  ASSERT_OK(inner_b->Append());
  ASSERT_OK(inner_b->Append(false));
  // []
  ASSERT_OK(outer_b->Append());
  // null
  ASSERT_OK(outer_b->Append(false));
  ASSERT_OK_AND_ASSIGN(auto array, builder->Finish());
  Shredded s = Shred(col::Field("ll", type), array, 0);
  EXPECT_EQ(s.rep, (Levels{0, 2, 1, 0, 1, 0, 0}));
  EXPECT_EQ(s.def, (Levels{5, 5, 5, 3, 2, 1, 0}));
  EXPECT_EQ(s.values, (std::vector<std::string>{"[1]", "[2]", "[3]"}));
}

}  // namespace
}  // namespace silt::parquet::writer
