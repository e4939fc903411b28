#include "silt/delta/log/file_list.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

Add MakeAdd(std::string path, int64_t size = 1) {
  Add a;
  a.path = std::move(path);
  a.size = size;
  a.modification_time = 1000 + size;
  a.data_change = (size % 2) == 0;
  a.stats = "{\"numRecords\":" + std::to_string(size) + "}";
  return a;
}

DeletionVectorDescriptor Dv(std::string path) {
  DeletionVectorDescriptor dv;
  dv.storage_type = DvStorageType::kInline;
  dv.path_or_inline_dv = std::move(path);
  dv.size_in_bytes = 10;
  dv.cardinality = 2;
  return dv;
}

std::vector<std::string> Paths(const FileList& list) {
  std::vector<std::string> out;
  for (const FileRef f : list) out.emplace_back(f.path());
  return out;
}

TEST(FileListTest, AppendedAddsComeBackWhole) {
  Add full = MakeAdd("date=2025-01-01/region=eu/part-0.parquet", 42);
  full.partition_values = {{"date", "2025-01-01"}, {"region", std::nullopt}, {"empty", ""}};
  full.tags = {{"INSERTION_TIME", "1"}};
  full.deletion_vector = Dv("ab");
  full.base_row_id = 7;
  full.default_row_commit_version = 3;
  full.clustering_provider = "liquid";
  Add bare;
  bare.path = "b.parquet";  // no stats, no partition values
  Add empty_stats = MakeAdd("c.parquet");
  empty_stats.stats = "";

  FileList list;
  ASSERT_OK(list.Append(full));
  ASSERT_OK(list.Append(bare));
  ASSERT_OK(list.Append(empty_stats));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].ToAdd(), full);
  EXPECT_EQ(list[1].ToAdd(), bare);
  EXPECT_EQ(list[2].ToAdd(), empty_stats);
  EXPECT_EQ(list.ToVector(), (std::vector<Add>{full, bare, empty_stats}));

  EXPECT_EQ(list[0].path(), full.path);
  EXPECT_EQ(list[0].size(), 42);
  EXPECT_EQ(list[0].modification_time(), 1042);
  EXPECT_TRUE(list[0].data_change());
  EXPECT_EQ(list[0].stats(), std::optional<std::string_view>("{\"numRecords\":42}"));
  EXPECT_EQ(list[1].stats(), std::nullopt);
  EXPECT_EQ(list[2].stats(), std::optional<std::string_view>(""));
  EXPECT_EQ(list[0].dv_unique_id(), full.deletion_vector->UniqueId());
  EXPECT_EQ(list[1].dv_unique_id(), "");
  EXPECT_TRUE(list[1].extras().empty());

  // Present, null, empty and absent partition values are four different answers.
  EXPECT_EQ(list[0].FindPartitionValue("date"),
            std::optional<std::optional<std::string_view>>("2025-01-01"));
  ASSERT_TRUE(list[0].FindPartitionValue("region").has_value());
  EXPECT_EQ(*list[0].FindPartitionValue("region"), std::nullopt);
  EXPECT_EQ(list[0].FindPartitionValue("empty"),
            std::optional<std::optional<std::string_view>>(""));
  EXPECT_EQ(list[0].FindPartitionValue("Date"), std::nullopt);
  EXPECT_EQ(list[1].FindPartitionValue("date"), std::nullopt);
}

TEST(FileListTest, IteratesAsViews) {
  FileList list;
  ASSERT_OK(list.Append(MakeAdd("x", 1)));
  ASSERT_OK(list.Append(MakeAdd("y", 2)));
  int64_t total = 0;
  for (const FileRef f : list) total += f.size();
  EXPECT_EQ(total, 3);
  Add front = list.front().ToAdd();
  EXPECT_EQ(front.path, "x");
  EXPECT_EQ(list.back().path(), "y");
}

TEST(FileListTest, AddFieldsAreCopiedAndExtrasMoved) {
  FileList list;
  std::string path = "p=1/f.parquet";
  std::string value = "1";
  std::vector<PartitionValueRef> values = {{"p", std::string_view(value)}, {"q", std::nullopt}};
  AddExtras extras;
  extras.deletion_vector = Dv("cd");
  AddFields f;
  f.path = path;
  f.partition_values = values;
  f.size = 5;
  f.stats = "{}";
  f.extras = &extras;
  Add expected = ToAdd(f);
  EXPECT_EQ(expected.partition_values, (PartitionValues{{"p", "1"}, {"q", std::nullopt}}));
  ASSERT_OK(list.Append(f));
  EXPECT_EQ(list[0].ToAdd(), expected);
  // The list owns its copy: the caller's buffers may change.
  path.assign("zzzzzzzzzzzzzz");
  value.assign("9");
  EXPECT_EQ(list[0].path(), "p=1/f.parquet");
  EXPECT_EQ(list[0].partition_value(0), std::optional<std::string_view>("1"));
  EXPECT_EQ(list[0].partition_key(1), "q");
  EXPECT_EQ(list[0].partition_value(1), std::nullopt);
  ASSERT_TRUE(list[0].deletion_vector().has_value());
  EXPECT_EQ(list[0].deletion_vector()->path_or_inline_dv, "cd");
}

TEST(FileListTest, AppendViewsKeepsHeldBytesAliveInsteadOfCopying) {
  // One owner holds every string, as a decoded checkpoint column does.
  auto owner = std::make_shared<std::string>("p=1/f.parquet{\"numRecords\":3}1");
  const std::string_view all = *owner;
  std::weak_ptr<std::string> watch = owner;
  std::vector<PartitionValueRef> values = {
      {"p", all.substr(29, 1)}, {"q", std::string_view()}, {"r", std::nullopt}};
  AddFields f;
  f.path = all.substr(0, 13);
  f.partition_values = values;
  f.size = 7;
  f.stats = all.substr(13, 16);
  FileList copy;
  {
    FileList list;
    list.HoldBytes(owner);
    owner.reset();
    ASSERT_OK(list.AppendViews(f));
    AddFields no_stats = f;
    no_stats.stats = std::nullopt;
    no_stats.path = all.substr(0, 0);
    ASSERT_OK(list.AppendViews(no_stats));
    ASSERT_FALSE(watch.expired());
    EXPECT_EQ(list[0].path().data(), all.data());  // not copied
    EXPECT_EQ(list[0].stats(), std::optional<std::string_view>("{\"numRecords\":3}"));
    EXPECT_EQ(list[0].partition_value(0), std::optional<std::string_view>("1"));
    // Empty is not null, for values and stats alike.
    EXPECT_EQ(list[0].partition_value(1), std::optional<std::string_view>(""));
    EXPECT_EQ(list[0].partition_value(2), std::nullopt);
    EXPECT_EQ(list[1].path(), "");
    EXPECT_EQ(list[1].stats(), std::nullopt);
    // Copied and merged lists hold the bytes too.
    copy = list;
    FileList fresh;
    ASSERT_OK(fresh.Append(MakeAdd("z")));
    ASSERT_OK_AND_ASSIGN(
        FileList merged,
        FileList::Merge(
            list, [](const FileRef& file) -> Result<bool> { return file.path().empty(); }, fresh));
    ASSERT_EQ(merged.size(), 2u);
    EXPECT_EQ(merged[0].path().data(), all.data());
  }
  ASSERT_FALSE(watch.expired());
  EXPECT_EQ(copy[0].ToAdd().stats, "{\"numRecords\":3}");
  copy = FileList();
  EXPECT_TRUE(watch.expired());
}

TEST(FileListTest, TooManyPartitionValuesIsInvalidArgument) {
  std::vector<std::string> keys(70000);
  std::vector<PartitionValueRef> values;
  for (size_t i = 0; i < keys.size(); ++i) {
    keys[i] = "k" + std::to_string(i);
    values.push_back({keys[i], std::nullopt});
  }
  AddFields f;
  f.path = "a";
  f.partition_values = values;
  FileList list;
  Status st = list.Append(f);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st;
  EXPECT_NE(st.message().find("70000 partition values"), std::string::npos) << st;
  EXPECT_TRUE(list.empty());
}

// Partition values, deletion vectors and the rarely set fields come through a concatenation of
// lists that each interned their own partition keys; the lists' order and each list's order are
// kept, empty lists change nothing, and the result grows on its own.
TEST(FileListTest, ConcatKeepsOrderAndEveryField) {
  Add a = MakeAdd("b/1.parquet", 1);
  a.partition_values = {{"b", "1"}, {"a", std::nullopt}};
  Add b = MakeAdd("b/1.parquet", 2);
  b.deletion_vector = Dv("zz");
  b.tags = {{"t", "v"}};
  Add c = MakeAdd("a/0.parquet", 3);
  c.partition_values = {{"a", "x"}};
  c.base_row_id = 9;
  Add d = MakeAdd("c/2.parquet", 4);
  d.partition_values = {{"z", "q"}, {"b", "2"}};
  d.default_row_commit_version = 5;
  FileList first, second, third;
  ASSERT_OK(first.Append(a));
  ASSERT_OK(second.Append(c));
  ASSERT_OK(second.Append(b));
  ASSERT_OK(third.Append(d));
  std::vector<FileList> lists;
  lists.emplace_back();
  lists.push_back(std::move(first));
  lists.push_back(std::move(second));
  lists.emplace_back();
  lists.push_back(std::move(third));
  ASSERT_OK_AND_ASSIGN(FileList all, FileList::Concat(std::move(lists)));
  EXPECT_EQ(all.ToVector(), (std::vector<Add>{a, c, b, d}));
  Add e = MakeAdd("d/3.parquet", 5);
  e.partition_values = {{"b", "3"}};
  e.deletion_vector = Dv("e");
  ASSERT_OK(all.Append(e));
  EXPECT_EQ(all.ToVector(), (std::vector<Add>{a, c, b, d, e}));
  EXPECT_EQ(all[2].dv_unique_id(), b.deletion_vector->UniqueId());
  EXPECT_EQ(all[4].dv_unique_id(), e.deletion_vector->UniqueId());
}

// The lone list with files is returned as it is (no record copied); none gives an empty list.
TEST(FileListTest, ConcatOfOneListIsThatList) {
  FileList only;
  ASSERT_OK(only.Append(MakeAdd("x", 7)));
  const char* bytes = only[0].path().data();
  std::vector<FileList> lists(3);
  lists[1] = std::move(only);
  ASSERT_OK_AND_ASSIGN(FileList all, FileList::Concat(std::move(lists)));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].path().data(), bytes);
  EXPECT_EQ(all[0].size(), 7);
  ASSERT_OK_AND_ASSIGN(FileList none, FileList::Concat(std::vector<FileList>(2)));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(FileList nothing, FileList::Concat({}));
  EXPECT_TRUE(nothing.empty());
}

// Checkpoint-sized lists, some viewing held bytes (as checkpoint parts do), outlive the lists
// they came from: every file is there once, whole, in order.
TEST(FileListTest, LargeConcatKeepsEveryFileWhole) {
  std::vector<FileList> lists;
  int64_t next = 0;
  for (int p = 0; p < 3; ++p) {
    FileList part;
    auto held = std::make_shared<std::vector<std::string>>();
    held->push_back(std::to_string(p));  // the partition value, then the paths
    for (int i = 0; i < 30000; ++i) {
      held->push_back("d=" + std::to_string(p) + "/f-" + std::to_string(next + i));
    }
    part.HoldBytes(held);
    const std::vector<PartitionValueRef> values = {{"d", held->front()}};
    for (size_t i = 1; i < held->size(); ++i) {
      const std::string& path = (*held)[i];
      AddFields f;
      f.path = path;
      f.partition_values = values;
      f.size = next++;
      if (p == 1) {
        ASSERT_OK(part.AppendViews(f));
      } else {
        ASSERT_OK(part.Append(f));
      }
    }
    lists.push_back(std::move(part));
  }
  ASSERT_OK_AND_ASSIGN(FileList all, FileList::Concat(std::move(lists)));
  ASSERT_EQ(all.size(), 90000u);
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i].size(), static_cast<int64_t>(i));
    const std::string part = std::to_string(i / 30000);
    ASSERT_EQ(all[i].path(), "d=" + part + "/f-" + std::to_string(i));
    ASSERT_EQ(all[i].FindPartitionValue("d"), std::optional<std::optional<std::string_view>>(part));
  }
}

TEST(FileListTest, ManyFilesAcrossBlocksStayIntact) {
  // Enough bytes for several blocks, and strings larger than a first block.
  FileList list;
  const std::string big_stats(100 * 1024, 's');
  for (int i = 0; i < 20000; ++i) {
    Add a = MakeAdd("part-" + std::to_string(i) + ".parquet", i);
    a.partition_values = {{"d", std::to_string(i % 7)}};
    if (i % 1000 == 0) a.stats = big_stats;
    ASSERT_OK(list.Append(a));
  }
  ASSERT_EQ(list.size(), 20000u);
  for (int i = 0; i < 20000; i += 997) {
    EXPECT_EQ(list[i].path(), "part-" + std::to_string(i) + ".parquet");
    EXPECT_EQ(list[i].FindPartitionValue("d"),
              std::optional<std::optional<std::string_view>>(std::to_string(i % 7)));
  }
  EXPECT_EQ(list[0].stats()->size(), big_stats.size());
  EXPECT_EQ(list[1].stats(), std::optional<std::string_view>("{\"numRecords\":1}"));
}

TEST(FileListTest, CopiesShareBytesButGrowApart) {
  FileList a;
  ASSERT_OK(a.Append(MakeAdd("one")));
  FileList b = a;
  // Both append after the copy: neither may overwrite the other's bytes.
  ASSERT_OK(a.Append(MakeAdd("two-a")));
  ASSERT_OK(b.Append(MakeAdd("two-b")));
  EXPECT_EQ(Paths(a), (std::vector<std::string>{"one", "two-a"}));
  EXPECT_EQ(Paths(b), (std::vector<std::string>{"one", "two-b"}));
  EXPECT_EQ(a[0].path().data(), b[0].path().data());  // shared, not copied
  EXPECT_FALSE(a == b);
  FileList c = std::move(a);
  EXPECT_EQ(Paths(c), (std::vector<std::string>{"one", "two-a"}));
  FileList d;
  d = c;
  EXPECT_TRUE(d == c);
}

TEST(FileListTest, MergeDropsThenAppends) {
  FileList base;
  for (const char* p : {"b", "d", "f"}) {
    Add a = MakeAdd(p);
    a.partition_values = {{"k", std::string(p)}};
    ASSERT_OK(base.Append(a));
  }
  FileList fresh;
  for (const char* p : {"a", "d", "e", "g"}) {
    Add a = MakeAdd(p, 9);
    a.partition_values = {{"other", "x"}, {"k", std::string(p)}};
    ASSERT_OK(fresh.Append(a));
  }
  // "d" of the base was decided by the fresh commits (as its re-add is in `fresh`).
  ASSERT_OK_AND_ASSIGN(FileList merged,
                       FileList::Merge(
                           base, [](const FileRef& f) -> Result<bool> { return f.path() == "d"; },
                           fresh));
  // The base's files in their order, then the fresh ones in theirs.
  EXPECT_EQ(Paths(merged), (std::vector<std::string>{"b", "f", "a", "d", "e", "g"}));
  EXPECT_EQ(merged[0].path().data(), base[0].path().data());  // base bytes shared
  EXPECT_EQ(merged[3].size(), 9);                              // the fresh "d"
  EXPECT_EQ(merged[1].FindPartitionValue("k"),
            std::optional<std::optional<std::string_view>>("f"));
  EXPECT_EQ(merged[4].FindPartitionValue("other"),
            std::optional<std::optional<std::string_view>>("x"));
  EXPECT_EQ(merged[1].FindPartitionValue("other"), std::nullopt);

  auto failing = [](const FileRef&) -> Result<bool> { return Status::Corruption("bad path"); };
  Result<FileList> failed = FileList::Merge(base, failing, fresh);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "bad path");
}

}  // namespace
}  // namespace silt::delta
