#include "silt/delta/actions/deletion_vector.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

TEST(DeletionVectorTest, ParsesStorageTypes) {
  ASSERT_OK_AND_ASSIGN(DvStorageType u, ParseDvStorageType("u"));
  EXPECT_EQ(u, DvStorageType::kUuidRelative);
  ASSERT_OK_AND_ASSIGN(DvStorageType i, ParseDvStorageType("i"));
  EXPECT_EQ(i, DvStorageType::kInline);
  ASSERT_OK_AND_ASSIGN(DvStorageType p, ParseDvStorageType("p"));
  EXPECT_EQ(p, DvStorageType::kAbsolutePath);
  ASSERT_STATUS_CODE(kUnsupported, ParseDvStorageType(""));
  ASSERT_STATUS_CODE(kUnsupported, ParseDvStorageType("uu"));
  ASSERT_STATUS_CODE(kUnsupported, ParseDvStorageType("U"));
}

TEST(DeletionVectorTest, UniqueIdFollowsTheProtocol) {
  DeletionVectorDescriptor dv;
  dv.storage_type = DvStorageType::kUuidRelative;
  dv.path_or_inline_dv = "ab^-aqEH.-t@S}K{vb[*k^";
  dv.offset = 4;
  EXPECT_EQ(dv.UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^@4");
  dv.offset.reset();
  EXPECT_EQ(dv.UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^");
  dv.storage_type = DvStorageType::kInline;
  dv.path_or_inline_dv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L";
  EXPECT_EQ(dv.UniqueId(), "iwi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L");
  dv.storage_type = DvStorageType::kAbsolutePath;
  dv.path_or_inline_dv = "s3://b/dv.bin";
  dv.offset = 0;
  EXPECT_EQ(dv.UniqueId(), "ps3://b/dv.bin@0");
}

}  // namespace
}  // namespace silt::delta
