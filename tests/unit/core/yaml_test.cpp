// YAML structure checks (issue 18, item 10): duplicate keys, extra documents,
// keys that are not text, bad bytes and pathological nesting are errors with
// file and line, before a framework or weights file is read for its meaning.
#include <string>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/core/yaml.hpp"

namespace endstate {
namespace {

Error error_of(const std::string& text) {
  try {
    check_yaml_document(text, "f.yaml");
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an error for: " << text;
  return Error(ErrorCategory::kInternal, "none");
}

TEST(CheckYaml, AcceptsOrdinaryDocuments) {
  EXPECT_NO_THROW(check_yaml_document("", "f.yaml"));
  EXPECT_NO_THROW(check_yaml_document("a: 1\nb: [x, y]\nc: {d: 2}\n# comment [[[\n", "f.yaml"));
  EXPECT_NO_THROW(check_yaml_document("---\na: 1\n...\n", "f.yaml"));
  EXPECT_NO_THROW(check_yaml_document("base: &b {x: 1}\nother: *b\n", "f.yaml"));
}

TEST(CheckYaml, DuplicateKeyNamesBothLines) {
  const Error e = error_of("framework:\n  id: a\n  name: x\n  id: b\n");
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().file, "f.yaml");
  EXPECT_EQ(e.where().line, 4);
  EXPECT_EQ(e.where().field, "framework.id");
  EXPECT_NE(e.message().find("first on line 2"), std::string::npos) << e.what();
}

TEST(CheckYaml, DuplicateKeyInsideAListItem) {
  const Error e = error_of("list:\n  - id: a\n    id: b\n");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().field, "list[0].id");
}

TEST(CheckYaml, SecondDocumentIsRefused) {
  const Error e = error_of("a: 1\n---\nb: 2\n");
  EXPECT_EQ(e.where().line, 2);
  EXPECT_NE(e.message().find("second YAML document"), std::string::npos);
}

// Found by fuzzing: YAML::LoadAll (used at first to count documents) never
// returns on these; the check must end, with an error.
TEST(CheckYaml, InputsThatHungYamlCppLoadAll) {
  EXPECT_EQ(error_of(",>").category(), ErrorCategory::kBadInput);
  EXPECT_EQ(error_of(std::string(43, '\'') + "{vac\x01" + "events: 2',").category(), ErrorCategory::kBadInput);
}

TEST(CheckYaml, KeysMustBeText) {
  EXPECT_EQ(error_of("? [a, b]\n: 1\n").where().line, 1);
  EXPECT_NE(error_of("{[x]: 1}\n").message().find("plain text"), std::string::npos);
}

TEST(CheckYaml, SyntaxErrorHasLine) {
  const Error e = error_of("a: 1\nb: [unclosed\n");
  EXPECT_NE(e.message().find("syntax"), std::string::npos);
  EXPECT_GE(e.where().line, 2);
}

TEST(CheckYaml, BadBytes) {
  EXPECT_EQ(error_of("a: 1\nb: \xFF\n").where().line, 2);
  EXPECT_EQ(error_of(std::string("a: 1\nb: x\0y\n", 12)).where().line, 2);
  EXPECT_NE(error_of("a: \"x\\0y\"\n").message().find("NUL"), std::string::npos);
}

TEST(CheckYaml, NestingAndAliasBombsAreBounded) {
  EXPECT_NE(error_of(std::string(200, '[') + std::string(200, ']')).message().find("nested"), std::string::npos);
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int k = 0; k < 10; ++k) bomb += std::string(k ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  EXPECT_NE(error_of(bomb).message().find("more than"), std::string::npos);
}

}  // namespace
}  // namespace endstate
