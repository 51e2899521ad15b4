#include <gtest/gtest.h>

#include "endstate/core/hash.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate {
namespace {

TEST(Utf8, Validation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xC3\x89quateur"));
  EXPECT_FALSE(is_valid_utf8("\xC9quateur"));   // Latin-1 byte
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_EQ(first_invalid_utf8("ab\xFF"), 2u);
}

TEST(Utf8, RepairsDoubleEncoding) {
  // "Ã‰quateur": É (C3 89) read as CP1252 ("Ã" U+00C3, "‰" U+2030) and encoded again.
  EXPECT_EQ(repair_double_utf8("\xC3\x83\xE2\x80\xB0quateur"), "\xC3\x89quateur");
  // "KasaÃ¯" -> "Kasaï"
  EXPECT_EQ(repair_double_utf8("Kasa\xC3\x83\xC2\xAF"), "Kasa\xC3\xAF");
  // Already correct text is left alone.
  EXPECT_EQ(repair_double_utf8("\xC3\x89quateur"), "\xC3\x89quateur");
  EXPECT_EQ(repair_double_utf8("Goma"), "Goma");
  EXPECT_EQ(repair_double_utf8("\xFF"), "\xFF");
}

TEST(Hash, Sha256KnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Utf8, PrintableReplacesBadBytesAndNul) {
  EXPECT_EQ(printable_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(printable_utf8("a\xFF"
                           "b\xC3("),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD(");
  EXPECT_EQ(printable_utf8(std::string_view("x\0y", 3)), "x\\0y");
  EXPECT_TRUE(is_valid_utf8(printable_utf8("\xF0\x28\x8C\x28")));
}

}  // namespace
}  // namespace endstate
