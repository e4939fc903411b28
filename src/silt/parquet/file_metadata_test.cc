#include "silt/parquet/file_metadata.h"

#include <string>

#include <gtest/gtest.h>

#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

FileMetaData Sample() {
  FileMetaData md;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement a;
  a.name = "a";
  a.type = PhysicalType::kInt32;
  a.repetition_type = FieldRepetitionType::kRequired;
  md.schema = {root, a};
  md.num_rows = 0;
  md.created_by = "silt";
  md.key_value_metadata = {{"big", std::string(100000, 'x')}};  // footer > 64 KiB
  return md;
}

TEST(FileMetaDataTest, FooterRoundTripThroughFileSystem) {
  std::string file = "PAR1";
  AppendFooter(Sample(), &file);
  ASSERT_OK_AND_ASSIGN(FileMetaData parsed, ParseFileMetaData(file));
  EXPECT_EQ(parsed, Sample());

  fs::MemoryFileSystem memory;
  ASSERT_OK(memory.Put("/t/a.parquet", file));
  ASSERT_OK_AND_ASSIGN(auto f, memory.OpenRandomAccess("/t/a.parquet"));
  ASSERT_OK_AND_ASSIGN(FileMetaData read, ReadFileMetaData(*f));
  EXPECT_EQ(read, Sample());

  // A small footer is read in one go too.
  FileMetaData small = Sample();
  small.key_value_metadata.clear();
  std::string small_file = "PAR1";
  AppendFooter(small, &small_file);
  ASSERT_OK(memory.Put("/t/b.parquet", small_file));
  ASSERT_OK_AND_ASSIGN(auto g, memory.OpenRandomAccess("/t/b.parquet"));
  ASSERT_OK_AND_ASSIGN(FileMetaData read_small, ReadFileMetaData(*g));
  EXPECT_EQ(read_small, small);
}

TEST(FileMetaDataTest, BadFilesAreCorruption) {
  fs::MemoryFileSystem memory;
  auto read = [&](const std::string& bytes) -> Result<FileMetaData> {
    SILT_RETURN_NOT_OK(memory.Put("/x.parquet", bytes));
    SILT_ASSIGN_OR_RETURN(auto f, memory.OpenRandomAccess("/x.parquet"));
    return ReadFileMetaData(*f);
  };
  ASSERT_STATUS_CODE(kCorruption, read("PAR1"));
  ASSERT_STATUS_CODE(kCorruption, read("PAR1xxxxxxxxxxxxxxxxPAR2"));
  // Length larger than the file.
  ASSERT_STATUS_CODE(kCorruption, read(std::string("PAR1abcd\xff\xff\x00\x00PAR1", 16)));
  // Garbage footer.
  ASSERT_STATUS_CODE(kCorruption, read(std::string("PAR1\x1e\x1e\x1e\x1e\x04\x00\x00\x00PAR1",
                                                   16)));
  // Encrypted footer.
  ASSERT_STATUS_CODE(kUnsupported, read(std::string("PAR1abcd\x04\x00\x00\x00PARE", 16)));
  // Every truncation of a good file fails cleanly.
  std::string file = "PAR1";
  FileMetaData md = Sample();
  md.key_value_metadata.clear();
  AppendFooter(md, &file);
  for (size_t cut = 0; cut < file.size(); ++cut) {
    auto r = read(file.substr(0, cut));
    EXPECT_FALSE(r.ok()) << cut;
  }
}

TEST(FileMetaDataTest, ColumnChunkRange) {
  ColumnMetaData c;
  c.path_in_schema = {"a", "b"};
  c.data_page_offset = 100;
  c.total_compressed_size = 50;
  ASSERT_OK_AND_ASSIGN(ByteRange r, ColumnChunkRange(c, 1000));
  EXPECT_EQ(r.offset, 100);
  EXPECT_EQ(r.length, 50);
  c.dictionary_page_offset = 60;
  c.total_compressed_size = 90;
  ASSERT_OK_AND_ASSIGN(r, ColumnChunkRange(c, 1000));
  EXPECT_EQ(r.offset, 60);
  // A dictionary offset of 0 (some writers) means none.
  c.dictionary_page_offset = 0;
  ASSERT_OK_AND_ASSIGN(r, ColumnChunkRange(c, 1000));
  EXPECT_EQ(r.offset, 100);
  c.total_compressed_size = 990;
  auto bad = ColumnChunkRange(c, 1000);
  ASSERT_STATUS_CODE(kCorruption, bad);
  EXPECT_NE(bad.status().message().find("a.b"), std::string::npos) << bad.status().message();
  c.total_compressed_size = -1;
  ASSERT_STATUS_CODE(kCorruption, ColumnChunkRange(c, 1000));
}

}  // namespace
}  // namespace silt::parquet
