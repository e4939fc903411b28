// Bad bytes never crash the log readers: every truncation and many random mutations of real log
// content give either a result or a clean error (kCorruption, or kUnsupported for a value silt
// does not know). Run under AddressSanitizer/UBSan, this is a small deterministic fuzzer.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/last_checkpoint.h"
#include "silt/delta/table/schema.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

constexpr std::string_view kCommit =
    R"({"commitInfo":{"timestamp":1677811194429,"operation":"DELETE","operationParameters":{"predicate":"[\"(value IN (0, 9))\"]"},"readVersion":0,"isBlindAppend":false,"txnId":"6d9555a2"}}
{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}}
{"metaData":{"id":"5fba94ed","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":["d"],"configuration":{"k":"v"},"createdTime":1587968585495}}
{"remove":{"path":"a%20b.parquet","deletionTimestamp":1677811194426,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{"d":null},"size":635}}
{"add":{"path":"a%20b.parquet","partitionValues":{"d":"x"},"size":635,"modificationTime":1677811178336,"dataChange":true,"stats":"{\"numRecords\":10}","tags":{"T":"1"},"deletionVector":{"storageType":"u","pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA","offset":1,"sizeInBytes":36,"cardinality":2},"baseRowId":4}}
{"txn":{"appId":"app","version":42,"lastUpdated":1704067200000}}
{"domainMetadata":{"domain":"delta.rowTracking","configuration":"{}","removed":false}}
{"cdc":{"path":"_change_data/c.parquet","partitionValues":{},"size":1200,"dataChange":false}}
{"sidecar":{"path":"s.parquet","sizeInBytes":1,"modificationTime":2}}
{"checkpointMetadata":{"version":3,"tags":{}}}
)";

constexpr std::string_view kSchema =
    R"j({"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{"delta.columnMapping.id":1}},{"name":"m","type":{"type":"map","keyType":"string","valueType":{"type":"array","elementType":"decimal(10,2)","containsNull":true},"valueContainsNull":true},"nullable":true,"metadata":{}}]})j";

constexpr std::string_view kLastCheckpoint =
    R"({"version":10,"size":13,"parts":2,"sizeInBytes":14800,"numOfAddFiles":1})";

void ExpectCleanOutcome(const Status& status, std::string_view input) {
  if (status.ok()) return;
  EXPECT_TRUE(status.code() == StatusCode::kCorruption || status.code() == StatusCode::kUnsupported)
      << status.ToString() << "\ninput: " << input;
  EXPECT_FALSE(status.message().empty());
}

void CheckAll(std::string_view input) {
  ExpectCleanOutcome(ParseCommitFile(input, "f.json").status(), input);
  ExpectCleanOutcome(ParseSchemaString(input).status(), input);
  ExpectCleanOutcome(ParseLastCheckpoint(input).status(), input);
}

TEST(ActionJsonMutationTest, EveryTruncation) {
  for (std::string_view doc : {kCommit, kSchema, kLastCheckpoint}) {
    for (size_t n = 0; n <= doc.size(); ++n) CheckAll(doc.substr(0, n));
  }
}

TEST(ActionJsonMutationTest, RandomMutations) {
  std::mt19937 rng(20261128);
  constexpr std::string_view kInteresting = "{}[]\",:\\0123456789-.eEtrufalsn \n\x80\xff";
  for (std::string_view doc : {kCommit, kSchema, kLastCheckpoint}) {
    for (int iteration = 0; iteration < 3000; ++iteration) {
      std::string mutated(doc);
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !mutated.empty(); ++e) {
        size_t at = rng() % mutated.size();
        switch (rng() % 3) {
          case 0:  // replace
            mutated[at] = kInteresting[rng() % kInteresting.size()];
            break;
          case 1:  // delete
            mutated.erase(at, 1 + rng() % 3);
            break;
          default:  // insert
            mutated.insert(at, 1, kInteresting[rng() % kInteresting.size()]);
            break;
        }
      }
      CheckAll(mutated);
    }
  }
}

TEST(ActionJsonMutationTest, TheUnmutatedInputsParse) {
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ParseCommitFile(kCommit, "f.json"));
  EXPECT_EQ(actions.size(), 10u);
  ASSERT_OK(ParseSchemaString(kSchema));
  ASSERT_OK(ParseLastCheckpoint(kLastCheckpoint));
}

}  // namespace
}  // namespace silt::delta
