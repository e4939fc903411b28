#include "silt/parquet/thrift/compact_protocol.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::parquet::thrift {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(CompactProtocolTest, VarintAndZigZagRoundTrip) {
  const int64_t values[] = {0,     1,      -1,       2,        -2,        63,
                            -64,   64,     50399,    -50399,   INT32_MAX, INT32_MIN,
                            INT64_MAX, INT64_MIN, 1LL << 40, -(1LL << 40)};
  for (int64_t v : values) {
    std::string buf;
    CompactWriter w(&buf);
    w.WriteI64(v);
    CompactReader r(buf);
    int64_t back;
    ASSERT_OK(r.ReadI64(&back));
    EXPECT_EQ(back, v);
    EXPECT_EQ(r.remaining(), 0u);
  }
  EXPECT_EQ(ZigZagEncode64(0), 0u);
  EXPECT_EQ(ZigZagEncode64(-1), 1u);
  EXPECT_EQ(ZigZagEncode64(1), 2u);
  EXPECT_EQ(ZigZagEncode64(-2), 3u);
  EXPECT_EQ(ZigZagDecode64(4), 2);
}

TEST(CompactProtocolTest, VarintBytesMatchSpecExample) {
  std::string buf;
  CompactWriter w(&buf);
  w.WriteVarint64(50399);
  EXPECT_EQ(buf, Bytes({0xdf, 0x89, 0x03}));
}

TEST(CompactProtocolTest, I32ValuesAreRangeChecked) {
  // zigzag(2^32) does not fit an i32.
  std::string buf;
  CompactWriter w(&buf);
  w.WriteVarint64(uint64_t{1} << 32);
  CompactReader r(buf);
  int32_t v;
  ASSERT_STATUS_CODE(kCorruption, r.ReadI32(&v));
}

TEST(CompactProtocolTest, OverlongVarintIsCorrupt) {
  std::string buf(11, '\xff');
  CompactReader r(buf);
  uint64_t v;
  ASSERT_STATUS_CODE(kCorruption, r.ReadVarint64(&v));
  std::string short_bytes = Bytes({0x80, 0x80});
  CompactReader truncated(short_bytes);
  ASSERT_STATUS_CODE(kCorruption, truncated.ReadVarint64(&v));
}

TEST(CompactProtocolTest, FieldHeadersShortAndLongForm) {
  std::string buf;
  CompactWriter w(&buf);
  w.BeginStruct();
  w.I32Field(1, 7);       // short form, delta 1
  w.I32Field(20, 8);      // delta 19 > 15: long form
  w.I32Field(5, 9);       // decreasing: long form
  w.WriteBoolField(6, true);
  w.WriteBoolField(7, false);
  w.BinaryField(32767, "ext");
  w.EndStruct();
  EXPECT_EQ(buf.substr(0, 2), Bytes({0x15, 0x0e}));
  EXPECT_EQ(buf.substr(2, 3), Bytes({0x05, 0x28, 0x10}));

  CompactReader r(buf);
  std::vector<std::pair<int16_t, int64_t>> seen;
  ASSERT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    if (type == CType::kI32) {
      int32_t v;
      SILT_RETURN_NOT_OK(r.ReadI32(&v));
      seen.emplace_back(id, v);
    } else if (type == CType::kBool) {
      bool b;
      SILT_RETURN_NOT_OK(r.ReadBool(&b));
      seen.emplace_back(id, b ? 100 : 200);
    } else {
      EXPECT_EQ(type, CType::kBinary);
      std::string s;
      SILT_RETURN_NOT_OK(r.ReadBinary(&s));
      EXPECT_EQ(s, "ext");
      seen.emplace_back(id, -1);
    }
    return Status::OK();
  }));
  std::vector<std::pair<int16_t, int64_t>> expected = {{1, 7},    {20, 8},   {5, 9},
                                                       {6, 100},  {7, 200},  {32767, -1}};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(CompactProtocolTest, NestedStructsRestoreFieldIds) {
  std::string buf;
  CompactWriter w(&buf);
  w.BeginStruct();
  w.I32Field(3, 1);
  w.WriteFieldHeader(CType::kStruct, 4);
  w.BeginStruct();
  w.I32Field(10, 2);
  w.EndStruct();
  w.I32Field(5, 3);  // delta from 4, not from 10
  w.EndStruct();
  EXPECT_EQ(static_cast<uint8_t>(buf[buf.size() - 3]), 0x15);  // short form after nesting

  CompactReader r(buf);
  std::vector<int16_t> ids;
  ASSERT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    ids.push_back(id);
    if (type == CType::kStruct) {
      return r.ReadStruct([&](int16_t inner, CType t) -> Status {
        ids.push_back(inner);
        return r.Skip(t);
      });
    }
    return r.Skip(type);
  }));
  EXPECT_EQ(ids, (std::vector<int16_t>{3, 4, 10, 5}));
}

TEST(CompactProtocolTest, ListsOfEveryKindRoundTrip) {
  std::string buf;
  CompactWriter w(&buf);
  w.WriteListHeader(CType::kI64, 3);
  w.WriteI64(-5);
  w.WriteI64(0);
  w.WriteI64(1LL << 50);
  w.WriteListHeader(CType::kBinary, 20);  // long form
  for (int i = 0; i < 20; ++i) w.WriteBinary(std::string(i, 'x'));
  w.WriteListHeader(CType::kBool, 2);
  w.WriteBool(true);
  w.WriteBool(false);
  w.WriteDouble(-2.5);

  CompactReader r(buf);
  ListHeader h;
  ASSERT_OK(r.ReadListHeader(&h));
  EXPECT_EQ(h.element_type, CType::kI64);
  ASSERT_EQ(h.size, 3u);
  int64_t v;
  ASSERT_OK(r.ReadI64(&v));
  EXPECT_EQ(v, -5);
  ASSERT_OK(r.ReadI64(&v));
  ASSERT_OK(r.ReadI64(&v));
  EXPECT_EQ(v, 1LL << 50);
  ASSERT_OK(r.ReadListHeader(&h));
  EXPECT_EQ(h.element_type, CType::kBinary);
  ASSERT_EQ(h.size, 20u);
  for (int i = 0; i < 20; ++i) {
    std::string s;
    ASSERT_OK(r.ReadBinary(&s));
    EXPECT_EQ(s.size(), static_cast<size_t>(i));
  }
  ASSERT_OK(r.ReadListHeader(&h));
  EXPECT_EQ(h.element_type, CType::kBool);
  bool b;
  ASSERT_OK(r.ReadBool(&b));
  EXPECT_TRUE(b);
  ASSERT_OK(r.ReadBool(&b));
  EXPECT_FALSE(b);
  double d;
  ASSERT_OK(r.ReadDouble(&d));
  EXPECT_EQ(d, -2.5);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(CompactProtocolTest, BoolListElementTypeTwoIsAccepted) {
  // Spec-style bool list: element type 2, values 1/0.
  std::string bytes = Bytes({0x22, 0x01, 0x00});
  CompactReader r(bytes);
  ListHeader h;
  ASSERT_OK(r.ReadListHeader(&h));
  EXPECT_EQ(h.element_type, CType::kBool);
  bool a, b;
  ASSERT_OK(r.ReadBool(&a));
  ASSERT_OK(r.ReadBool(&b));
  EXPECT_TRUE(a);
  EXPECT_FALSE(b);
}

TEST(CompactProtocolTest, SkipsEveryType) {
  std::string buf;
  CompactWriter w(&buf);
  w.BeginStruct();
  w.WriteBoolField(1, true);
  w.WriteFieldHeader(CType::kI8, 2);
  w.WriteI8(-3);
  w.WriteFieldHeader(CType::kI16, 3);
  w.WriteI16(-300);
  w.I32Field(4, 1 << 20);
  w.I64Field(5, -(1LL << 40));
  w.WriteFieldHeader(CType::kDouble, 6);
  w.WriteDouble(1.5);
  w.BinaryField(7, "hello");
  w.WriteFieldHeader(CType::kList, 8);
  w.WriteListHeader(CType::kStruct, 2);
  for (int i = 0; i < 2; ++i) {
    w.BeginStruct();
    w.BinaryField(1, "in");
    w.EndStruct();
  }
  w.WriteFieldHeader(CType::kSet, 9);
  w.WriteListHeader(CType::kI32, 1);
  w.WriteI32(5);
  w.WriteFieldHeader(CType::kMap, 10);
  w.WriteMapHeader(CType::kBinary, CType::kList, 1);
  w.WriteBinary("k");
  w.WriteListHeader(CType::kBool, 1);
  w.WriteBool(true);
  w.WriteFieldHeader(CType::kMap, 11);
  w.WriteMapHeader(CType::kI32, CType::kI32, 0);
  w.WriteFieldHeader(CType::kUuid, 12);
  buf.append(16, '\x42');
  w.WriteFieldHeader(CType::kStruct, 13);
  w.BeginStruct();
  w.WriteBoolField(1, false);
  w.EndStruct();
  w.I32Field(14, 99);
  w.EndStruct();
  buf.push_back('\x7f');  // trailing byte, must stay unread

  CompactReader r(buf);
  int32_t last = 0;
  ASSERT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    if (id == 14) return r.ReadI32(&last);
    return r.Skip(type);
  }));
  EXPECT_EQ(last, 99);
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(CompactProtocolTest, TruncatedInputIsCorruptionEverywhere) {
  std::string buf;
  CompactWriter w(&buf);
  w.BeginStruct();
  w.BinaryField(1, "abcdef");
  w.WriteFieldHeader(CType::kList, 2);
  w.WriteListHeader(CType::kI64, 3);
  for (int i = 0; i < 3; ++i) w.WriteI64(1000 + i);
  w.WriteFieldHeader(CType::kDouble, 3);
  w.WriteDouble(1.0);
  w.EndStruct();
  for (size_t cut = 0; cut < buf.size(); ++cut) {
    CompactReader r(std::string_view(buf).substr(0, cut));
    Status st = r.Skip(CType::kStruct);
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << "cut at " << cut;
  }
  CompactReader whole(buf);
  ASSERT_OK(whole.Skip(CType::kStruct));
}

TEST(CompactProtocolTest, HugeLengthsAreCappedByRemainingBytes) {
  // Binary claiming 1 GiB.
  std::string buf;
  CompactWriter w(&buf);
  w.WriteVarint64(1u << 30);
  buf += "abc";
  CompactReader r(buf);
  std::string s;
  Status st = r.ReadBinary(&s);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("1073741824"), std::string::npos) << st.message();

  // List claiming 2^31 elements.
  std::string list;
  CompactWriter lw(&list);
  lw.WriteListHeader(CType::kI32, 1u << 31);
  CompactReader lr(list);
  ListHeader h;
  ASSERT_STATUS_CODE(kCorruption, lr.ReadListHeader(&h));

  // Map claiming many entries.
  std::string map;
  CompactWriter mw(&map);
  mw.WriteMapHeader(CType::kI32, CType::kI32, 1000);
  CompactReader mr(map);
  MapHeader mh;
  ASSERT_STATUS_CODE(kCorruption, mr.ReadMapHeader(&mh));
}

TEST(CompactProtocolTest, NestingDepthIsLimited) {
  // 100 nested structs: field 1 of type struct, again and again.
  std::string buf(100, '\x1c');
  buf.append(101, '\x00');
  CompactReader r(buf);
  Status st = r.Skip(CType::kStruct);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("nested"), std::string::npos) << st.message();

  // Nested lists too: list<list<list<...>>>.
  std::string lists(200, '\x19');
  CompactReader lr(lists);
  ASSERT_STATUS_CODE(kCorruption, lr.Skip(CType::kList));

  // A modest depth is fine.
  std::string ok(10, '\x1c');
  ok.append(11, '\x00');
  CompactReader okr(ok);
  ASSERT_OK(okr.Skip(CType::kStruct));
  EXPECT_EQ(okr.remaining(), 0u);
}

TEST(CompactProtocolTest, UnknownTypesAreCorrupt) {
  std::string bad_field = Bytes({0x1e, 0x00});  // field type 14 does not exist
  CompactReader r(bad_field);
  ASSERT_STATUS_CODE(kCorruption, r.Skip(CType::kStruct));
  std::string bad_list = Bytes({0x1f});  // list of element type 15
  CompactReader l(bad_list);
  ListHeader h;
  ASSERT_STATUS_CODE(kCorruption, l.ReadListHeader(&h));
}

}  // namespace
}  // namespace silt::parquet::thrift
