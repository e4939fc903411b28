#include "silt/stream/delta/delta_source.h"

#include <string>

#include <gtest/gtest.h>

#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::stream {
namespace {

TEST(DeltaSourceOffsetTest, SerialisesAsSparkDoes) {
  DeltaSourceOffset o{"tbl", 7, 2, false};
  EXPECT_EQ(o.ToJson(),
            R"({"sourceVersion":1,"reservoirId":"tbl","reservoirVersion":7,"index":2,)"
            R"("isStartingVersion":false})");
  ASSERT_OK_AND_ASSIGN(DeltaSourceOffset back, DeltaSourceOffset::Parse(o.ToJson()));
  EXPECT_EQ(back, o);
  DeltaSourceOffset base{"tbl", 3, -1, true};
  ASSERT_OK_AND_ASSIGN(back, DeltaSourceOffset::Parse(base.ToJson()));
  EXPECT_EQ(back, base);
}

TEST(DeltaSourceOffsetTest, ReadsFormatThreeBaseIndex) {
  ASSERT_OK_AND_ASSIGN(
      DeltaSourceOffset o,
      DeltaSourceOffset::Parse(R"({"sourceVersion":3,"reservoirId":"t","reservoirVersion":4,)"
                               R"("index":-100,"isStartingVersion":false})"));
  EXPECT_EQ(o.index, -1);
  EXPECT_EQ(o.reservoir_version, 4);
}

TEST(DeltaSourceOffsetTest, BadOffsetsAreInvalidArgument) {
  EXPECT_STATUS_CODE(kInvalidArgument, DeltaSourceOffset::Parse("{"));
  EXPECT_STATUS_CODE(kInvalidArgument, DeltaSourceOffset::Parse(R"({"sourceVersion":1})"));
  EXPECT_STATUS_CODE(kInvalidArgument,
                     DeltaSourceOffset::Parse(R"({"sourceVersion":2,"reservoirId":"t",)"
                                              R"("reservoirVersion":4,"index":1,)"
                                              R"("isStartingVersion":false})"));
  auto negative = DeltaSourceOffset::Parse(
      R"({"sourceVersion":1,"reservoirId":"t","reservoirVersion":-4,"index":1,)"
      R"("isStartingVersion":false})");
  EXPECT_STATUS_CODE(kInvalidArgument, negative);
}

TEST(DeltaSourceOptionsTest, UnknownOptionListsTheKnownOnes) {
  auto fs = std::make_shared<fs::MemoryFileSystem>();
  auto source = MakeDeltaSource(fs, "/t", {{"maxFilesPerTriger", "3"}});
  ASSERT_STATUS_CODE(kInvalidArgument, source);
  EXPECT_NE(source.error().message().find("maxFilesPerTriger"), std::string::npos);
  EXPECT_NE(source.error().message().find("maxFilesPerTrigger"), std::string::npos);
  EXPECT_NE(source.error().message().find("skipChangeCommits"), std::string::npos);
}

TEST(DeltaSourceOptionsTest, BadValuesNameTheOption) {
  auto fs = std::make_shared<fs::MemoryFileSystem>();
  struct Case {
    const char* key;
    const char* value;
  };
  for (const Case& c : {Case{"maxFilesPerTrigger", "0"}, Case{"maxFilesPerTrigger", "x"},
                        Case{"maxBytesPerTrigger", "10q"}, Case{"startingVersion", "-1"},
                        Case{"startingTimestamp", "yesterday"}, Case{"ignoreDeletes", "yes"},
                        Case{"excludeRegex", "("}, Case{"endingVersion", "1.5"},
                        Case{"splitCommits", "2"}}) {
    auto source = MakeDeltaSource(fs, "/t", {{c.key, c.value}});
    ASSERT_STATUS_CODE(kInvalidArgument, source);
    EXPECT_NE(source.error().message().find(c.key), std::string::npos) << source.error();
  }
  auto both = MakeDeltaSource(fs, "/t", {{"startingVersion", "1"},
                                         {"startingTimestamp", "2024-01-01"}});
  EXPECT_STATUS_CODE(kInvalidArgument, both);
}

TEST(DeltaSourceOptionsTest, NamesAreCaseInsensitiveAndValuesParse) {
  auto fs = std::make_shared<fs::MemoryFileSystem>();
  EXPECT_OK(MakeDeltaSource(fs, "/t", {{"MAXFILESPERTRIGGER", "5"},
                                       {"maxBytesPerTrigger", "64m"},
                                       {"startingVersion", "latest"},
                                       {"readChangeData", "true"},
                                       {"failOnDataLoss", "FALSE"}}));
  EXPECT_OK(MakeDeltaSource(fs, "/t", {{"startingTimestamp", "2024-01-31T12:00:00Z"}}));
}

TEST(DeltaSourceOptionsTest, OpenOnAMissingTableIsNotFound) {
  auto fs = std::make_shared<fs::MemoryFileSystem>();
  ASSERT_OK_AND_ASSIGN(auto source, MakeDeltaSource(fs, "/missing", {}));
  EXPECT_STATUS_CODE(kNotFound, source->Open(SourceContext{}));
}

}  // namespace
}  // namespace silt::stream
