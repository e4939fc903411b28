#include "silt/fs/fault_injection_file_system.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::fs {
namespace {

class FaultInjectionTest : public ::testing::Test {
 protected:
  MemoryFileSystem base_;
  FaultInjectionFileSystem fs_{base_};

  bool Exists(const std::string& path) {
    Result<bool> exists = base_.Exists(path);
    EXPECT_OK(exists);
    return exists.value_or(false);
  }
  std::string Read(const std::string& path) {
    Result<std::string> data = base_.ReadFile(path);
    EXPECT_OK(data);
    return data.value_or("<error>");
  }
  // Writes `path` through a WritableFile: `synced` bytes, Sync(), then `unsynced` bytes.
  void Write(const std::string& path, std::string_view synced, std::string_view unsynced,
             bool sync, bool close) {
    auto w = fs_.OpenWritable(path);
    ASSERT_OK(w);
    ASSERT_OK((*w)->Append(synced));
    if (sync) ASSERT_OK((*w)->Sync());
    ASSERT_OK((*w)->Append(unsynced));
    if (close) {
      ASSERT_OK((*w)->Close());
    } else {
      open_.push_back(std::move(w).value());
    }
  }
  std::vector<std::unique_ptr<WritableFile>> open_;
};

TEST_F(FaultInjectionTest, OpNamesAreDistinct) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < kNumFsOps; ++i) names.insert(FsOpName(static_cast<FsOp>(i)));
  EXPECT_EQ(names.size(), kNumFsOps);
  EXPECT_EQ(FsOpName(FsOp::kPutIfAbsent), "PutIfAbsent");
}

TEST_F(FaultInjectionTest, PassesThroughAndCountsCalls) {
  ASSERT_OK(fs_.Put("a", "1"));
  ASSERT_OK(fs_.Put("b", "2"));
  ASSERT_OK(fs_.PutIfAbsent("c", "3"));
  ASSERT_OK_AND_ASSIGN(std::string a, fs_.ReadFile("a"));
  EXPECT_EQ(a, "1");
  ASSERT_OK_AND_ASSIGN(auto w, fs_.OpenWritable("d"));
  ASSERT_OK(w->Append("x"));
  ASSERT_OK(w->Append("y"));
  ASSERT_OK(w->Sync());
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(auto r, fs_.OpenRandomAccess("d"));
  ASSERT_OK_AND_ASSIGN(std::string xy, r->ReadAt(0, 2));
  EXPECT_EQ(xy, "xy");
  EXPECT_STATUS_CODE(kNotFound, fs_.GetFileInfo("missing"));  // errors pass through too

  EXPECT_EQ(fs_.call_count(FsOp::kPut), 2);
  EXPECT_EQ(fs_.call_count(FsOp::kPutIfAbsent), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kReadFile), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kOpenWritable), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kAppend), 2);
  EXPECT_EQ(fs_.call_count(FsOp::kSync), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kClose), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kOpenRandomAccess), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kReadAt), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kGetFileInfo), 1);
  EXPECT_EQ(fs_.call_count(FsOp::kList), 0);
  EXPECT_EQ(fs_.injected_failures(), 0);
  EXPECT_EQ(Read("d"), "xy");

  fs_.ResetCallCounts();
  EXPECT_EQ(fs_.call_count(FsOp::kPut), 0);
}

TEST_F(FaultInjectionTest, FailsTheNthCallOnly) {
  fs_.FailNthCall(FsOp::kPut, 2);
  ASSERT_OK(fs_.Put("p", "first"));
  Status failed = fs_.Put("p", "second");
  EXPECT_EQ(failed.code(), StatusCode::kIOError);
  EXPECT_EQ(failed.message(), "Put 'p': injected fault");
  EXPECT_EQ(Read("p"), "first");  // the failed call never reached the target
  ASSERT_OK(fs_.Put("p", "third"));
  EXPECT_EQ(Read("p"), "third");
  EXPECT_EQ(fs_.call_count(FsOp::kPut), 3);
  EXPECT_EQ(fs_.injected_failures(), 1);
}

TEST_F(FaultInjectionTest, NthIsCountedFromArming) {
  ASSERT_OK(fs_.Put("a", "1"));
  ASSERT_OK(fs_.Put("a", "2"));
  fs_.FailNthCall(FsOp::kPut, 1);
  EXPECT_STATUS_CODE(kIOError, fs_.Put("a", "3"));
  ASSERT_OK(fs_.Put("a", "4"));
  // Resetting the counters keeps a pending fault's distance.
  fs_.FailNthCall(FsOp::kPut, 2);
  fs_.ResetCallCounts();
  ASSERT_OK(fs_.Put("a", "5"));
  EXPECT_STATUS_CODE(kIOError, fs_.Put("a", "6"));
  EXPECT_EQ(Read("a"), "5");
}

TEST_F(FaultInjectionTest, KeepsTheChosenStatus) {
  fs_.FailNthCall(FsOp::kPutIfAbsent, 1,
                  Status(StatusCode::kResourceExhausted, "disk full", /*retryable=*/true));
  Status st = fs_.PutIfAbsent("dir/c", "x");
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(st.retryable());
  EXPECT_EQ(st.message(), "PutIfAbsent 'dir/c': disk full");
  EXPECT_FALSE(Exists("dir/c"));
  // An OK status given as the fault still fails the call.
  fs_.FailNthCall(FsOp::kDeleteFile, 1, Status::OK());
  EXPECT_STATUS_CODE(kIOError, fs_.DeleteFile("dir/c"));
}

TEST_F(FaultInjectionTest, FailAllCallsUntilCleared) {
  fs_.FailAllCalls(FsOp::kList, Status::Cancelled("list refused"));
  fs_.FailAllCalls(FsOp::kCreateDir);
  for (int i = 0; i < 3; ++i) EXPECT_STATUS_CODE(kCancelled, fs_.List("x"));
  EXPECT_STATUS_CODE(kIOError, fs_.CreateDir("x"));
  ASSERT_OK(fs_.Put("unaffected", "y"));
  EXPECT_EQ(fs_.injected_failures(), 4);
  fs_.ClearFaults();
  ASSERT_OK(fs_.List("x"));
  ASSERT_OK(fs_.CreateDir("x"));
}

TEST_F(FaultInjectionTest, FailedAppendOrSyncDoesNotReachTheFile) {
  ASSERT_OK_AND_ASSIGN(auto w, fs_.OpenWritable("w"));
  ASSERT_OK(w->Append("a"));
  fs_.FailNthCall(FsOp::kAppend, 1);
  EXPECT_STATUS_CODE(kIOError, w->Append("LOST"));
  fs_.FailNthCall(FsOp::kSync, 1);
  EXPECT_STATUS_CODE(kIOError, w->Sync());
  ASSERT_OK(w->Append("b"));
  EXPECT_EQ(w->size(), 2);
  ASSERT_OK(w->Close());
  EXPECT_EQ(Read("w"), "ab");
}

TEST_F(FaultInjectionTest, FailedCloseAbandonsTheFile) {
  ASSERT_OK_AND_ASSIGN(auto w, fs_.OpenWritable("w"));
  ASSERT_OK(w->Append("data"));
  ASSERT_OK(w->Sync());
  fs_.FailNthCall(FsOp::kClose, 1);
  EXPECT_STATUS_CODE(kIOError, w->Close());
  EXPECT_FALSE(Exists("w"));
  EXPECT_STATUS_CODE(kIOError, w->Append("more"));
  EXPECT_STATUS_CODE(kIOError, w->Close());
}

TEST_F(FaultInjectionTest, FailsReadsAndOpens) {
  ASSERT_OK(base_.Put("r", "0123"));
  fs_.FailNthCall(FsOp::kOpenRandomAccess, 1);
  EXPECT_STATUS_CODE(kIOError, fs_.OpenRandomAccess("r"));
  ASSERT_OK_AND_ASSIGN(auto file, fs_.OpenRandomAccess("r"));
  fs_.FailNthCall(FsOp::kReadAt, 1);
  EXPECT_STATUS_CODE(kIOError, file->ReadAt(0, 1));
  ASSERT_OK(file->ReadAt(0, 1));
  fs_.FailNthCall(FsOp::kReadRange, 1);
  EXPECT_STATUS_CODE(kIOError, fs_.ReadRange("r", 0, 1));
  fs_.FailNthCall(FsOp::kOpenWritable, 1);
  EXPECT_STATUS_CODE(kIOError, fs_.OpenWritable("new"));
  fs_.FailNthCall(FsOp::kGetFileInfo, 1);
  EXPECT_STATUS_CODE(kIOError, fs_.Exists("r"));
}

TEST_F(FaultInjectionTest, CrashDropsWhatIsNotDurable) {
  ASSERT_OK(base_.Put("before", "written before wrapping"));
  ASSERT_OK(fs_.PutIfAbsent("_delta_log/0.json", "commit"));
  ASSERT_OK(fs_.Put("_last_checkpoint", "cp"));
  Write("synced_closed", "all synced", "", /*sync=*/true, /*close=*/true);
  Write("partly_synced", "synced part", " + lost tail", /*sync=*/true, /*close=*/true);
  Write("never_synced", "scratch", "", /*sync=*/false, /*close=*/true);
  Write("open_synced", "synced but not closed", "", /*sync=*/true, /*close=*/false);
  Write("open_unsynced", "neither", "", /*sync=*/false, /*close=*/false);
  ASSERT_OK(base_.Put("replaced", "durable old"));
  Write("replaced", "new, never synced", "", /*sync=*/false, /*close=*/true);
  EXPECT_EQ(Read("replaced"), "new, never synced");

  ASSERT_OK(fs_.SimulateCrash());

  EXPECT_EQ(Read("before"), "written before wrapping");
  EXPECT_EQ(Read("_delta_log/0.json"), "commit");
  EXPECT_EQ(Read("_last_checkpoint"), "cp");
  EXPECT_EQ(Read("synced_closed"), "all synced");
  EXPECT_EQ(Read("partly_synced"), "synced part");
  EXPECT_FALSE(Exists("never_synced"));
  EXPECT_FALSE(Exists("open_synced"));  // publish-on-close: not closed means absent
  EXPECT_FALSE(Exists("open_unsynced"));
  EXPECT_EQ(Read("replaced"), "durable old");

  // The dead process's handles fail.
  EXPECT_STATUS_CODE(kIOError, open_[0]->Append("x"));
  EXPECT_STATUS_CODE(kIOError, open_[1]->Close());
  EXPECT_FALSE(Exists("open_unsynced"));

  // The restarted process works normally.
  ASSERT_OK(fs_.PutIfAbsent("_delta_log/1.json", "commit 1"));
  Write("after", "x", "", /*sync=*/true, /*close=*/true);
  ASSERT_OK(fs_.SimulateCrash());
  EXPECT_EQ(Read("_delta_log/1.json"), "commit 1");
  EXPECT_EQ(Read("after"), "x");
}

TEST_F(FaultInjectionTest, DurableWriteOrDeleteAfterAnUnsyncedCloseStands) {
  Write("a", "unsynced", "", false, true);
  ASSERT_OK(fs_.Put("a", "durable"));
  Write("b", "unsynced", "", false, true);
  ASSERT_OK(fs_.DeleteFile("b"));
  Write("d/c", "unsynced", "", false, true);
  ASSERT_OK(fs_.DeleteDirRecursive("d"));
  Write("e", "unsynced", "", false, true);
  Write("e", "synced", "", true, true);
  ASSERT_OK(fs_.SimulateCrash());
  EXPECT_EQ(Read("a"), "durable");
  EXPECT_FALSE(Exists("b"));
  EXPECT_FALSE(Exists("d/c"));
  EXPECT_EQ(Read("e"), "synced");
}

TEST_F(FaultInjectionTest, RepeatedUnsyncedClosesRestoreTheLastDurableContent) {
  ASSERT_OK(fs_.Put("f", "durable"));
  Write("f", "one", "", false, true);
  Write("f", "two", "", false, true);
  ASSERT_OK(fs_.SimulateCrash());
  EXPECT_EQ(Read("f"), "durable");
}

TEST_F(FaultInjectionTest, FaultsSurviveACrash) {
  fs_.FailAllCalls(FsOp::kPut);
  ASSERT_OK(fs_.SimulateCrash());
  EXPECT_STATUS_CODE(kIOError, fs_.Put("x", "y"));
  fs_.ClearFaults();
  ASSERT_OK(fs_.Put("x", "y"));
}

TEST(FaultInjectionOverLocalTest, CrashDropsUnsyncedFiles) {
  silt::testing::TempDir dir;
  LocalFileSystem local;
  FaultInjectionFileSystem fs(local);
  ASSERT_OK(fs.Put(dir.Join("put"), "kept"));
  ASSERT_OK_AND_ASSIGN(auto w, fs.OpenWritable(dir.Join("scratch")));
  ASSERT_OK(w->Append("dropped"));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(auto open, fs.OpenWritable(dir.Join("open")));
  ASSERT_OK(open->Append("dropped"));
  ASSERT_OK(open->Sync());
  ASSERT_OK(fs.SimulateCrash());
  ASSERT_OK_AND_ASSIGN(auto listed, local.List(dir.path()));
  ASSERT_EQ(listed.size(), 1u);  // not even a temporary file of the abandoned writer
  EXPECT_EQ(listed[0].path, dir.Join("put"));
}

// The pattern the Delta and stream modules use: fail each mutating call of a scenario in turn,
// crash, and check the restarted process sees a consistent state.
TEST(FaultInjectionPatternTest, FailEveryWriteStepThenCrash) {
  // Writes a data file, then commits it; OK only when both steps succeeded.
  auto scenario = [](FileSystem& fs) -> Status {
    SILT_ASSIGN_OR_RETURN(auto w, fs.OpenWritable("t/part-0.parquet"));
    SILT_RETURN_NOT_OK(w->Append("PAR1 data PAR1"));
    SILT_RETURN_NOT_OK(w->Sync());
    SILT_RETURN_NOT_OK(w->Close());
    return fs.PutIfAbsent("t/_delta_log/0.json", "{\"add\":{\"path\":\"part-0.parquet\"}}");
  };
  MemoryFileSystem probe_base;
  FaultInjectionFileSystem probe(probe_base);
  ASSERT_OK(scenario(probe));

  int cases = 0;
  for (FsOp op : kMutatingFsOps) {
    for (int64_t n = 1; n <= probe.call_count(op); ++n) {
      SCOPED_TRACE(fmt::format("{} #{}", FsOpName(op), n));
      MemoryFileSystem base;
      FaultInjectionFileSystem fs(base);
      fs.FailNthCall(op, n);
      EXPECT_FALSE(scenario(fs).ok());
      EXPECT_EQ(fs.injected_failures(), 1);
      ASSERT_OK(fs.SimulateCrash());
      // Consistent: no commit, or a commit whose data file is complete.
      ASSERT_OK_AND_ASSIGN(bool committed, base.Exists("t/_delta_log/0.json"));
      if (committed) {
        ASSERT_OK_AND_ASSIGN(std::string data, base.ReadFile("t/part-0.parquet"));
        EXPECT_EQ(data, "PAR1 data PAR1");
      }
      // The restarted process can run the scenario to completion.
      fs.ClearFaults();
      ASSERT_OK(scenario(fs));
      ++cases;
    }
  }
  EXPECT_EQ(cases, 5);  // OpenWritable, Append, Sync, Close, PutIfAbsent
}

}  // namespace
}  // namespace silt::fs
