#include "silt/delta/log/log_path.h"

#include <gtest/gtest.h>

namespace silt::delta {
namespace {

TEST(LogPathTest, ParsesCommits) {
  std::optional<LogFile> f = ParseLogFileName("00000000000000000010.json");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->type, LogFileType::kCommit);
  EXPECT_EQ(f->version, 10);
  EXPECT_TRUE(f->is_json);
  EXPECT_FALSE(f->is_checkpoint());

  std::optional<LogFile> max = ParseLogFileName("09223372036854775807.json");
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(max->version, INT64_MAX);
}

TEST(LogPathTest, ParsesCheckpoints) {
  std::optional<LogFile> classic = ParseLogFileName("00000000000000000010.checkpoint.parquet");
  ASSERT_TRUE(classic.has_value());
  EXPECT_EQ(classic->type, LogFileType::kClassicCheckpoint);
  EXPECT_EQ(classic->version, 10);
  EXPECT_FALSE(classic->is_json);
  EXPECT_TRUE(classic->is_checkpoint());

  std::optional<LogFile> multi =
      ParseLogFileName("00000000000000000010.checkpoint.0000000002.0000000003.parquet");
  ASSERT_TRUE(multi.has_value());
  EXPECT_EQ(multi->type, LogFileType::kMultiPartCheckpoint);
  EXPECT_EQ(multi->version, 10);
  EXPECT_EQ(multi->part, 2);
  EXPECT_EQ(multi->num_parts, 3);

  std::optional<LogFile> v2_json = ParseLogFileName(
      "00000000000000000002.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json");
  ASSERT_TRUE(v2_json.has_value());
  EXPECT_EQ(v2_json->type, LogFileType::kUuidCheckpoint);
  EXPECT_EQ(v2_json->version, 2);
  EXPECT_EQ(v2_json->uuid, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5");
  EXPECT_TRUE(v2_json->is_json);

  std::optional<LogFile> v2_parquet = ParseLogFileName(
      "00000000000000000002.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.parquet");
  ASSERT_TRUE(v2_parquet.has_value());
  EXPECT_EQ(v2_parquet->type, LogFileType::kUuidCheckpoint);
  EXPECT_FALSE(v2_parquet->is_json);
}

TEST(LogPathTest, ParsesCompactionsAndChecksums) {
  std::optional<LogFile> c =
      ParseLogFileName("00000000000000000004.00000000000000000009.compacted.json");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->type, LogFileType::kCompaction);
  EXPECT_EQ(c->version, 4);
  EXPECT_EQ(c->end_version, 9);

  std::optional<LogFile> crc = ParseLogFileName("00000000000000000007.crc");
  ASSERT_TRUE(crc.has_value());
  EXPECT_EQ(crc->type, LogFileType::kChecksum);
  EXPECT_EQ(crc->version, 7);
}

TEST(LogPathTest, IgnoresEverythingElse) {
  for (std::string_view junk : {
           "",
           "_last_checkpoint",
           "_sidecars",
           "_commits",
           ".00000000000000000000.json.crc",
           "._00000000000000000000.json",
           ".00000000000000000001.json.3f2a.tmp",
           "00000000000000000001.json.tmp",
           "00000000000000000001.json.crc",
           "0000000000000000001.json",     // 19 digits
           "000000000000000000001.json",   // 21 digits
           "00000000000000000001.JSON",
           "00000000000000000001.parquet",
           "99999999999999999999.json",    // beyond int64
           "0000000000000000000a.json",
           "00000000000000000010.checkpoint",
           "00000000000000000010.checkpoint.json",
           "00000000000000000010.checkpoint.0000000004.0000000003.parquet",  // part > parts
           "00000000000000000010.checkpoint.0000000000.0000000003.parquet",  // part 0
           "00000000000000000010.checkpoint.000000001.0000000003.parquet",   // 9 digits
           "00000000000000000010.checkpoint.not-a-uuid.json",
           "00000000000000000010.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.avro",
           "00000000000000000009.00000000000000000004.compacted.json",  // end < start
           "00000000000000000004.00000000000000000004.compacted.json",
           "00000000000000000004.00000000000000000009.compacted.parquet",
           "README.md",
       }) {
    EXPECT_FALSE(ParseLogFileName(junk).has_value()) << junk;
  }
}

TEST(LogPathTest, NamesRoundTrip) {
  EXPECT_EQ(VersionPrefix(10), "00000000000000000010");
  EXPECT_EQ(CommitFileName(10), "00000000000000000010.json");
  EXPECT_EQ(CheckpointFileName(10), "00000000000000000010.checkpoint.parquet");
  EXPECT_EQ(MultiPartCheckpointFileName(10, 1, 3),
            "00000000000000000010.checkpoint.0000000001.0000000003.parquet");
  EXPECT_EQ(UuidCheckpointFileName(3, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5", "json"),
            "00000000000000000003.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json");
  EXPECT_EQ(CompactionFileName(4, 9), "00000000000000000004.00000000000000000009.compacted.json");
  EXPECT_EQ(ChecksumFileName(7), "00000000000000000007.crc");
  EXPECT_EQ(LogDirFor("/t"), "/t/_delta_log");
  EXPECT_EQ(LogDirFor("/t/"), "/t/_delta_log");

  for (const std::string& name :
       {CommitFileName(123), CheckpointFileName(5), MultiPartCheckpointFileName(5, 2, 2),
        UuidCheckpointFileName(5, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5", "parquet"),
        CompactionFileName(1, 2), ChecksumFileName(8)}) {
    EXPECT_TRUE(ParseLogFileName(name).has_value()) << name;
  }
}

}  // namespace
}  // namespace silt::delta
