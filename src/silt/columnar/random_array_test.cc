// Randomized consistency checks across builders, slicing, concatenation, validation, equality,
// printing and the Arrow C Data Interface, over random nested types (fixed seeds).
#include <gtest/gtest.h>

#include <random>

#include "silt/columnar/arrow_c_data.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/concatenate.h"
#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "testing/status_matchers.h"

namespace silt::columnar {
namespace {

class RandomArrays {
 public:
  explicit RandomArrays(uint32_t seed) : rng_(seed) {}

  TypePtr RandomType(int depth) {
    int choice = Uniform(0, depth >= 3 ? 12 : 15);
    switch (choice) {
      case 0: return Boolean();
      case 1: return Int8();
      case 2: return Int16();
      case 3: return Int32();
      case 4: return Int64();
      case 5: return Float32();
      case 6: return Float64();
      case 7: return Decimal(Uniform(1, 38), 0 + Uniform(0, 1));
      case 8: return String();
      case 9: return Binary();
      case 10: return Date();
      case 11: return Timestamp();
      case 12: return TimestampNtz();
      case 13: {
        std::vector<Field> fields;
        int n = Uniform(1, 3);
        for (int i = 0; i < n; ++i) {
          fields.emplace_back("f" + std::to_string(i), RandomType(depth + 1), Uniform(0, 3) > 0);
        }
        return Struct(std::move(fields));
      }
      case 14: return List(RandomType(depth + 1), Uniform(0, 1) == 1);
      default: return Map(Uniform(0, 1) ? String() : Int32(), RandomType(depth + 1));
    }
  }

  // Appends one random value (or null, with probability ~1/5).
  Status AppendRandom(ArrayBuilder* builder) {
    const TypePtr& type = builder->type();
    if (Uniform(0, 4) == 0) return builder->AppendNull();
    switch (type->id()) {
      case TypeId::kBoolean: return static_cast<BooleanBuilder*>(builder)->Append(Uniform(0, 1));
      case TypeId::kInt8:
        return static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(Uniform(-128, 127)));
      case TypeId::kInt16:
        return static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(Uniform(-999, 999)));
      case TypeId::kInt32:
      case TypeId::kDate:
        return static_cast<Int32Builder*>(builder)->Append(Uniform(-100000, 100000));
      case TypeId::kInt64:
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        return static_cast<Int64Builder*>(builder)->Append(int64_t{Uniform(-1000000, 1000000)} *
                                                           1000003);
      case TypeId::kFloat32:
        return static_cast<Float32Builder*>(builder)->Append(Uniform(-1000, 1000) / 8.0f);
      case TypeId::kFloat64:
        return static_cast<Float64Builder*>(builder)->Append(Uniform(-1000, 1000) / 3.0);
      case TypeId::kDecimal: {
        int32_t precision = AsDecimal(*type).precision();
        int64_t limit = precision >= 9 ? 999999999 : 9;
        return static_cast<DecimalBuilder*>(builder)->Append(
            Decimal128(std::uniform_int_distribution<int64_t>(-limit, limit)(rng_)));
      }
      case TypeId::kString:
      case TypeId::kBinary:
        return static_cast<BinaryBuilder*>(builder)->Append(
            std::string(static_cast<size_t>(Uniform(0, 6)), static_cast<char>('a' + Uniform(0, 25))));
      case TypeId::kStruct: {
        auto* st = static_cast<StructBuilder*>(builder);
        for (int i = 0; i < st->num_fields(); ++i) {
          SILT_RETURN_NOT_OK(AppendRandom(st->field_builder(i)));
        }
        return st->Append();
      }
      case TypeId::kList: {
        auto* list = static_cast<ListBuilder*>(builder);
        SILT_RETURN_NOT_OK(list->Append());
        int n = Uniform(0, 3);
        for (int i = 0; i < n; ++i) SILT_RETURN_NOT_OK(AppendRandom(list->value_builder()));
        return Status::OK();
      }
      case TypeId::kMap: {
        auto* map = static_cast<MapBuilder*>(builder);
        SILT_RETURN_NOT_OK(map->Append());
        int n = Uniform(0, 3);
        for (int i = 0; i < n; ++i) {
          // Keys must not be null.
          if (map->key_builder()->type()->id() == TypeId::kString) {
            SILT_RETURN_NOT_OK(map->key_builder_as<StringBuilder>()->Append(std::to_string(i)));
          } else {
            SILT_RETURN_NOT_OK(map->key_builder_as<Int32Builder>()->Append(i));
          }
          SILT_RETURN_NOT_OK(AppendRandom(map->item_builder()));
        }
        return Status::OK();
      }
    }
    return Status::Internal("unreachable");
  }

  Result<ArrayPtr> RandomArray(const TypePtr& type, int64_t length) {
    SILT_ASSIGN_OR_RETURN(auto builder, MakeBuilder(type));
    for (int64_t i = 0; i < length; ++i) SILT_RETURN_NOT_OK(AppendRandom(builder.get()));
    return builder->Finish();
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937 rng_;
};

TEST(RandomArrayTest, SliceConcatenateExportImportAgree) {
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    RandomArrays random(seed);
    TypePtr type = random.RandomType(0);
    SCOPED_TRACE(fmt::format("seed {} type {}", seed, type->ToString()));
    int64_t length = random.Uniform(0, 60);
    ASSERT_OK_AND_ASSIGN(auto array, random.RandomArray(type, length));
    ASSERT_EQ(array->length(), length);
    ASSERT_OK(array->Validate());
    EXPECT_TRUE(array->Equals(*array->Slice(0)));

    // Printing and parsing back is lossless.
    ASSERT_OK_AND_ASSIGN(auto reparsed, ArrayFromJson(type, array->ToString()));
    EXPECT_TRUE(reparsed->Equals(*array)) << array->ToString();

    // Cut into random slices and glue them back together.
    std::vector<ArrayPtr> pieces;
    std::string printed = "[";
    for (int64_t pos = 0; pos < length;) {
      int64_t n = std::min<int64_t>(random.Uniform(0, 15), length - pos);
      ArrayPtr piece = array->Slice(pos, n);
      ASSERT_OK(piece->Validate());
      std::string text = piece->ToString();
      if (text.size() > 2) {
        if (printed.size() > 1) printed += ',';
        printed += text.substr(1, text.size() - 2);
      }
      pieces.push_back(std::move(piece));
      pos += n;
    }
    printed += ']';
    EXPECT_EQ(printed, array->ToString());
    if (!pieces.empty()) {
      ASSERT_OK_AND_ASSIGN(auto glued, Concatenate(pieces));
      ASSERT_OK(glued->Validate());
      EXPECT_TRUE(glued->Equals(*array));
      EXPECT_EQ(glued->ToString(), array->ToString());
    }

    // C Data round trip of a random slice.
    int64_t offset = length == 0 ? 0 : random.Uniform(0, static_cast<int>(length));
    ArrayPtr slice = array->Slice(offset, random.Uniform(0, 30));
    ArrowArray c_array;
    ArrowSchema c_schema;
    ASSERT_OK(ExportArray(slice, &c_array, &c_schema));
    ASSERT_OK_AND_ASSIGN(auto imported, ImportArray(&c_array, &c_schema));
    EXPECT_TRUE(imported->type()->Equals(*type));
    EXPECT_TRUE(imported->Equals(*slice));
    EXPECT_EQ(imported->ToString(), slice->ToString());

    // Repeat a value.
    if (length > 0) {
      int64_t index = random.Uniform(0, static_cast<int>(length - 1));
      ASSERT_OK_AND_ASSIGN(auto repeated, RepeatValue(*array, index, 3));
      for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(ValueToJson(*repeated, k), ValueToJson(*array, index));
      }
    }
  }
}

}  // namespace
}  // namespace silt::columnar
