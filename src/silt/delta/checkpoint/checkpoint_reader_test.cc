#include "silt/delta/checkpoint/checkpoint_reader.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/checkpoint/checkpoint_actions.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

// Stands in for the Parquet reader: each "Parquet" file holds JSON rows, decoded two rows per
// batch. Checks that the file exists through the FileSystem, as a real decoder would.
class FakeDecoder final : public CheckpointFileDecoder {
 public:
  Status Decode(fs::FileSystem& fs, const std::string& path,
                const std::function<Status(const columnar::RecordBatch&)>& on_batch) override {
    decoded.push_back(path);
    SILT_ASSIGN_OR_RETURN(std::string rows, fs.ReadFile(path));
    if (rows == "corrupt") return Status::Corruption("bad magic");
    SILT_ASSIGN_OR_RETURN(columnar::RecordBatchPtr batch,
                          columnar::RecordBatchFromJson(CheckpointReadSchema(), rows));
    for (int64_t start = 0; start < batch->num_rows(); start += 2) {
      SILT_RETURN_NOT_OK(on_batch(*batch->Slice(start, 2)));
    }
    return Status::OK();
  }
  std::vector<std::string> decoded;
};

constexpr std::string_view kProtocolRow =
    R"j({"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}})j";
constexpr std::string_view kMetadataRow =
    R"j({"metaData": {"id": "t", "schemaString": "{\"type\":\"struct\",\"fields\":[]}", "partitionColumns": [], "configuration": {}}})j";

std::string AddRow(std::string_view path) {
  return fmt::format(
      R"j({{"add": {{"path": "{}", "partitionValues": {{}}, "size": 1, "modificationTime": 1}}}})j",
      path);
}

Metadata MakeMetadata() {
  Metadata m;
  m.id = "t";
  return m;
}

Add A(std::string path) {
  Add a;
  a.path = std::move(path);
  return a;
}

class CheckpointReaderTest : public ::testing::Test {
 protected:
  void Put(const std::string& name, std::string_view content) {
    ASSERT_OK(fs_.Put("/t/_delta_log/" + name, content));
  }
  void Rows(const std::string& name, const std::vector<std::string>& rows) {
    std::string json = "[";
    for (size_t i = 0; i < rows.size(); ++i) json += (i ? "," : "") + rows[i];
    Put(name, json + "]");
  }
  void Commit(int64_t version, const std::vector<Action>& actions) {
    Put(CommitFileName(version), ToCommitFile(actions));
  }
  Result<LogState> Load() {
    SILT_ASSIGN_OR_RETURN(LogSegment segment, BuildLogSegment(fs_, "/t"));
    return ReplayLogSegment(fs_, segment, &decoder_);
  }
  static std::vector<std::string> Paths(const LogState& s) {
    std::vector<std::string> out;
    for (const Add& a : s.files.ToVector()) out.push_back(a.path);
    return out;
  }

  fs::MemoryFileSystem fs_;
  FakeDecoder decoder_;
};

TEST_F(CheckpointReaderTest, ClassicCheckpointThenCommits) {
  Rows(CheckpointFileName(2), {std::string(kProtocolRow), std::string(kMetadataRow), AddRow("a"),
                               AddRow("b"), AddRow("c")});
  Remove remove_b;
  remove_b.path = "b";
  Commit(3, {remove_b});
  Commit(4, {A("d")});
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  EXPECT_EQ(s.version, 4);
  EXPECT_EQ(Paths(s), (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_EQ(s.metadata.id, "t");
  EXPECT_EQ(decoder_.decoded, std::vector<std::string>{"/t/_delta_log/" + CheckpointFileName(2)});
}

TEST_F(CheckpointReaderTest, MultiPartCheckpointIsTheUnionOfItsParts) {
  Rows(MultiPartCheckpointFileName(1, 1, 2),
       {std::string(kProtocolRow), std::string(kMetadataRow), AddRow("a")});
  Rows(MultiPartCheckpointFileName(1, 2, 2), {AddRow("b"), AddRow("c")});
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(Paths(s), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(decoder_.decoded.size(), 2u);
}

TEST_F(CheckpointReaderTest, V2JsonCheckpointWithSidecars) {
  Put(UuidCheckpointFileName(3, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5", "json"),
      ToCommitFile(std::vector<Action>{
          CheckpointMetadata{3, {}}, Protocol{3, 7, std::vector<std::string>{"v2Checkpoint"},
                                              std::vector<std::string>{"v2Checkpoint"}},
          MakeMetadata(),
          Sidecar{"s1.parquet", 1, 1, {}}, Sidecar{"s%202.parquet", 1, 1, {}}}));
  ASSERT_OK(fs_.Put("/t/_delta_log/_sidecars/s1.parquet", "[" + AddRow("a") + "]"));
  ASSERT_OK(fs_.Put("/t/_delta_log/_sidecars/s 2.parquet",
                    "[" + AddRow("b") + "," + AddRow("c") + "]"));
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  EXPECT_EQ(s.version, 3);
  EXPECT_EQ(s.protocol.min_reader_version, 3);
  EXPECT_EQ(Paths(s), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(decoder_.decoded,
            (std::vector<std::string>{"/t/_delta_log/_sidecars/s1.parquet",
                                      "/t/_delta_log/_sidecars/s 2.parquet"}));
}

TEST_F(CheckpointReaderTest, V2ParquetCheckpointWithSidecarRows) {
  Rows(UuidCheckpointFileName(0, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5", "parquet"),
       {R"j({"checkpointMetadata": {"version": 0}})j", std::string(kProtocolRow),
        std::string(kMetadataRow),
        R"j({"sidecar": {"path": "s.parquet", "sizeInBytes": 5, "modificationTime": 6}})j"});
  ASSERT_OK(fs_.Put("/t/_delta_log/_sidecars/s.parquet", "[" + AddRow("x") + "]"));
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  EXPECT_EQ(Paths(s), std::vector<std::string>{"x"});
}

TEST_F(CheckpointReaderTest, DecoderErrorsNameTheFile) {
  Put(CheckpointFileName(0), "corrupt");
  Result<LogState> r = Load();
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_THAT(r.error().message(), HasSubstr(CheckpointFileName(0) + ": bad magic"));

  Rows(CheckpointFileName(1), {std::string(kProtocolRow),
                               R"j({"add": {"path": "a", "partitionValues": {}}})j"});
  Result<LogState> bad_row = Load();
  ASSERT_STATUS_CODE(kCorruption, bad_row);
  EXPECT_THAT(bad_row.error().message(),
              HasSubstr(CheckpointFileName(1) + ": checkpoint row 1: required field add.size"));
}

TEST_F(CheckpointReaderTest, MissingSidecarIsNotFound) {
  Rows(CheckpointFileName(0), {std::string(kProtocolRow), std::string(kMetadataRow),
                               R"j({"sidecar": {"path": "gone.parquet", "sizeInBytes": 5, "modificationTime": 6}})j"});
  ASSERT_STATUS_CODE(kNotFound, Load());
}

TEST_F(CheckpointReaderTest, WithoutADecoderParquetIsUnsupported) {
  Rows(CheckpointFileName(0), {std::string(kProtocolRow), std::string(kMetadataRow)});
  ASSERT_OK_AND_ASSIGN(LogSegment segment, BuildLogSegment(fs_, "/t"));
  Result<LogState> r = ReplayLogSegment(fs_, segment);
  ASSERT_STATUS_CODE(kUnsupported, r);
  EXPECT_THAT(r.error().message(), HasSubstr(CheckpointFileName(0)));
}

TEST_F(CheckpointReaderTest, SnapshotUsesTheDecoder) {
  Rows(CheckpointFileName(0), {std::string(kProtocolRow), std::string(kMetadataRow), AddRow("a")});
  Commit(1, {A("b")});
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Snapshot> s,
                       Snapshot::Load(fs_, "/t", {.version = std::nullopt,
                                                  .checkpoint_decoder = &decoder_}));
  EXPECT_EQ(s->files().size(), 2u);
  EXPECT_EQ(s->log_segment().checkpoint_version, std::optional<int64_t>(0));
}

TEST(SidecarFilePathTest, ResolvesAgainstTheSidecarDirectory) {
  ASSERT_OK_AND_ASSIGN(std::string plain, SidecarFilePath("/t/_delta_log", Sidecar{"a.parquet", 0, 0, {}}));
  EXPECT_EQ(plain, "/t/_delta_log/_sidecars/a.parquet");
  ASSERT_OK_AND_ASSIGN(std::string encoded, SidecarFilePath("/t/_delta_log", Sidecar{"a%20b.parquet", 0, 0, {}}));
  EXPECT_EQ(encoded, "/t/_delta_log/_sidecars/a b.parquet");
  ASSERT_OK_AND_ASSIGN(std::string absolute,
                       SidecarFilePath("/t/_delta_log", Sidecar{"s3://b/x%20y.parquet", 0, 0, {}}));
  EXPECT_EQ(absolute, "s3://b/x y.parquet");
  ASSERT_STATUS_CODE(kCorruption, SidecarFilePath("/t/_delta_log", Sidecar{"bad%zz", 0, 0, {}}));
}

}  // namespace
}  // namespace silt::delta
