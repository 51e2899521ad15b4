// The presence effect file (see presence.hpp; docs/simulate.md).
#include "endstate/simulate/presence.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "endstate/core/error.hpp"
#include "endstate/core/yaml.hpp"

namespace endstate::simulate {

std::string to_string(Kind k) {
  switch (k) {
    case Kind::kOneSided:
      return "one_sided";
    case Kind::kStateBased:
      return "state_based";
    case Kind::kNonState:
      return "non_state";
    case Kind::kOther:
      return "other";
  }
  return "other";
}

PresenceEffect PresenceEffect::off() {
  PresenceEffect e;
  e.id = "none";
  e.none = true;
  e.effect = {0, 0, 0, 0};
  e.displacement_share = 0;
  e.withdrawal_spike = 0;
  return e;
}

double PresenceEffect::kind_ratio(std::size_t kind, double p, double p0) const {
  if (none || p == p0) return 1.0;
  return std::pow(1.0 + effect[kind], p - p0);
}

double PresenceEffect::presence_at(double km) const {
  if (km <= full_km) return 1.0;
  if (km >= zero_km) return 0.0;
  return (zero_km - km) / (zero_km - full_km);
}

const std::string& default_presence_yaml() {
  static const std::string text = R"(# Presence effect: how expected violence changes with peacekeepers' presence
# (docs/simulate.md). An assumption, not an estimate: adjust it, and compare
# with `--presence none`. Effects are relative changes of expected monthly
# violence under full presence (-0.4 = 40% less).
presence_effect:
  id: priors
  distance:
    full_km: 15   # full effect within this distance of an open base
    zero_km: 50   # none beyond; linear in between
  effect:
    # violence against civilians: Hultman, Kathman & Shannon 2013 (AJPS) find
    # civilian killings fall sharply with troops and police; Fjelde, Hultman &
    # Nilsson 2019 (IO) find local presence reduces rebel, not government,
    # one-sided violence - the panel cannot tell the perpetrator, so the
    # prior is below the rebel-only effect
    one_sided: -0.4
    # battle deaths: Hultman, Kathman & Shannon 2014 (APSR)
    state_based: -0.3
    # violence between non-state groups: weaker evidence (Bara 2020, EJIR:
    # troops show no effect on violence by other armed actors)
    non_state: -0.1
    other: 0.0
  displacement:
    # DR Congo 2000-2014: presence reduces violence locally and shifts some
    # of it to surrounding areas (ZeFKo 2019, doi 10.1007/s42597-019-00009-w)
    share: 0.25
    neighbours: 4
  withdrawal:
    # withdrawals are followed by spikes in political violence (Smidt et al. 2021)
    spike: 0.25
    months: 6
)";
  return text;
}

namespace {

class Ctx {
 public:
  explicit Ctx(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(const YAML::Node& n, const std::string& field, const std::string& msg) const {
    throw bad_input(msg, {file_, line(n), field});
  }
  static int line(const YAML::Node& n) { return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }
  void only_keys(const YAML::Node& map, const std::string& field, std::initializer_list<const char*> allowed) const {
    if (!map.IsMap()) fail(map, field, "expected a mapping");
    for (const auto& kv : map) {
      const auto key = kv.first.Scalar();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(kv.first, field + "." + key, "unknown key '" + key + "' (allowed: " + list + ")");
      }
    }
  }
  void no_duplicates(const YAML::Node& n, const std::string& field) const {
    if (n.IsMap()) {
      std::set<std::string> seen;
      for (const auto& kv : n) {
        const auto key = kv.first.Scalar();
        const std::string f = field.empty() ? key : field + "." + key;
        if (!seen.insert(key).second) fail(kv.first, f, "duplicate key '" + key + "'");
        no_duplicates(kv.second, f);
      }
    }
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
  int integer(const YAML::Node& n, const std::string& field, int lo, int hi) const {
    const double v = num(n, field, lo, hi);
    if (v != std::floor(v)) fail(n, field, "must be a whole number (got " + n.Scalar() + ")");
    return static_cast<int>(v);
  }
  static std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

 private:
  std::string file_;
};

bool has(const YAML::Node& m, const char* key) { return m.IsMap() && m[key].IsDefined() && !m[key].IsNull(); }

}  // namespace

PresenceEffect parse_presence_effect(const std::string& yaml_text, const std::string& file_name) {
  std::string trimmed = yaml_text;
  trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
  trimmed.erase(trimmed.find_last_not_of(" \t\r\n") + 1);
  if (trimmed == "none") return PresenceEffect::off();
  const Ctx c(file_name);
  // Not YAML::LoadAll: yaml-cpp 0.7 loops for ever on some inputs there (",a: 1");
  // check_yaml_document refuses a second document (and deep nesting) safely.
  check_yaml_document(yaml_text, file_name);
  YAML::Node doc;
  try {
    doc = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw bad_input("YAML syntax error: " + e.msg, {file_name, e.mark.line + 1, ""});
  }
  if (!doc.IsMap() || !doc["presence_effect"].IsDefined()) {
    throw bad_input("the file must hold a top-level 'presence_effect:' mapping (or the word none)",
                    {file_name, 1, "presence_effect"});
  }
  c.no_duplicates(doc, "");
  c.only_keys(doc, "", {"presence_effect"});
  const YAML::Node root = doc["presence_effect"];
  const std::string f = "presence_effect";
  c.only_keys(root, f, {"id", "none", "distance", "effect", "displacement", "withdrawal"});
  PresenceEffect e;
  if (has(root, "id")) {
    if (!root["id"].IsScalar()) c.fail(root["id"], f + ".id", "expected a text value");
    e.id = root["id"].Scalar();
  }
  if (has(root, "none")) {
    const std::string v = root["none"].IsScalar() ? root["none"].Scalar() : "";
    if (v != "true" && v != "false") c.fail(root["none"], f + ".none", "expected true or false");
    if (v == "true") {
      PresenceEffect off = PresenceEffect::off();
      off.id = e.id;
      return off;
    }
  }
  if (has(root, "distance")) {
    const YAML::Node d = root["distance"];
    c.only_keys(d, f + ".distance", {"full_km", "zero_km"});
    if (has(d, "full_km")) e.full_km = c.num(d["full_km"], f + ".distance.full_km", 0, 1000);
    if (has(d, "zero_km")) e.zero_km = c.num(d["zero_km"], f + ".distance.zero_km", 0, 2000);
    if (e.zero_km <= e.full_km) {
      c.fail(has(d, "zero_km") ? d["zero_km"] : d, f + ".distance.zero_km",
             "must be larger than full_km (" + Ctx::fmt(e.full_km) + ")");
    }
  }
  if (has(root, "effect")) {
    const YAML::Node k = root["effect"];
    c.only_keys(k, f + ".effect", {"one_sided", "state_based", "non_state", "other"});
    for (std::size_t i = 0; i < kKinds; ++i) {
      const std::string name = to_string(static_cast<Kind>(i));
      if (has(k, name.c_str())) e.effect[i] = c.num(k[name], f + ".effect." + name, -0.99, 10);
    }
  }
  if (has(root, "displacement")) {
    const YAML::Node d = root["displacement"];
    c.only_keys(d, f + ".displacement", {"share", "neighbours"});
    if (has(d, "share")) e.displacement_share = c.num(d["share"], f + ".displacement.share", 0, 1);
    if (has(d, "neighbours"))
      e.displacement_neighbours = c.integer(d["neighbours"], f + ".displacement.neighbours", 1, 64);
  }
  if (has(root, "withdrawal")) {
    const YAML::Node w = root["withdrawal"];
    c.only_keys(w, f + ".withdrawal", {"spike", "months"});
    if (has(w, "spike")) e.withdrawal_spike = c.num(w["spike"], f + ".withdrawal.spike", 0, 10);
    if (has(w, "months")) e.withdrawal_months = c.integer(w["months"], f + ".withdrawal.months", 0, 60);
  }
  return e;
}

}  // namespace endstate::simulate
