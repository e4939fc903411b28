#include "silt/delta/table/field_lookup.h"

#include <initializer_list>
#include <vector>

#include <gtest/gtest.h>

#include "silt/columnar/data_type.h"

namespace silt::delta {
namespace {

namespace col = ::silt::columnar;

std::vector<col::Field> Fields(std::initializer_list<const char*> names) {
  std::vector<col::Field> out;
  for (const char* n : names) out.emplace_back(n, col::Int64());
  return out;
}

TEST(ResolveFieldIndexTest, ExactNameWinsOverEarlierCaseInsensitiveMatch) {
  std::vector<col::Field> fields = Fields({"Id", "id", "value"});
  EXPECT_EQ(ResolveFieldIndex(fields, "id"), 1);
  EXPECT_EQ(ResolveFieldIndex(fields, "Id"), 0);
  EXPECT_EQ(ResolveFieldIndex(fields, "value"), 2);
}

TEST(ResolveFieldIndexTest, FallsBackToFirstCaseInsensitiveMatch) {
  std::vector<col::Field> fields = Fields({"a", "Value", "VALUE"});
  EXPECT_EQ(ResolveFieldIndex(fields, "value"), 1);
  EXPECT_EQ(ResolveFieldIndex(fields, "A"), 0);
}

TEST(ResolveFieldIndexTest, MissingNameIsMinusOne) {
  EXPECT_EQ(ResolveFieldIndex(Fields({"a", "b"}), "c"), -1);
  EXPECT_EQ(ResolveFieldIndex(Fields({"a", "b"}), "a "), -1);
  EXPECT_EQ(ResolveFieldIndex(Fields({}), "a"), -1);
  // Only ASCII letters fold: "É" does not resolve to "é".
  EXPECT_EQ(ResolveFieldIndex(Fields({"caf\xC3\xA9"}), "CAF\xC3\x89"), -1);
  EXPECT_EQ(ResolveFieldIndex(Fields({"caf\xC3\xA9"}), "CAF\xC3\xA9"), 0);
}

}  // namespace
}  // namespace silt::delta
