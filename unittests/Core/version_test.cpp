//===- version_test.cpp - Tests for xcs/version.h -------------------------===//

#include "xcs/version.h"

#include <gtest/gtest.h>

#include <string>

namespace xcs {
namespace {

// The macros are integers, usable in `#if`.
#if XCS_VERSION_MAJOR < 0 || XCS_VERSION_MINOR < 0 || XCS_VERSION_PATCH < 0
#error "the version macros are not non-negative integers"
#endif

TEST(VersionTest, HeaderSaysTheProjectVersion) {
  EXPECT_STREQ(XCS_VERSION_STRING, XCS_TEST_PROJECT_VERSION);
  EXPECT_EQ(XCS_VERSION_STRING, std::to_string(XCS_VERSION_MAJOR) + "." +
                                    std::to_string(XCS_VERSION_MINOR) + "." +
                                    std::to_string(XCS_VERSION_PATCH));
}

TEST(VersionTest, LibraryMatchesTheHeaders) {
  EXPECT_EQ(version(), XCS_VERSION_STRING);
}

} // namespace
} // namespace xcs
