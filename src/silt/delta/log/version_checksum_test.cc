#include "silt/delta/log/version_checksum.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kFull =
    R"j({"txnId":"29ebf587","tableSizeBytes":5259,"numFiles":10,"numDeletedRecordsOpt":0,"numDeletionVectorsOpt":0,"numMetadata":1,"numProtocol":1,"inCommitTimestampOpt":1694758257000,)j"
    R"j("setTransactions":[{"appId":"spark-app-1","version":42,"lastUpdated":1694758250000},{"appId":"job","version":100}],)j"
    R"j("domainMetadata":[{"domain":"delta.rowTracking","configuration":"{\"rowIdHighWaterMark\":9}","removed":false}],)j"
    R"j("metadata":{"id":"6ca3","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":[],"configuration":{"k":"v"},"createdTime":1694758256009},)j"
    R"j("protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]},)j"
    R"j("fileSizeHistogram":{"sortedBinBoundaries":[0,8192],"fileCounts":[10,0],"totalBytes":[5259,0]},)j"
    R"j("allFiles":[{"path":"a.parquet","partitionValues":{},"size":5259,"modificationTime":1,"dataChange":false}]})j";

TEST(VersionChecksumTest, ParsesAFullChecksum) {
  ASSERT_OK_AND_ASSIGN(VersionChecksum c, ParseVersionChecksum(kFull));
  EXPECT_EQ(c.txn_id, std::optional<std::string>("29ebf587"));
  EXPECT_EQ(c.table_size_bytes, 5259);
  EXPECT_EQ(c.num_files, 10);
  EXPECT_EQ(c.in_commit_timestamp, std::optional<int64_t>(1694758257000));
  ASSERT_TRUE(c.set_transactions.has_value());
  ASSERT_EQ(c.set_transactions->size(), 2u);
  EXPECT_EQ((*c.set_transactions)[0].version, 42);
  EXPECT_FALSE((*c.set_transactions)[1].last_updated.has_value());
  ASSERT_TRUE(c.domain_metadata.has_value());
  EXPECT_EQ((*c.domain_metadata)[0].domain, "delta.rowTracking");
  ASSERT_TRUE(c.metadata.has_value());
  EXPECT_EQ(c.metadata->id, "6ca3");
  ASSERT_TRUE(c.protocol.has_value());
  EXPECT_EQ(c.protocol->min_writer_version, 7);
  EXPECT_EQ(c.num_deletion_vectors, std::optional<int64_t>(0));
  ASSERT_TRUE(c.all_files.has_value());
  EXPECT_EQ((*c.all_files)[0].path, "a.parquet");
}

TEST(VersionChecksumTest, MinimalAndMalformed) {
  ASSERT_OK_AND_ASSIGN(VersionChecksum c,
                       ParseVersionChecksum(R"({"tableSizeBytes":0,"numFiles":0})"));
  EXPECT_FALSE(c.metadata.has_value());
  EXPECT_FALSE(c.set_transactions.has_value());
  EXPECT_EQ(c.num_metadata, 1);

  Result<VersionChecksum> missing = ParseVersionChecksum(R"({"numFiles":0})");
  ASSERT_STATUS_CODE(kCorruption, missing);
  EXPECT_THAT(missing.error().message(), HasSubstr("tableSizeBytes: required field is missing"));
  Result<VersionChecksum> bad_txn = ParseVersionChecksum(
      R"({"tableSizeBytes":0,"numFiles":0,"setTransactions":[{"appId":"a","version":"x"}]})");
  ASSERT_STATUS_CODE(kCorruption, bad_txn);
  EXPECT_THAT(bad_txn.error().message(), HasSubstr("setTransactions[0].version"));
  ASSERT_STATUS_CODE(kCorruption, ParseVersionChecksum("{"));
}

TEST(VersionChecksumTest, ReadsThroughTheFileSystem) {
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto none, ReadVersionChecksum(fs, "/t/_delta_log", 3));
  EXPECT_FALSE(none.has_value());
  ASSERT_OK(fs.Put("/t/_delta_log/00000000000000000003.crc", kFull));
  ASSERT_OK_AND_ASSIGN(auto some, ReadVersionChecksum(fs, "/t/_delta_log", 3));
  ASSERT_TRUE(some.has_value());
  EXPECT_EQ(some->num_files, 10);
  ASSERT_OK(fs.Put("/t/_delta_log/00000000000000000004.crc", "{}"));
  Result<std::optional<VersionChecksum>> bad = ReadVersionChecksum(fs, "/t/_delta_log", 4);
  ASSERT_STATUS_CODE(kCorruption, bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("00000000000000000004.crc"));
}

}  // namespace
}  // namespace silt::delta
