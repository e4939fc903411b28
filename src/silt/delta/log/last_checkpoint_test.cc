#include "silt/delta/log/last_checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

TEST(LastCheckpointTest, ParsesSparkHint) {
  ASSERT_OK_AND_ASSIGN(
      LastCheckpoint hint,
      ParseLastCheckpoint(
          R"({"version":10,"size":102,"sizeInBytes":21615,"numOfAddFiles":100,)"
          R"("checkpointSchema":{"type":"struct","fields":[]},"checksum":"6a92d155a59bf2eecbd4b4ec7fd1f875"})"));
  EXPECT_EQ(hint.version, 10);
  EXPECT_EQ(hint.size, 102);
  EXPECT_FALSE(hint.parts.has_value());
  EXPECT_EQ(hint.size_in_bytes, std::optional<int64_t>(21615));
  EXPECT_EQ(hint.num_of_add_files, std::optional<int64_t>(100));
}

TEST(LastCheckpointTest, ParsesMultiPartHintAndRoundTrips) {
  ASSERT_OK_AND_ASSIGN(LastCheckpoint hint, ParseLastCheckpoint(R"({"version":20,"size":7,"parts":3})"));
  EXPECT_EQ(hint.parts, std::optional<int32_t>(3));
  EXPECT_EQ(ToJson(hint), R"({"version":20,"size":7,"parts":3})");
  ASSERT_OK_AND_ASSIGN(LastCheckpoint back, ParseLastCheckpoint(ToJson(hint)));
  EXPECT_EQ(back, hint);
}

TEST(LastCheckpointTest, BadHintsAreCorruption) {
  struct Case {
    std::string_view content;
    std::string_view message;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"", "_last_checkpoint: invalid JSON"},
           {"{\"version\":10,\"si", "_last_checkpoint: invalid JSON"},
           {"[]", "_last_checkpoint: invalid JSON: expected an object"},
           {"{}", "_last_checkpoint: version: required field is missing"},
           {R"({"version":"10"})", "_last_checkpoint: version: expected an integer, got string"},
           {R"({"version":-1,"size":0})", "_last_checkpoint: version: -1 is negative"},
           {R"({"version":1,"size":1,"parts":0})", "_last_checkpoint: parts: 0 is not a valid"},
       }) {
    Result<LastCheckpoint> r = ParseLastCheckpoint(c.content);
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_THAT(r.error().message(), HasSubstr(c.message)) << c.content;
  }
}

TEST(LastCheckpointTest, ReadsThroughTheFileSystem) {
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(std::optional<LastCheckpoint> none, ReadLastCheckpoint(fs, "/t/_delta_log"));
  EXPECT_FALSE(none.has_value());
  ASSERT_OK(fs.Put("/t/_delta_log/_last_checkpoint", R"({"version":3,"size":4})"));
  ASSERT_OK_AND_ASSIGN(std::optional<LastCheckpoint> hint, ReadLastCheckpoint(fs, "/t/_delta_log"));
  ASSERT_TRUE(hint.has_value());
  EXPECT_EQ(hint->version, 3);
  ASSERT_OK(fs.Put("/t/_delta_log/_last_checkpoint", "garbage"));
  ASSERT_STATUS_CODE(kCorruption, ReadLastCheckpoint(fs, "/t/_delta_log"));
}

}  // namespace
}  // namespace silt::delta
