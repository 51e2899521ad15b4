#pragma once
// Reading a validated YAML input file (plan files, task registers): one
// document with one top-level mapping, duplicate keys refused anywhere (yaml-cpp
// keeps both and reads the first; an input must not be ambiguous), unknown keys
// refused with the allowed ones listed, and every value read with the file,
// line and field of the first problem (Error(kBadInput), core/error.hpp).
//
// Header-only and private to src/: a module that includes it links yaml-cpp
// privately (PRIVATE_DEPS yaml-cpp); no yaml-cpp type reaches a public header.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "endstate/core/error.hpp"
#include "endstate/core/types.hpp"
#include "endstate/core/yaml.hpp"

namespace endstate::detail {

/// The file name and the readers of values, each failing with file:line:field.
class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& n, const std::string& field, const std::string& msg) const {
    throw bad_input(msg, {file_, line(n), field});
  }
  [[noreturn]] void fail_line(int line, const std::string& field, const std::string& msg) const {
    throw bad_input(msg, {file_, line, field});
  }
  /// 1-based line of a node, 0 when unknown.
  static int line(const YAML::Node& n) { return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }
  static std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }
  static std::string idx(const std::string& list, std::size_t i) { return list + "[" + std::to_string(i) + "]"; }

  /// Parses `text` as one YAML document whose top level is a mapping with the
  /// single key `root_key`; returns the value under it. `what` names the file
  /// kind in messages ("a plan file").
  YAML::Node load_document(const std::string& text, const std::string& root_key, const std::string& what) const {
    // Size, depth, NUL bytes and a second document are refused first, without
    // YAML::LoadAll: yaml-cpp 0.7 loops for ever on some inputs there (",a: 1";
    // found by the plan fuzzer). `what` names the file kind in messages.
    try {
      check_yaml_document(text, file_);
    } catch (const Error& e) {
      if (e.message().find("second YAML document") == std::string::npos) throw;
      throw bad_input("the file holds more than one YAML document ('---'); " + what + " holds one", e.where());
    }
    YAML::Node doc;
    try {
      doc = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw bad_input("YAML syntax error: " + e.msg, {file_, e.mark.line + 1, ""});
    }
    if (!doc.IsMap() || !doc[root_key].IsDefined()) {
      fail_line(1, root_key, "the file must hold a top-level '" + root_key + ":' mapping");
    }
    check_duplicate_keys(doc, "");
    return doc;
  }

  /// Refuses a mapping with the same key twice anywhere below `n`.
  void check_duplicate_keys(const YAML::Node& n, const std::string& field) const {
    if (n.IsMap()) {
      std::set<std::string> seen;
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) fail(kv.first, field, "keys must be plain text");
        const std::string key = kv.first.Scalar();
        if (!seen.insert(key).second) fail(kv.first, join(field, key), "duplicate key '" + key + "'");
        check_duplicate_keys(kv.second, join(field, key));
      }
    } else if (n.IsSequence()) {
      for (std::size_t i = 0; i < n.size(); ++i) check_duplicate_keys(n[i], idx(field, i));
    }
  }

  void only_keys(const YAML::Node& map, const std::string& field, std::initializer_list<const char*> allowed) const {
    if (!map.IsMap()) fail(map, field, "expected a mapping");
    for (const auto& kv : map) {
      const auto key = kv.first.Scalar();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(kv.first, join(field, key), "unknown key '" + key + "' (allowed: " + list + ")");
      }
    }
  }
  /// The value under `key`, or an undefined node.
  static YAML::Node get(const YAML::Node& map, const char* key) {
    if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node n = map[key];
    return n;
  }
  /// Whether `key` is present with a non-null value.
  static bool has(const YAML::Node& map, const char* key) {
    const YAML::Node n = get(map, key);
    return n.IsDefined() && !n.IsNull();
  }
  /// The value under `key`; fails naming the field when it is missing.
  YAML::Node required(const YAML::Node& map, const std::string& field, const char* key) const {
    if (!has(map, key)) fail(map, join(field, key), std::string("missing required field '") + key + "'");
    return map[key];
  }
  std::string text(const YAML::Node& n, const std::string& field) const {
    if (!n.IsScalar()) fail(n, field, "expected a text value");
    return n.Scalar();
  }
  double num(const YAML::Node& n, const std::string& field, double lo, double hi) const {
    if (!n.IsScalar()) fail(n, field, "expected a number");
    double v = 0;
    try {
      v = n.as<double>();
    } catch (const YAML::Exception&) {
      fail(n, field, "expected a number, got '" + n.Scalar() + "'");
    }
    if (!std::isfinite(v) || v < lo || v > hi) {
      fail(n, field, "must be a number in " + fmt(lo) + ".." + fmt(hi) + " (got " + n.Scalar() + ")");
    }
    return v;
  }
  std::int64_t integer(const YAML::Node& n, const std::string& field, std::int64_t lo, std::int64_t hi) const {
    if (!n.IsScalar()) fail(n, field, "expected a whole number");
    double v = 0;
    try {
      v = n.as<double>();
    } catch (const YAML::Exception&) {
      fail(n, field, "expected a whole number, got '" + n.Scalar() + "'");
    }
    if (!std::isfinite(v) || v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
      fail(n, field,
           "must be a whole number in " + std::to_string(lo) + ".." + std::to_string(hi) + " (got " + n.Scalar() + ")");
    }
    return static_cast<std::int64_t>(v);
  }
  bool boolean(const YAML::Node& n, const std::string& field) const {
    if (!n.IsScalar()) fail(n, field, "expected true or false");
    const std::string s = n.Scalar();
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
    fail(n, field, "expected true or false (got '" + s + "')");
  }
  Month month(const YAML::Node& n, const std::string& field) const {
    if (!n.IsScalar()) fail(n, field, "expected a month YYYY-MM");
    const auto m = Month::parse(n.Scalar());
    if (!m) fail(n, field, "expected a month YYYY-MM (got '" + n.Scalar() + "')");
    return *m;
  }
  /// A list of distinct non-empty texts (absent or null = empty).
  std::vector<std::string> names(const YAML::Node& n, const std::string& field) const {
    std::vector<std::string> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsSequence()) fail(n, field, "expected a list");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const auto s = text(n[i], idx(field, i));
      if (s.empty()) fail(n[i], idx(field, i), "must not be empty");
      if (!seen.insert(s).second) fail(n[i], idx(field, i), "'" + s + "' is listed twice");
      out.push_back(s);
    }
    return out;
  }
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  static std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  std::string file_;
};

}  // namespace endstate::detail
