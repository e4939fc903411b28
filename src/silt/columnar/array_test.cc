#include "silt/columnar/array.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "silt/columnar/builder.h"
#include "silt/columnar/pretty.h"
#include "testing/status_matchers.h"

namespace silt::columnar {
namespace {

ArrayPtr Int64s(std::initializer_list<std::optional<int64_t>> values, TypePtr type = Int64()) {
  Int64Builder b(std::move(type));
  for (const auto& v : values) {
    Status st = v ? b.Append(*v) : b.AppendNull();
    EXPECT_OK(st);
  }
  return b.Finish().ValueOrDie();
}

ArrayPtr Strings(std::initializer_list<std::optional<std::string_view>> values) {
  StringBuilder b;
  for (const auto& v : values) {
    Status st = v ? b.Append(*v) : b.AppendNull();
    EXPECT_OK(st);
  }
  return b.Finish().ValueOrDie();
}

TEST(BufferTest, AllocateIsAlignedAndPadded) {
  ASSERT_OK_AND_ASSIGN(auto buf, MutableBuffer::Allocate(10));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buf->data()) % kBufferAlignment, 0u);
  EXPECT_EQ(buf->size(), 10);
  EXPECT_EQ(buf->capacity(), 64);
  for (int64_t i = 10; i < 64; ++i) EXPECT_EQ(buf->data()[i], 0);
  ASSERT_OK(buf->Resize(100));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buf->data()) % kBufferAlignment, 0u);
  EXPECT_GE(buf->capacity(), 100);
  ASSERT_OK_AND_ASSIGN(auto empty, MutableBuffer::Allocate(0));
  EXPECT_NE(empty->data(), nullptr);
  ASSERT_STATUS_CODE(kInvalidArgument, MutableBuffer::Allocate(-1));
  ASSERT_STATUS_CODE(kResourceExhausted, MutableBuffer::Allocate(int64_t{1} << 50));
  ASSERT_STATUS_CODE(kResourceExhausted, buf->Reserve(int64_t{1} << 50));
  ASSERT_STATUS_CODE(kInvalidArgument, buf->Resize(-5));
}

TEST(BufferTest, SliceAndWrapKeepOwnerAlive) {
  auto owner = std::make_shared<std::string>("hello world");
  BufferPtr wrapped = Buffer::Wrap(owner->data(), 11, owner);
  std::weak_ptr<std::string> weak = owner;
  owner.reset();
  EXPECT_FALSE(weak.expired());
  BufferPtr slice = Buffer::Slice(wrapped, 6, 5);
  wrapped.reset();
  EXPECT_EQ(slice->view(), "world");
  slice.reset();
  EXPECT_TRUE(weak.expired());
}

TEST(BufferTest, ZerosAreZeroAlignedAndShared) {
  for (int64_t size : {int64_t{0}, int64_t{1}, int64_t{100}, int64_t{8} << 20,
                       (int64_t{8} << 20) + 1}) {
    SCOPED_TRACE(size);
    ASSERT_OK_AND_ASSIGN(BufferPtr zeros, Buffer::Zeros(size));
    ASSERT_EQ(zeros->size(), size);
    ASSERT_NE(zeros->data(), nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(zeros->data()) % kBufferAlignment, 0u);
    for (int64_t i = 0; i < size; i += 4093) ASSERT_EQ(zeros->data()[i], 0);
    if (size > 0) {
      EXPECT_EQ(zeros->data()[size - 1], 0);
    }
  }
  // Small ones are views of the same bytes; larger ones are allocated apart.
  ASSERT_OK_AND_ASSIGN(BufferPtr a, Buffer::Zeros(64));
  ASSERT_OK_AND_ASSIGN(BufferPtr b, Buffer::Zeros(4096));
  EXPECT_EQ(a->data(), b->data());
  ASSERT_OK_AND_ASSIGN(BufferPtr big, Buffer::Zeros((int64_t{8} << 20) + 1));
  EXPECT_NE(big->data(), a->data());
  ASSERT_STATUS_CODE(kInvalidArgument, Buffer::Zeros(-1));
  ASSERT_STATUS_CODE(kResourceExhausted, Buffer::Zeros(int64_t{1} << 50));
}

TEST(BitUtilTest, CountSetAndCopy) {
  uint8_t bits[20] = {};
  bit_util::SetBitsTo(bits, 3, 100, true);
  EXPECT_EQ(bit_util::CountSetBits(bits, 0, 160), 100);
  EXPECT_EQ(bit_util::CountSetBits(bits, 5, 10), 10);
  EXPECT_EQ(bit_util::CountSetBits(bits, 100, 10), 3);
  uint8_t dst[20] = {};
  bit_util::CopyBitmap(bits, 3, 100, dst, 1);
  EXPECT_EQ(bit_util::CountSetBits(dst, 1, 100), 100);
  EXPECT_FALSE(bit_util::GetBit(dst, 0));
  EXPECT_FALSE(bit_util::GetBit(dst, 101));
}

TEST(ArrayTest, Int64ValuesNullsAndSlice) {
  auto array = Int64s({1, std::nullopt, 3, 4, std::nullopt});
  ASSERT_EQ(array->length(), 5);
  EXPECT_EQ(array->null_count(), 2);
  auto ints = ArrayCast<Int64Array>(array);
  EXPECT_EQ(ints->Value(0), 1);
  EXPECT_TRUE(ints->IsNull(1));
  EXPECT_EQ(ints->Value(3), 4);
  EXPECT_EQ(array->ToString(), "[1,null,3,4,null]");

  auto slice = ArrayCast<Int64Array>(array->Slice(2, 3));
  EXPECT_EQ(slice->offset(), 2);
  EXPECT_EQ(slice->length(), 3);
  EXPECT_EQ(slice->null_count(), 1);
  EXPECT_EQ(slice->Value(0), 3);
  EXPECT_EQ(slice->values()[1], 4);
  EXPECT_TRUE(slice->IsNull(2));
  // Zero-copy: the same values buffer.
  EXPECT_EQ(slice->data()->buffers[1].get(), array->data()->buffers[1].get());
  // Clamped.
  EXPECT_EQ(array->Slice(4, 100)->length(), 1);
  EXPECT_EQ(array->Slice(10)->length(), 0);
  EXPECT_EQ(array->Slice(1, 2)->Slice(1)->ToString(), "[3]");
  ASSERT_OK(slice->Validate());
}

TEST(ArrayTest, DecoderStyleZeroCopyWrap) {
  // A decoder allocates the values buffer, writes into it, and wraps it.
  constexpr int64_t n = 1000;
  ASSERT_OK_AND_ASSIGN(auto values, MutableBuffer::Allocate(n * sizeof(double)));
  double* out = values->mutable_data_as<double>();
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<double>(i) / 2;
  ASSERT_OK_AND_ASSIGN(auto validity, MutableBuffer::Allocate(bit_util::BytesForBits(n), true));
  for (int64_t i = 0; i < n; i += 2) bit_util::SetBit(validity->mutable_data(), i);
  const uint8_t* raw = values->data();
  ASSERT_OK_AND_ASSIGN(auto array, MakeFixedWidthArray(Float64(), n, values, validity));
  EXPECT_EQ(array->null_count(), n / 2);
  auto doubles = ArrayCast<Float64Array>(array);
  EXPECT_EQ(reinterpret_cast<const uint8_t*>(doubles->raw_values()), raw);
  EXPECT_EQ(doubles->Value(998), 499.0);
  EXPECT_TRUE(doubles->IsNull(999));
  ASSERT_OK(array->Validate());
}

TEST(ArrayTest, MakeArrayRejectsBadStructure) {
  ASSERT_OK_AND_ASSIGN(auto small, MutableBuffer::Allocate(8 * 3));
  // Values buffer too small for the length.
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(Int64(), 4, small));
  // ... or for offset + length.
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(Int64(), 3, small, nullptr, 0, 1));
  // Missing values buffer.
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(Int64(), 1, nullptr));
  // Negative length, null_count without a bitmap, wrong type for the helper.
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(Int64(), -1, small));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(Int64(), 3, small, nullptr, 1));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(String(), 3, small));
  // Validity too short.
  ASSERT_OK_AND_ASSIGN(auto tiny, MutableBuffer::Allocate(0));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(Int64(), 3, small, tiny));
  // Misaligned values.
  BufferPtr misaligned = Buffer::Slice(small, 1, 16);
  ASSERT_STATUS_CODE(kInvalidArgument, MakeFixedWidthArray(Int64(), 2, misaligned));
  // Wrong buffer count through MakeArray.
  auto data = std::make_shared<ArrayData>();
  data->type = Int64();
  data->length = 1;
  data->buffers = {nullptr};
  ASSERT_STATUS_CODE(kInvalidArgument, MakeArray(data));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeArray(nullptr));
}

BufferPtr Offsets(std::vector<int32_t> offsets) {
  return Buffer::CopyOf(offsets.data(), static_cast<int64_t>(offsets.size() * 4)).ValueOrDie();
}

TEST(ArrayTest, BinaryOffsetsAreChecked) {
  BufferPtr data = Buffer::CopyOf("abcdef", 6).ValueOrDie();
  ASSERT_OK_AND_ASSIGN(auto good, MakeBinaryArray(String(), 3, Offsets({0, 1, 3, 6}), data));
  EXPECT_EQ(good->ToString(), "[\"a\",\"bc\",\"def\"]");
  auto strings = ArrayCast<StringArray>(good);
  EXPECT_EQ(strings->GetView(2), "def");
  EXPECT_EQ(strings->value_length(1), 2);
  // Decreasing, negative, past the end, too few offsets.
  ASSERT_STATUS_CODE(kInvalidArgument, MakeBinaryArray(String(), 3, Offsets({0, 3, 1, 6}), data));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeBinaryArray(String(), 3, Offsets({-1, 1, 3, 6}), data));
  {
    // Offsets are checked in blocks: a decrease inside a full block and in the short last one
    // are both found, at their element.
    const std::string bytes(400, 'x');
    BufferPtr long_data = Buffer::CopyOf(bytes.data(), 400).ValueOrDie();
    std::vector<int32_t> rising(201);
    for (int32_t i = 0; i <= 200; ++i) rising[static_cast<size_t>(i)] = 2 * i;
    ASSERT_OK(MakeBinaryArray(String(), 200, Offsets(rising), long_data).status());
    for (int at : {130, 199}) {
      std::vector<int32_t> bad = rising;
      bad[static_cast<size_t>(at) + 1] = bad[static_cast<size_t>(at)] - 1;
      auto made = MakeBinaryArray(String(), 200, Offsets(bad), long_data);
      ASSERT_STATUS_CODE(kInvalidArgument, made.status());
      EXPECT_NE(made.status().message().find(fmt::format("offsets decrease at element {} ", at)),
                std::string::npos)
          << made.status();
    }
  }
  ASSERT_STATUS_CODE(kInvalidArgument, MakeBinaryArray(String(), 3, Offsets({0, 1, 3, 7}), data));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeBinaryArray(String(), 3, Offsets({0, 1, 3}), data));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeBinaryArray(String(), 3, Offsets({0, 1, 3, 6}), nullptr));
  // A sliced view starting at a non-zero offset.
  ASSERT_OK_AND_ASSIGN(auto sliced,
                       MakeBinaryArray(Binary(), 2, Offsets({0, 1, 3, 6}), data, nullptr, 0, 1));
  EXPECT_EQ(ArrayCast<BinaryArray>(sliced)->GetView(0), "bc");
  EXPECT_EQ(sliced->ToString(), "[\"YmM=\",\"ZGVm\"]");
}

TEST(ArrayTest, ValidateChecksContent) {
  // Invalid UTF-8 in a string array, fine in a binary one.
  BufferPtr data = Buffer::CopyOf("a\xff", 2).ValueOrDie();
  ASSERT_OK_AND_ASSIGN(auto bad_utf8, MakeBinaryArray(String(), 2, Offsets({0, 1, 2}), data));
  ASSERT_STATUS_CODE(kInvalidArgument, bad_utf8->Validate());
  ASSERT_OK(bad_utf8->Slice(0, 1)->Validate());
  ASSERT_OK_AND_ASSIGN(auto binary, MakeBinaryArray(Binary(), 2, Offsets({0, 1, 2}), data));
  ASSERT_OK(binary->Validate());
  // Overlong encoding and surrogates.
  for (std::string_view s : {"\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    BufferPtr d = Buffer::CopyOf(s.data(), static_cast<int64_t>(s.size())).ValueOrDie();
    ASSERT_OK_AND_ASSIGN(
        auto a, MakeBinaryArray(String(), 1, Offsets({0, static_cast<int32_t>(s.size())}), d));
    EXPECT_STATUS_CODE(kInvalidArgument, a->Validate());
  }
  ASSERT_OK(Strings({"héllo", "日本", "🙂"})->Validate());
  {
    // Long ASCII elements (the whole-buffer check) with one bad byte deep inside element 2,
    // and a null element whose bytes are not UTF-8 (nulls are not checked).
    std::string bytes = std::string(100, 'a') + std::string(70, 'b') + std::string(90, 'c');
    std::vector<int32_t> offsets = {0, 100, 170, 260};
    ASSERT_OK_AND_ASSIGN(auto ascii,
                         MakeBinaryArray(String(), 3, Offsets(offsets),
                                         Buffer::CopyOf(bytes.data(), 260).ValueOrDie()));
    ASSERT_OK(ascii->Validate());
    bytes[200] = '\xff';
    ASSERT_OK_AND_ASSIGN(auto bad,
                         MakeBinaryArray(String(), 3, Offsets(offsets),
                                         Buffer::CopyOf(bytes.data(), 260).ValueOrDie()));
    Status st = bad->Validate();
    ASSERT_STATUS_CODE(kInvalidArgument, st);
    EXPECT_NE(st.message().find("element 2 is not valid UTF-8"), std::string::npos)
        << st.ToString();
    ASSERT_OK(bad->Slice(0, 2)->Validate());
    ASSERT_OK_AND_ASSIGN(auto validity, MutableBuffer::Allocate(1, true));
    validity->mutable_data()[0] = 0b011;
    ASSERT_OK_AND_ASSIGN(auto null_bad,
                         MakeBinaryArray(String(), 3, Offsets(offsets),
                                         Buffer::CopyOf(bytes.data(), 260).ValueOrDie(),
                                         validity));
    ASSERT_OK(null_bad->Validate());
  }

  // Wrong declared null count.
  ASSERT_OK_AND_ASSIGN(auto values, MutableBuffer::Allocate(16, true));
  ASSERT_OK_AND_ASSIGN(auto validity, MutableBuffer::Allocate(1, true));
  validity->mutable_data()[0] = 0b01;
  ASSERT_OK_AND_ASSIGN(auto wrong_count, MakeFixedWidthArray(Int64(), 2, values, validity, 0));
  ASSERT_STATUS_CODE(kInvalidArgument, wrong_count->Validate());
  ASSERT_OK_AND_ASSIGN(auto right_count, MakeFixedWidthArray(Int64(), 2, values, validity));
  EXPECT_EQ(right_count->null_count(), 1);
  ASSERT_OK(right_count->Validate());

  // Decimal beyond its precision.
  ASSERT_OK_AND_ASSIGN(auto dec_values, MutableBuffer::Allocate(16, true));
  Decimal128(1000).ToLittleEndian(dec_values->mutable_data());
  ASSERT_OK_AND_ASSIGN(auto too_wide, MakeFixedWidthArray(Decimal(3, 0), 1, dec_values));
  ASSERT_STATUS_CODE(kInvalidArgument, too_wide->Validate());
  ASSERT_OK_AND_ASSIGN(auto fits, MakeFixedWidthArray(Decimal(4, 0), 1, dec_values));
  ASSERT_OK(fits->Validate());
}

TEST(ArrayTest, StructChildrenAreChecked) {
  auto type = Struct({Field("a", Int64()), Field("b", String())});
  auto a = Int64s({1, 2, 3});
  auto b = Strings({"x", "y", "z"});
  ASSERT_OK_AND_ASSIGN(auto st, MakeStructArray(type, 3, {a, b}));
  EXPECT_EQ(st->ToString(), R"([{"a":1,"b":"x"},{"a":2,"b":"y"},{"a":3,"b":"z"}])");
  // Child too short, wrong count, wrong type.
  ASSERT_STATUS_CODE(kInvalidArgument, MakeStructArray(type, 4, {a, b}));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeStructArray(type, 3, {a}));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeStructArray(type, 3, {b, a}));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeStructArray(type, 3, {a, nullptr}));
  // Slicing a struct offsets the children logically.
  auto sliced = ArrayCast<StructArray>(st->Slice(1, 2));
  EXPECT_EQ(sliced->ToString(), R"([{"a":2,"b":"y"},{"a":3,"b":"z"}])");
  EXPECT_EQ(sliced->field(0)->ToString(), "[2,3]");
  EXPECT_EQ(sliced->GetFieldByName("b")->ToString(), R"(["y","z"])");
  EXPECT_EQ(sliced->GetFieldByName("c"), nullptr);
  EXPECT_EQ(sliced->raw_field(0)->length(), 3);
}

TEST(ArrayTest, ListAndMapOffsetsAreChecked) {
  auto values = Int64s({1, 2, 3, 4});
  ASSERT_OK_AND_ASSIGN(auto list, MakeListArray(List(Int64()), 3, Offsets({0, 2, 2, 4}), values));
  EXPECT_EQ(list->ToString(), "[[1,2],[],[3,4]]");
  auto lists = ArrayCast<ListArray>(list);
  EXPECT_EQ(lists->value_slice(2)->ToString(), "[3,4]");
  ASSERT_STATUS_CODE(kInvalidArgument,
                     MakeListArray(List(Int64()), 3, Offsets({0, 2, 2, 5}), values));
  ASSERT_STATUS_CODE(kInvalidArgument,
                     MakeListArray(List(Int32()), 3, Offsets({0, 2, 2, 4}), values));
  ASSERT_STATUS_CODE(kInvalidArgument,
                     MakeListArray(List(Int64()), 3, Offsets({0, 2, 2, 4}), nullptr));

  auto map_type = Map(String(), Int64());
  auto entries_type = AsMap(*map_type).entries_type();
  ASSERT_OK_AND_ASSIGN(auto entries,
                       MakeStructArray(entries_type, 4, {Strings({"a", "b", "c", "d"}), values}));
  ASSERT_OK_AND_ASSIGN(auto map, MakeListArray(map_type, 2, Offsets({0, 1, 4}), entries));
  EXPECT_EQ(map->ToString(), R"([{"a":1},{"b":2,"c":3,"d":4}])");
  ASSERT_OK(map->Validate());
  EXPECT_EQ(ArrayCast<MapArray>(map)->keys()->ToString(), R"(["a","b","c","d"])");
  // A null key is caught by Validate.
  ASSERT_OK_AND_ASSIGN(auto null_key_entries,
                       MakeStructArray(entries_type, 4, {Strings({"a", std::nullopt, "c", "d"}),
                                                         values}));
  ASSERT_OK_AND_ASSIGN(auto bad_map,
                       MakeListArray(map_type, 2, Offsets({0, 1, 4}), null_key_entries));
  ASSERT_STATUS_CODE(kInvalidArgument, bad_map->Validate());
  // ... but not when the null key is outside the map's range.
  ASSERT_OK(bad_map->Slice(0, 1)->Validate());
}

TEST(ArrayTest, ArrayOfNulls) {
  for (const TypePtr& type :
       {Boolean(), Int8(), Int32(), Float64(), Decimal(5, 2), String(), Date(), Timestamp(),
        Struct({Field("a", Int32()), Field("b", List(String()))}), List(Int64()),
        Map(String(), Int32())}) {
    ASSERT_OK_AND_ASSIGN(auto nulls, MakeArrayOfNulls(type, 5));
    EXPECT_EQ(nulls->length(), 5);
    EXPECT_EQ(nulls->null_count(), 5) << type->ToString();
    EXPECT_EQ(nulls->ToString(), "[null,null,null,null,null]");
    ASSERT_OK(nulls->Validate());
    // Past the shared zero bytes (16 MB of decimals, 4 MB of offsets): allocated, same nulls.
    ASSERT_OK_AND_ASSIGN(auto many, MakeArrayOfNulls(type, 1 << 20));
    EXPECT_EQ(many->null_count(), 1 << 20) << type->ToString();
    ASSERT_OK(many->Validate());
    EXPECT_TRUE(many->Slice((1 << 20) - 5)->Equals(*nulls)) << type->ToString();
  }
}

TEST(ArrayTest, EqualsIsLogical) {
  auto a = Int64s({1, std::nullopt, 3});
  auto b = Int64s({0, 1, std::nullopt, 3})->Slice(1);
  EXPECT_TRUE(a->Equals(*b));
  EXPECT_FALSE(a->Equals(*Int64s({1, 2, 3})));
  EXPECT_FALSE(a->Equals(*Int64s({1, std::nullopt})));
  EXPECT_FALSE(a->Equals(*Int64s({1, std::nullopt, 3}, Timestamp())));
  Float64Builder f(Float64());
  ASSERT_OK(f.Append(std::nan("")));
  ASSERT_OK_AND_ASSIGN(auto nan1, f.Finish());
  ASSERT_OK(f.Append(std::nan("")));
  ASSERT_OK_AND_ASSIGN(auto nan2, f.Finish());
  EXPECT_TRUE(nan1->Equals(*nan2));
}

TEST(PrettyTest, ScalarsFormatting) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(19753), "2024-01-31");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDate(11016), "2000-02-29");
  EXPECT_EQ(FormatTimestampMicros(0, true), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampMicros(1706702400000001, true), "2024-01-31T12:00:00.000001Z");
  EXPECT_EQ(FormatTimestampMicros(-1, false), "1969-12-31T23:59:59.999999");

  Float64Builder f(Float64());
  for (double v : {1.0, 0.1, -2.5, std::numeric_limits<double>::infinity(), std::nan(""), 1e300}) {
    ASSERT_OK(f.Append(v));
  }
  ASSERT_OK_AND_ASSIGN(auto floats, f.Finish());
  EXPECT_EQ(floats->ToString(), R"([1.0,0.1,-2.5,"Infinity","NaN",1e+300])");

  StringBuilder s;
  ASSERT_OK(s.Append("q\"uote\\\n\x01"));
  ASSERT_OK_AND_ASSIGN(auto strings, s.Finish());
  EXPECT_EQ(strings->ToString(), R"(["q\"uote\\\n\u0001"])");
}

}  // namespace
}  // namespace silt::columnar
