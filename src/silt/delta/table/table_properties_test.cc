#include "silt/delta/table/table_properties.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kHour = 3600 * 1000;

TEST(TablePropertiesTest, ParsesIntervals) {
  struct Case {
    std::string_view text;
    int64_t ms;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"interval 7 days", 7 * kMillisPerDay},
           {"interval 1 week", 7 * kMillisPerDay},
           {"168 hours", 168 * kHour},
           {"INTERVAL 30 DAYS", 30 * kMillisPerDay},
           {"interval 1 day 12 hours", kMillisPerDay + 12 * kHour},
           {"  interval   2   minutes ", 120000},
           {"interval 1 second", 1000},
           {"interval 5 milliseconds", 5},
           {"interval 2000 microseconds", 2},
           {"interval 0 days", 0},
       }) {
    ASSERT_OK_AND_ASSIGN(int64_t ms, ParseIntervalMillis(c.text));
    EXPECT_EQ(ms, c.ms) << c.text;
  }
  for (std::string_view bad : {"", "interval", "7", "interval 7", "interval seven days",
                               "interval -1 days", "interval 1 fortnight", "1 month",
                               "interval 2 years", "interval 1 day 3",
                               "interval 9223372036854775807 weeks"}) {
    ASSERT_STATUS_CODE(kInvalidArgument, ParseIntervalMillis(bad));
  }
  EXPECT_THAT(ParseIntervalMillis("1 month").error().message(), HasSubstr("no fixed length"));
}

TEST(TablePropertiesTest, DefaultsAndTypedValues) {
  Metadata m;
  ASSERT_OK_AND_ASSIGN(int64_t interval, CheckpointInterval(m));
  EXPECT_EQ(interval, 10);
  ASSERT_OK_AND_ASSIGN(int64_t deleted, DeletedFileRetentionMillis(m));
  EXPECT_EQ(deleted, 7 * kMillisPerDay);
  ASSERT_OK_AND_ASSIGN(int64_t log, LogRetentionMillis(m));
  EXPECT_EQ(log, 30 * kMillisPerDay);
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> txn, SetTransactionRetentionMillis(m));
  EXPECT_FALSE(txn.has_value());
  ASSERT_OK_AND_ASSIGN(bool append_only, GetBoolProperty(m, property::kAppendOnly, false));
  EXPECT_FALSE(append_only);

  m.configuration = {{"delta.checkpointInterval", "5"},
                     {"delta.deletedFileRetentionDuration", "interval 2 days"},
                     {"delta.setTransactionRetentionDuration", "interval 3 hours"},
                     {"delta.appendOnly", "TRUE"}};
  ASSERT_OK_AND_ASSIGN(int64_t five, CheckpointInterval(m));
  EXPECT_EQ(five, 5);
  ASSERT_OK_AND_ASSIGN(int64_t two_days, DeletedFileRetentionMillis(m));
  EXPECT_EQ(two_days, 2 * kMillisPerDay);
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> three_hours, SetTransactionRetentionMillis(m));
  EXPECT_EQ(three_hours, std::optional<int64_t>(3 * kHour));
  ASSERT_OK_AND_ASSIGN(bool on, GetBoolProperty(m, property::kAppendOnly, false));
  EXPECT_TRUE(on);
}

TEST(TablePropertiesTest, MalformedValuesAreCorruptionNamingTheProperty) {
  Metadata m;
  m.configuration = {{"delta.checkpointInterval", "ten"},
                     {"delta.logRetentionDuration", "interval 1 month"},
                     {"delta.appendOnly", "yes"}};
  Result<int64_t> interval = CheckpointInterval(m);
  ASSERT_STATUS_CODE(kCorruption, interval);
  EXPECT_THAT(interval.error().message(), HasSubstr("delta.checkpointInterval = 'ten'"));
  Result<int64_t> log = LogRetentionMillis(m);
  ASSERT_STATUS_CODE(kCorruption, log);
  EXPECT_THAT(log.error().message(), HasSubstr("delta.logRetentionDuration"));
  ASSERT_STATUS_CODE(kCorruption, GetBoolProperty(m, property::kAppendOnly, false));
  m.configuration = {{"delta.checkpointInterval", "0"}};
  ASSERT_STATUS_CODE(kCorruption, CheckpointInterval(m));
}

}  // namespace
}  // namespace silt::delta
