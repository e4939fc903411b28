#include "silt/delta/table/table_features.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

Protocol V(int32_t reader, int32_t writer, std::optional<std::vector<std::string>> rf = {},
           std::optional<std::vector<std::string>> wf = {}) {
  return Protocol{reader, writer, std::move(rf), std::move(wf)};
}

TEST(TableFeaturesTest, LegacyVersionsImplyFeatures) {
  EXPECT_FALSE(IsFeatureEnabled(V(1, 1), feature::kAppendOnly));
  EXPECT_TRUE(IsFeatureEnabled(V(1, 2), feature::kAppendOnly));
  EXPECT_TRUE(IsFeatureEnabled(V(1, 2), feature::kInvariants));
  EXPECT_FALSE(IsFeatureEnabled(V(1, 2), feature::kChangeDataFeed));
  EXPECT_TRUE(IsFeatureEnabled(V(1, 4), feature::kChangeDataFeed));
  EXPECT_TRUE(IsFeatureEnabled(V(2, 5), feature::kColumnMapping));
  EXPECT_FALSE(IsFeatureEnabled(V(1, 5), feature::kDeletionVectors));
  EXPECT_TRUE(IsFeatureEnabled(V(1, 6), feature::kIdentityColumns));
}

TEST(TableFeaturesTest, LegacyWriterVersionOfEachFeature) {
  struct Case {
    std::string_view feature;
    int32_t version;
  };
  for (const Case& c : std::vector<Case>{{feature::kAppendOnly, 2},
                                         {feature::kInvariants, 2},
                                         {feature::kCheckConstraints, 3},
                                         {feature::kChangeDataFeed, 4},
                                         {feature::kGeneratedColumns, 4},
                                         {feature::kColumnMapping, 5},
                                         {feature::kIdentityColumns, 6},
                                         {feature::kDeletionVectors, 0},
                                         {feature::kTimestampNtz, 0},
                                         {"noSuchFeature", 0}}) {
    EXPECT_EQ(LegacyWriterVersionOf(c.feature), c.version) << c.feature;
    // A legacy protocol at exactly that writer version enables the feature; one below does not.
    if (c.version > 0) {
      EXPECT_TRUE(IsFeatureEnabled(V(1, c.version), c.feature)) << c.feature;
      EXPECT_FALSE(IsFeatureEnabled(V(1, c.version - 1), c.feature)) << c.feature;
      EXPECT_NE(std::find(kLegacyWriterFeatures.begin(), kLegacyWriterFeatures.end(), c.feature),
                kLegacyWriterFeatures.end())
          << c.feature;
    }
  }
}

TEST(TableFeaturesTest, LegacyWriterFeaturesOfEachVersion) {
  using L = std::vector<std::string>;
  const L all{"appendOnly",       "invariants",    "checkConstraints", "changeDataFeed",
              "generatedColumns", "columnMapping", "identityColumns"};
  EXPECT_EQ(LegacyWriterFeaturesOf(0), L{});
  EXPECT_EQ(LegacyWriterFeaturesOf(1), L{});
  EXPECT_EQ(LegacyWriterFeaturesOf(2), (L{"appendOnly", "invariants"}));
  EXPECT_EQ(LegacyWriterFeaturesOf(3), (L{"appendOnly", "invariants", "checkConstraints"}));
  EXPECT_EQ(LegacyWriterFeaturesOf(4), (L{"appendOnly", "invariants", "checkConstraints",
                                          "changeDataFeed", "generatedColumns"}));
  EXPECT_EQ(LegacyWriterFeaturesOf(5), (L{"appendOnly", "invariants", "checkConstraints",
                                          "changeDataFeed", "generatedColumns", "columnMapping"}));
  EXPECT_EQ(LegacyWriterFeaturesOf(6), all);
  EXPECT_EQ(LegacyWriterFeaturesOf(7), all);
}

TEST(TableFeaturesTest, FeatureListsGovernAtVersionsThreeAndSeven) {
  Protocol p = V(3, 7, std::vector<std::string>{"deletionVectors"},
                 std::vector<std::string>{"deletionVectors", "domainMetadata"});
  EXPECT_TRUE(IsFeatureEnabled(p, feature::kDeletionVectors));
  EXPECT_TRUE(IsFeatureEnabled(p, feature::kDomainMetadata));
  EXPECT_FALSE(IsFeatureEnabled(p, feature::kAppendOnly));  // not implied at writer 7
  EXPECT_FALSE(IsFeatureEnabled(p, feature::kColumnMapping));
  // Writer 7 with a legacy reader version: writer features from the list.
  Protocol w7 = V(1, 7, std::nullopt, std::vector<std::string>{"appendOnly"});
  EXPECT_TRUE(IsFeatureEnabled(w7, feature::kAppendOnly));
  EXPECT_FALSE(IsFeatureEnabled(w7, feature::kInvariants));
}

TEST(TableFeaturesTest, ReadSupport) {
  EXPECT_OK(CheckReadSupported(V(1, 2)));
  EXPECT_OK(CheckReadSupported(V(2, 5)));
  EXPECT_OK(CheckReadSupported(
      V(3, 7, std::vector<std::string>{"deletionVectors", "columnMapping", "v2Checkpoint"},
        std::vector<std::string>{})));
  Status too_new = CheckReadSupported(V(99, 7, std::vector<std::string>{}));
  ASSERT_STATUS_CODE(kUnsupported, too_new);
  EXPECT_THAT(too_new.message(), HasSubstr("reader version 99"));
  Status unknown = CheckReadSupported(
      V(3, 7, std::vector<std::string>{"deletionVectors", "catalogOwned-preview", "blahabl"}));
  ASSERT_STATUS_CODE(kUnsupported, unknown);
  EXPECT_THAT(unknown.message(), HasSubstr("features silt does not support: catalogOwned-preview, blahabl"));
  ASSERT_STATUS_CODE(kCorruption, CheckReadSupported(V(0, 2)));
  // A caller may narrow or widen the supported set.
  EXPECT_OK(CheckReadSupported(V(3, 7, std::vector<std::string>{"x"}), {"x"}));
}

TEST(TableFeaturesTest, ColumnMappingMode) {
  Metadata m;
  Protocol cm = V(2, 5);
  ASSERT_OK_AND_ASSIGN(ColumnMappingMode unset, GetColumnMappingMode(cm, m));
  EXPECT_EQ(unset, ColumnMappingMode::kNone);
  m.configuration["delta.columnMapping.mode"] = "name";
  ASSERT_OK_AND_ASSIGN(ColumnMappingMode name, GetColumnMappingMode(cm, m));
  EXPECT_EQ(name, ColumnMappingMode::kName);
  m.configuration["delta.columnMapping.mode"] = "id";
  ASSERT_OK_AND_ASSIGN(ColumnMappingMode id, GetColumnMappingMode(cm, m));
  EXPECT_EQ(id, ColumnMappingMode::kId);
  // Ignored when the protocol does not enable column mapping.
  ASSERT_OK_AND_ASSIGN(ColumnMappingMode off, GetColumnMappingMode(V(1, 2), m));
  EXPECT_EQ(off, ColumnMappingMode::kNone);
  m.configuration["delta.columnMapping.mode"] = "bogus";
  ASSERT_STATUS_CODE(kCorruption, GetColumnMappingMode(cm, m));
}

}  // namespace
}  // namespace silt::delta
