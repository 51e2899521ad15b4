// YAML checks with yaml-cpp (kept out of the public header). yaml-cpp loads a
// mapping with a repeated key, and later documents of a stream, without a
// word; these checks make both errors with a position.
#include "endstate/core/yaml.hpp"

#include <cstdint>
#include <map>
#include <sstream>
#include <string>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"

namespace endstate {
namespace {

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

/// Parser events that only note where the document's first event is.
class MarkOfFirstEvent final : public YAML::EventHandler {
 public:
  [[nodiscard]] std::int64_t line() const { return seen_ && mark_.line >= 0 ? mark_.line + 1 : 0; }
  void OnDocumentStart(const YAML::Mark& m) override { note(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { note(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnMapEnd() override {}

 private:
  void note(const YAML::Mark& m) {
    if (!seen_) mark_ = m;
    seen_ = true;
  }
  YAML::Mark mark_;
  bool seen_ = false;
};

class Walker {
 public:
  explicit Walker(const std::string& file) : file_(file) {}

  void walk(const YAML::Node& n, const std::string& path, int depth) {
    if (++values_ > kMaxYamlValues) {
      throw bad_input("the document expands to more than " + std::to_string(kMaxYamlValues) +
                          " values (anchors and aliases used over and over?)",
                      {file_, line_of(n), path});
    }
    if (depth > kMaxYamlDepth) {
      throw bad_input("lists and mappings nested more than " + std::to_string(kMaxYamlDepth) + " deep",
                      {file_, line_of(n), path});
    }
    switch (n.Type()) {
      case YAML::NodeType::Scalar:
        if (n.Scalar().find('\0') != std::string::npos) {
          throw bad_input("a value holds a NUL byte (\\0)", {file_, line_of(n), path});
        }
        return;
      case YAML::NodeType::Sequence:
        for (std::size_t i = 0; i < n.size(); ++i) walk(n[i], path + "[" + std::to_string(i) + "]", depth + 1);
        return;
      case YAML::NodeType::Map: {
        std::map<std::string, int> seen;
        for (const auto& kv : n) {
          if (!kv.first.IsScalar()) {
            throw bad_input("a key must be plain text, not a list or a mapping", {file_, line_of(kv.first), path});
          }
          const std::string& key = kv.first.Scalar();
          const std::string sub = path.empty() ? key : path + "." + key;
          if (key.find('\0') != std::string::npos) {
            throw bad_input("a key holds a NUL byte (\\0)", {file_, line_of(kv.first), path});
          }
          if (const auto [it, inserted] = seen.emplace(key, line_of(kv.first)); !inserted) {
            throw bad_input("key '" + key + "' is given twice in this mapping (first on line " +
                                std::to_string(it->second) + "); keep one",
                            {file_, line_of(kv.first), sub});
          }
          walk(kv.second, sub, depth + 1);
        }
        return;
      }
      default:
        return;
    }
  }

 private:
  const std::string& file_;
  long values_ = 0;
};

/// Deepest bracket nesting of flow collections, outside quotes and comments:
/// yaml-cpp parses them recursively, so this is checked before it runs.
void check_flow_depth(std::string_view text, const std::string& file) {
  int depth = 0;
  std::int64_t line = 1;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      comment = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxYamlDepth) {
        throw bad_input("lists and mappings nested more than " + std::to_string(kMaxYamlDepth) + " deep",
                        {file, line, ""});
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

/// Deepest block indentation: yaml-cpp also recurses once per indented level.
void check_indent_depth(std::string_view text, const std::string& file) {
  std::int64_t line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::size_t indent = 0;
    while (start + indent < end && (text[start + indent] == ' ' || text[start + indent] == '-')) ++indent;
    if (indent > static_cast<std::size_t>(kMaxYamlDepth) * 8) {
      throw bad_input("a line indented more than " + std::to_string(kMaxYamlDepth * 8) + " columns", {file, line, ""});
    }
    ++line;
    start = end + 1;
  }
}

}  // namespace

void check_yaml_document(std::string_view text, const std::string& file) {
  check_text(text, file);
  check_flow_depth(text, file);
  check_indent_depth(text, file);
  const std::string s(text);
  YAML::Node doc;
  try {
    doc = YAML::Load(s);
    // A second document. Not YAML::LoadAll: yaml-cpp 0.7 loops for ever on
    // some inputs there (",>" is one; found by the framework fuzzer), where
    // asking the parser for two documents returns.
    std::istringstream in(s);
    YAML::Parser parser(in);
    MarkOfFirstEvent first, second;
    if (parser.HandleNextDocument(first) && parser.HandleNextDocument(second)) {
      throw bad_input("a second YAML document starts here ('---'); the file must hold one document",
                      {file, second.line(), ""});
    }
  } catch (const YAML::Exception& e) {
    throw bad_input("YAML syntax error: " + e.msg, {file, e.mark.line >= 0 ? e.mark.line + 1 : 0, ""});
  }
  if (!doc.IsDefined() || doc.IsNull()) return;
  try {
    Walker(file).walk(doc, "", 0);
  } catch (const YAML::Exception& e) {
    throw bad_input("YAML structure error: " + e.msg, {file, e.mark.line >= 0 ? e.mark.line + 1 : 0, ""});
  }
}

}  // namespace endstate
