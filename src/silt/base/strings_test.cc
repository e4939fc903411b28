#include "silt/base/strings.h"

#include <string>

#include <gtest/gtest.h>

namespace silt {
namespace {

TEST(EqualsIgnoreAsciiCaseTest, FoldsAsciiLettersOnly) {
  EXPECT_TRUE(EqualsIgnoreAsciiCase("", ""));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Event_Date", "event_DATE"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("TRUE", "true"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("id", "ids"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("ids", "id"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("a_b", "a-b"));
  // '@' and '`' sit just outside 'A'-'Z' and 'a'-'z': they must not fold into letters.
  EXPECT_FALSE(EqualsIgnoreAsciiCase("@", "`"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("[", "{"));
}

TEST(EqualsIgnoreAsciiCaseTest, NonAsciiBytesCompareExactly) {
  // "É" and "é" in UTF-8 differ in their second byte; only ASCII letters fold.
  EXPECT_FALSE(EqualsIgnoreAsciiCase("\xC3\x89", "\xC3\xA9"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Caf\xC3\xA9", "CAF\xC3\xA9"));
  std::string with_nul("a\0B", 3);
  EXPECT_TRUE(EqualsIgnoreAsciiCase(with_nul, std::string("A\0b", 3)));
  EXPECT_FALSE(EqualsIgnoreAsciiCase(with_nul, "a"));
}

}  // namespace
}  // namespace silt
