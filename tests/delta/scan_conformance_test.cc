// Scans the latest snapshot of every real table in ../shared/conformance (Parquet checkpoints
// through the Parquet decoder) and checks its rows: golden tables against the Spark-written
// Parquet files of their expected/ folder (multisets of rendered rows), the others against the
// row count their EXPECTED.md computes. Negative tables must fail with the right code. Tables
// silt cannot pass yet are listed below with the reason; any other failure fails the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "silt/columnar/pretty.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/scan/table_changes.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/conformance.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

using TableCase = silt::testing::ExpectedTable;

// Tables whose snapshot must be refused, with the code.
constexpr std::pair<std::string_view, StatusCode> kNegatives[] = {
    {"delta-kernel-rs.golden_data/no-delta-log-folder/delta", StatusCode::kNotFound},
    {"delta-kernel-rs.golden_data/versions-not-contiguous/delta", StatusCode::kCorruption},
    {"delta-kernel-rs.golden_data/deltalog-state-reconstruction-without-metadata/delta",
     StatusCode::kCorruption},
    {"delta-kernel-rs.golden_data/data-reader-absolute-paths-escaped-chars/delta",
     StatusCode::kCorruption},
    {"delta-rs.data_err_logs/table_c", StatusCode::kCorruption},
    {"delta-kernel-rs.golden_data/deltalog-invalid-protocol-version/delta",
     StatusCode::kUnsupported},
    {"delta-io-delta.kernel-defaults/catalog-owned-preview", StatusCode::kUnsupported},
    {"delta-rs.data_err_logs/table_d", StatusCode::kUnsupported},
    {"delta-rs.data_err_logs/table_f", StatusCode::kUnsupported},
    {"delta-rs.data_err_logs/table_h", StatusCode::kUnsupported},  // catalogOwned
    {"delta-rs.test-data/simple_table_features", StatusCode::kUnsupported},
    {"delta-kernel-rs.data/void-column", StatusCode::kUnsupported},
    {"delta-kernel-rs.data/unshredded-variant", StatusCode::kUnsupported},
    {"delta-io-delta.spark-test-resources/variant-stats-no-checkpoint", StatusCode::kUnsupported},
    {"delta-io-delta.spark-test-resources/variant-stats-nested-no-checkpoint",
     StatusCode::kUnsupported},
    {"delta-io-delta.spark-test-resources/variant-stats-state-reconstruction",
     StatusCode::kUnsupported},
};

// Tables silt cannot scan correctly yet, and why.
constexpr std::pair<std::string_view, std::string_view> kKnownFailures[] = {
    // Partition timestamps written without a zone ("2021-09-08 11:11:11") are in the writer's
    // session time zone, which the log does not record (America/Los_Angeles here, so Spark's
    // expected rows say 18:11:11Z); silt reads zone-less partition timestamps as UTC.
    {"delta-kernel-rs.golden_data/data-reader-partition-values/delta",
     "zone-less partition timestamps are in the writer's unrecorded session time zone"},
    // Spark names DV files "test%dv%prefix-deletion_vector_<uuid>.bin" when it runs its own
    // tests; the descriptors do not carry that prefix, so the protocol's file name is absent.
    {"delta-io-delta.spark-test-resources/table-with-dv-large",
     "DV files carry Spark's test-only 'test%dv%prefix-' name prefix"},
};

std::string_view KnownFailure(const std::string& name) {
  for (const auto& [table, reason] : kKnownFailures) {
    if (table == name) return reason;
  }
  return {};
}

void AppendRows(const columnar::RecordBatch& batch, std::vector<std::string>& rows) {
  std::istringstream lines(columnar::RecordBatchToJsonLines(batch));
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
}

class ScanConformanceTest : public silt::testing::ConformanceCorpusTest {
 protected:
  // The expected/ rows of a golden table (its root ends in /delta), or nullopt without one.
  Result<std::optional<std::pair<std::vector<std::string>, std::vector<std::string>>>> ExpectedRows(
      const TableCase& t) {
    using Out = std::optional<std::pair<std::vector<std::string>, std::vector<std::string>>>;
    if (!t.root.ends_with("/delta")) return Out();
    std::string dir = std::string(fs::ParentPath(t.root)) + "/expected";
    SILT_ASSIGN_OR_RETURN(bool exists, fs_.Exists(dir));
    if (!exists) return Out();
    fs::ListOptions recursive;
    recursive.recursive = true;
    SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> files, fs_.List(dir, recursive));
    std::vector<std::string> rows;
    std::vector<std::string> columns;
    for (const fs::FileInfo& f : files) {
      if (!f.path.ends_with(".parquet")) continue;
      SILT_ASSIGN_OR_RETURN(auto batches, parquet::ReadTable(fs_, f.path));
      SILT_ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(fs_, f.path));
      if (columns.empty()) {
        for (const columnar::Field& field : reader->schema()->fields()) {
          columns.push_back(field.name());
        }
      }
      for (const auto& b : batches) AppendRows(*b, rows);
    }
    std::sort(rows.begin(), rows.end());
    return Out(std::make_pair(std::move(columns), std::move(rows)));
  }

  // Checks one table; an error describes the mismatch.
  Status CheckTable(const TableCase& t, std::string& note) {
    SnapshotOptions options;
    options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
    SILT_ASSIGN_OR_RETURN(auto snapshot, Snapshot::Load(fs_, t.root, options));
    SILT_ASSIGN_OR_RETURN(auto expected, ExpectedRows(t));
    ScanBuilder builder(snapshot);
    if (expected.has_value() && !expected->first.empty()) builder.WithColumns(expected->first);
    if (!expected.has_value() && t.rows_unknown) {
      note = "log only (data files absent): snapshot loaded, rows not checked";
      return Status::OK();
    }
    SILT_ASSIGN_OR_RETURN(auto scan, builder.Build());
    SILT_ASSIGN_OR_RETURN(auto it, scan->Execute(fs_));
    std::vector<std::string> rows;
    while (true) {
      SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, it->Next());
      if (!batch.has_value()) break;
      AppendRows(**batch, rows);
    }
    std::sort(rows.begin(), rows.end());
    if (expected.has_value()) {
      if (rows != expected->second) {
        std::string diff;
        for (size_t i = 0; i < std::max(rows.size(), expected->second.size()) && i < 3; ++i) {
          diff += fmt::format("\n    got      {}\n    expected {}", i < rows.size() ? rows[i] : "-",
                              i < expected->second.size() ? expected->second[i] : "-");
        }
        return Status::Internal("{} rows, expected/ has {}; first rows:{}", rows.size(),
                                expected->second.size(), diff);
      }
      note = fmt::format("{} rows equal expected/", rows.size());
      return Status::OK();
    }
    if (t.row_count.has_value()) {
      if (static_cast<int64_t>(rows.size()) != *t.row_count) {
        return Status::Internal("{} rows, EXPECTED.md computes {}", rows.size(), *t.row_count);
      }
      note = fmt::format("{} rows as EXPECTED.md computes", rows.size());
      return Status::OK();
    }
    note = fmt::format("{} rows scanned, EXPECTED.md states no count", rows.size());
    return Status::OK();
  }
};

TEST_F(ScanConformanceTest, LatestSnapshotsScanAsExpected) {
  int golden = 0, counted = 0, other = 0, negatives = 0;
  std::vector<std::string> skipped;
  std::vector<std::string> now_passing;
  for (const TableCase& t : tables_) {
    SCOPED_TRACE(t.name);
    Result<bool> exists = fs_.Exists(t.root);
    bool negative = false;
    for (const auto& [table, code] : kNegatives) {
      if (table != t.name) continue;
      negative = true;
      SnapshotOptions options;
      options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
      Result<std::shared_ptr<const Snapshot>> s = Snapshot::Load(fs_, t.root, options);
      ASSERT_FALSE(s.ok()) << "expected a failure";
      EXPECT_EQ(s.error().code(), code) << s.error();
      ++negatives;
    }
    if (negative) continue;
    if (!exists.ok() || !*exists) {
      skipped.push_back(t.name + ": table folder absent from the corpus");
      continue;
    }
    std::string note;
    Status status = CheckTable(t, note);
    std::string_view known = KnownFailure(t.name);
    if (!known.empty()) {
      skipped.push_back(fmt::format("{}: {}", t.name, known));
      if (status.ok()) now_passing.push_back(t.name);
      continue;
    }
    EXPECT_TRUE(status.ok()) << t.name << ": " << status.ToString();
    if (!status.ok()) continue;
    if (note.find("expected/") != std::string::npos) {
      ++golden;
    } else if (note.find("EXPECTED.md computes") != std::string::npos) {
      ++counted;
    } else {
      ++other;
      skipped.push_back(t.name + ": " + note);
    }
  }
  std::string report = fmt::format(
      "scan conformance: {} golden tables equal their expected/ rows, {} tables match the row "
      "count EXPECTED.md computes, {} negative tables refused; {} loaded without a row check or "
      "skipped:\n",
      golden, counted, negatives, skipped.size());
  for (const std::string& s : skipped) report += "  - " + s + "\n";
  for (const std::string& s : now_passing) {
    report += "  NOTE: " + s + " passes now; remove it from kKnownFailures\n";
  }
  std::fputs(report.c_str(), stdout);
  EXPECT_EQ(negatives, static_cast<int>(std::size(kNegatives)));
  EXPECT_GT(golden + counted, 100);
}

// CDF fixtures whose change rows do not add up to their latest state, and why.
constexpr std::pair<std::string_view, std::string_view> kCdfExceptions[] = {
    {"delta-kernel-rs.data/cdf-table-simple",
     "hand-made commit 2 adds change files only (no add/remove), so changes != state"},
    {"delta-kernel-rs.data/cdf-table-update-ops",
     "hand-made change files say 'update_pre'/'update_post' (kernel-rs asserts them as is)"},
    {"delta-kernel-rs.data/table-with-cdf",
     "log fixture: a removed file at 'fake/path/1' that does not exist"},
};

// Change data feed over the whole history of every CDF table: inserts and post-images minus
// deletes and pre-images is the row count of the latest version.
TEST_F(ScanConformanceTest, ChangeDataFeedsNetToTheLatestRowCount) {
  int checked = 0;
  std::vector<std::string> skipped;
  for (const TableCase& t : tables_) {
    if (!t.change_data_feed()) continue;
    SCOPED_TRACE(t.name);
    if (!t.commits_from_zero() || !t.row_count.has_value()) {
      skipped.push_back(t.name + ": early commits cleaned up or no row count");
      continue;
    }
    std::string_view exception;
    for (const auto& [table, reason] : kCdfExceptions) {
      if (table == t.name) exception = reason;
    }
    if (!exception.empty()) {
      skipped.push_back(fmt::format("{}: {}", t.name, exception));
      continue;
    }
    Result<std::unique_ptr<ScanIterator>> it = TableChanges(fs_, t.root, 0);
    ASSERT_TRUE(it.ok()) << it.error();
    int64_t net = 0;
    std::string unknown;
    while (true) {
      Result<std::optional<columnar::RecordBatchPtr>> batch = (*it)->Next();
      ASSERT_TRUE(batch.ok()) << batch.error();
      if (!batch->has_value()) break;
      const columnar::RecordBatch& b = ***batch;
      auto change = std::static_pointer_cast<const columnar::BinaryArray>(
          b.GetColumnByName(kChangeTypeColumnName));
      ASSERT_NE(change, nullptr);
      for (int64_t r = 0; r < b.num_rows(); ++r) {
        ASSERT_TRUE(change->IsValid(r)) << "null _change_type";
        std::string_view type = change->GetView(r);
        if (type == "insert" || type == "update_postimage") {
          ++net;
        } else if (type == "delete" || type == "update_preimage") {
          --net;
        } else {
          unknown = std::string(type);
        }
      }
    }
    EXPECT_EQ(unknown, "") << "unknown _change_type";
    EXPECT_EQ(net, *t.row_count);
    ++checked;
  }
  std::string report = fmt::format(
      "change data feed: {} tables net to their row count; {} "
      "skipped:\n",
      checked, skipped.size());
  for (const std::string& s : skipped) report += "  - " + s + "\n";
  std::fputs(report.c_str(), stdout);
  EXPECT_GT(checked, 5);
}

}  // namespace
}  // namespace silt::delta
