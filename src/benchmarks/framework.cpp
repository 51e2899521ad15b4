#include "endstate/benchmarks/framework.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <yaml-cpp/yaml.h>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/types.hpp"
#include "endstate/core/yaml.hpp"

namespace endstate::benchmarks {
namespace {

template <typename E>
struct Names {
  E value;
  const char* name;
};

constexpr Names<Category> kCategories[] = {
    {Category::kProtection, "protection"},
    {Category::kStateAuthority, "state_authority"},
    {Category::kJusticeAccountability, "justice_accountability"},
    {Category::kDdr, "ddr"},
    {Category::kIdpReturns, "idp_returns"},
    {Category::kPolitical, "political"},
    {Category::kOther, "other"},
};
constexpr Names<Statistic> kStatistics[] = {
    {Statistic::kSum, "sum"},
    {Statistic::kMean, "mean"},
    {Statistic::kMax, "max"},
    {Statistic::kMin, "min"},
    {Statistic::kMonthsWithAny, "months_with_any"},
    {Statistic::kLast, "last"},
};
constexpr Names<SeriesSpec::Measure> kMeasures[] = {
    {SeriesSpec::Measure::kEvents, "events"},
    {SeriesSpec::Measure::kFatalities, "fatalities"},
    {SeriesSpec::Measure::kCivilianDeaths, "civilian_deaths"},
};

template <typename E, std::size_t N>
std::string names_of(const Names<E> (&table)[N]) {
  std::string s;
  for (std::size_t i = 0; i < N; ++i) s += (i ? ", " : "") + std::string(table[i].name);
  return s;
}

/// Parsing context: the file name and error helpers with line and field.
class Ctx {
 public:
  explicit Ctx(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(const YAML::Node& n, const std::string& field, const std::string& msg) const {
    const int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    throw bad_input(msg, {file_, line, field});
  }
  [[noreturn]] void fail_line(int line, const std::string& field, const std::string& msg) const {
    throw bad_input(msg, {file_, line, field});
  }

  void only_keys(const YAML::Node& map, const std::string& field, std::initializer_list<const char*> allowed) const {
    if (!map.IsMap()) fail(map, field, "expected a mapping");
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(kv.first, join(field, key), "unknown key '" + key + "' (allowed: " + list + ")");
      }
    }
  }
  std::string str(const YAML::Node& map, const std::string& field, const char* key, bool required,
                  const std::string& def = "") const {
    const YAML::Node n = map[key];
    if (!n.IsDefined() || n.IsNull()) {
      if (required) fail(map, join(field, key), std::string("missing required field '") + key + "'");
      return def;
    }
    if (!n.IsScalar()) fail(n, join(field, key), "expected a text value");
    return n.as<std::string>();
  }
  double num(const YAML::Node& n, const std::string& field) const {
    if (!n.IsScalar()) fail(n, field, "expected a number");
    try {
      const double v = n.as<double>();
      if (!std::isfinite(v)) fail(n, field, "expected a finite number");
      return v;
    } catch (const YAML::Exception&) {
      fail(n, field, "expected a number, got '" + n.as<std::string>() + "'");
    }
  }
  int integer(const YAML::Node& n, const std::string& field, int lo, int hi) const {
    const double v = num(n, field);
    if (v != std::floor(v) || v < lo || v > hi) {
      fail(n, field, "expected a whole number in " + std::to_string(lo) + ".." + std::to_string(hi));
    }
    return static_cast<int>(v);
  }
  static std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }
  template <typename E, std::size_t N>
  E pick(const YAML::Node& n, const std::string& field, const Names<E> (&table)[N], const char* what) const {
    if (!n.IsScalar()) fail(n, field, std::string("expected a ") + what);
    const auto s = n.as<std::string>();
    for (const auto& e : table)
      if (s == e.name) return e.value;
    fail(n, field, std::string("bad ") + what + " '" + s + "' (allowed: " + names_of(table) + ")");
  }
  int line(const YAML::Node& n) const { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

 private:
  std::string file_;
};

std::string idx(const std::string& list, std::size_t i) { return list + "[" + std::to_string(i) + "]"; }

Derivation parse_derivation(const Ctx& c, const YAML::Node& n, const std::string& field, IndicatorSource source) {
  Derivation d;
  if (source == IndicatorSource::kEvents) {
    c.only_keys(n, field, {"measure", "violence_types", "window_months", "statistic", "per_population"});
    if (!n["measure"].IsDefined()) c.fail(n, field + ".measure", "missing required field 'measure'");
    d.measure = c.pick(n["measure"], field + ".measure", kMeasures, "measure");
    if (const auto vt = n["violence_types"]; vt.IsDefined() && !vt.IsNull()) {
      if (!vt.IsSequence()) c.fail(vt, field + ".violence_types", "expected a list of violence types");
      for (std::size_t i = 0; i < vt.size(); ++i) {
        if (!vt[i].IsScalar()) c.fail(vt[i], idx(field + ".violence_types", i), "expected a violence type name");
        const auto s = vt[i].as<std::string>();
        const auto t = parse_violence_type(s);
        if (!t) {
          c.fail(vt[i], idx(field + ".violence_types", i),
                 "unknown violence type '" + s +
                     "' (allowed: state_based, non_state, one_sided, riots, protests, "
                     "remote, strategic, other)");
        }
        d.violence_types.push_back(*t);
      }
      if (d.measure == SeriesSpec::Measure::kCivilianDeaths && !d.violence_types.empty()) {
        c.fail(vt, field + ".violence_types",
               "civilian deaths are not split by violence type in the panel; use measure: fatalities with "
               "violence_types: [one_sided] for deaths in violence against civilians");
      }
    }
  } else {
    c.only_keys(n, field, {"indicator", "window_months", "statistic", "per_population"});
    d.observed_indicator = c.str(n, field, "indicator", true);
  }
  d.window_months =
      n["window_months"].IsDefined() ? c.integer(n["window_months"], field + ".window_months", 1, 600) : 1;
  d.statistic = n["statistic"].IsDefined() ? c.pick(n["statistic"], field + ".statistic", kStatistics, "statistic")
                                           : (d.window_months == 1 ? Statistic::kLast : Statistic::kSum);
  if (d.statistic == Statistic::kLast && d.window_months != 1) {
    c.fail(n["statistic"], field + ".statistic", "statistic 'last' needs window_months: 1");
  }
  if (const auto pp = n["per_population"]; pp.IsDefined() && !pp.IsNull()) {
    const double v = c.num(pp, field + ".per_population");
    if (v <= 0) c.fail(pp, field + ".per_population", "must be > 0 (e.g. 100000)");
    d.per_population = v;
  }
  return d;
}

}  // namespace

std::string to_string(BenchmarkKind k) { return k == BenchmarkKind::kCore ? "core" : "contextual"; }
std::string to_string(Category c) {
  for (const auto& e : kCategories)
    if (e.value == c) return e.name;
  return "other";
}
std::string to_string(Direction d) { return d == Direction::kLowerIsBetter ? "lower_is_better" : "higher_is_better"; }
std::string to_string(IndicatorSource s) { return s == IndicatorSource::kObserved ? "observed" : "events"; }
std::string to_string(Statistic s) {
  for (const auto& e : kStatistics)
    if (e.value == s) return e.name;
  return "last";
}

double Threshold::for_area(const std::string& area_id) const {
  const auto it = per_area.find(area_id);
  return it == per_area.end() ? value : it->second;
}

int Stakeholder::sustain_for(const std::string& indicator) const {
  const auto it = thresholds.find(indicator);
  return it != thresholds.end() && it->second.sustain_months ? *it->second.sustain_months : sustain_months;
}

std::optional<std::size_t> Framework::indicator_index(const std::string& wanted) const {
  for (std::size_t i = 0; i < indicators.size(); ++i)
    if (indicators[i].id == wanted) return i;
  return std::nullopt;
}
std::optional<std::size_t> Framework::stakeholder_index(const std::string& wanted) const {
  for (std::size_t i = 0; i < stakeholders.size(); ++i)
    if (stakeholders[i].id == wanted) return i;
  return std::nullopt;
}

namespace {
Framework parse_checked(const std::string& yaml_text, const std::string& file_name);
}  // namespace

Framework parse_framework(const std::string& yaml_text, const std::string& file_name) {
  // UTF-8 without NUL, one document, no key given twice, keys that are text.
  check_yaml_document(yaml_text, file_name);
  try {
    return parse_checked(yaml_text, file_name);
  } catch (const YAML::Exception& e) {
    // A value of the wrong YAML type that a check above missed: still bad input, with its line.
    throw bad_input("unexpected YAML structure: " + e.msg, {file_name, e.mark.line >= 0 ? e.mark.line + 1 : 0, ""});
  }
}

namespace {

Framework parse_checked(const std::string& yaml_text, const std::string& file_name) {
  const Ctx c(file_name);
  YAML::Node doc;
  try {
    doc = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw bad_input("YAML syntax error: " + e.msg, {file_name, e.mark.line + 1, ""});
  }
  if (!doc.IsMap() || !doc["framework"].IsDefined()) {
    c.fail_line(1, "framework", "the file must hold a top-level 'framework:' mapping");
  }
  for (const auto& kv : doc) {
    if (kv.first.Scalar() != "framework") {
      c.fail(kv.first, kv.first.Scalar(),
             "unknown top-level key '" + kv.first.Scalar() + "' (the file holds one top-level 'framework:' mapping)");
    }
  }
  const YAML::Node root = doc["framework"];
  c.only_keys(root, "framework",
              {"id", "name", "version", "area_level", "readiness", "indicators", "benchmarks", "stakeholders",
               "signoffs", "mission", "country", "description"});
  Framework fw;
  fw.id = c.str(root, "framework", "id", true);
  fw.name = c.str(root, "framework", "name", false, fw.id);
  fw.version = c.str(root, "framework", "version", true);
  fw.area_level = c.str(root, "framework", "area_level", false, "province");

  if (const auto r = root["readiness"]; r.IsDefined()) {
    c.only_keys(r, "readiness", {"core", "contextual_share"});
    if (r["core"].IsDefined() && c.str(r, "readiness", "core", false) != "all") {
      c.fail(r["core"], "readiness.core", "only 'all' is supported: every core benchmark must be met");
    }
    if (r["contextual_share"].IsDefined()) {
      fw.contextual_share = c.num(r["contextual_share"], "readiness.contextual_share");
      if (fw.contextual_share < 0 || fw.contextual_share > 1) {
        c.fail(r["contextual_share"], "readiness.contextual_share", "must be between 0 and 1");
      }
    }
  }

  // Indicators.
  const YAML::Node inds = root["indicators"];
  if (!inds.IsDefined() || !inds.IsSequence() || inds.size() == 0) {
    c.fail(inds.IsDefined() ? inds : root, "indicators", "expected a non-empty list of indicators");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < inds.size(); ++i) {
    const YAML::Node n = inds[i];
    const std::string f = idx("indicators", i);
    c.only_keys(n, f, {"id", "name", "unit", "direction", "source", "derivation", "observed"});
    IndicatorDef d;
    d.line = c.line(n);
    d.id = c.str(n, f, "id", true);
    if (!seen.insert(d.id).second) c.fail(n["id"], f + ".id", "duplicate indicator id '" + d.id + "'");
    d.name = c.str(n, f, "name", false, d.id);
    d.unit = c.str(n, f, "unit", false);
    const std::string dir = c.str(n, f, "direction", true);
    if (dir == "lower_is_better") {
      d.direction = Direction::kLowerIsBetter;
    } else if (dir == "higher_is_better") {
      d.direction = Direction::kHigherIsBetter;
    } else {
      c.fail(n["direction"], f + ".direction",
             "bad direction '" + dir + "' (allowed: lower_is_better, higher_is_better)");
    }
    const std::string src = c.str(n, f, "source", true);
    if (src == "events") {
      d.source = IndicatorSource::kEvents;
      if (!n["derivation"].IsDefined()) c.fail(n, f + ".derivation", "an events indicator needs a 'derivation'");
      if (n["observed"].IsDefined()) c.fail(n["observed"], f + ".observed", "'observed' is for source: observed");
      d.derivation = parse_derivation(c, n["derivation"], f + ".derivation", d.source);
    } else if (src == "observed") {
      d.source = IndicatorSource::kObserved;
      if (n["derivation"].IsDefined()) c.fail(n["derivation"], f + ".derivation", "'derivation' is for source: events");
      if (n["observed"].IsDefined()) {
        d.derivation = parse_derivation(c, n["observed"], f + ".observed", d.source);
      } else {
        d.derivation.observed_indicator = d.id;
      }
    } else {
      c.fail(n["source"], f + ".source", "bad source '" + src + "' (allowed: observed, events)");
    }
    fw.indicators.push_back(std::move(d));
  }

  // Benchmarks.
  const YAML::Node bms = root["benchmarks"];
  if (!bms.IsDefined() || !bms.IsSequence() || bms.size() == 0) {
    c.fail(bms.IsDefined() ? bms : root, "benchmarks", "expected a non-empty list of benchmarks");
  }
  seen.clear();
  std::set<std::string> used;
  for (std::size_t i = 0; i < bms.size(); ++i) {
    const YAML::Node n = bms[i];
    const std::string f = idx("benchmarks", i);
    c.only_keys(n, f, {"id", "name", "kind", "category", "weight", "indicators"});
    BenchmarkDef b;
    b.line = c.line(n);
    b.id = c.str(n, f, "id", true);
    if (!seen.insert(b.id).second) c.fail(n["id"], f + ".id", "duplicate benchmark id '" + b.id + "'");
    b.name = c.str(n, f, "name", false, b.id);
    const std::string kind = c.str(n, f, "kind", true);
    if (kind == "core") {
      b.kind = BenchmarkKind::kCore;
    } else if (kind == "contextual") {
      b.kind = BenchmarkKind::kContextual;
    } else {
      c.fail(n["kind"], f + ".kind", "bad kind '" + kind + "' (allowed: core, contextual)");
    }
    if (!n["category"].IsDefined()) c.fail(n, f + ".category", "missing required field 'category'");
    b.category = c.pick(n["category"], f + ".category", kCategories, "category");
    if (n["weight"].IsDefined()) {
      b.weight = c.num(n["weight"], f + ".weight");
      if (b.weight <= 0) c.fail(n["weight"], f + ".weight", "must be > 0");
    }
    const YAML::Node il = n["indicators"];
    if (!il.IsDefined() || !il.IsSequence() || il.size() == 0) {
      c.fail(il.IsDefined() ? il : n, f + ".indicators", "expected a non-empty list of indicator ids");
    }
    for (std::size_t k = 0; k < il.size(); ++k) {
      if (!il[k].IsScalar()) c.fail(il[k], idx(f + ".indicators", k), "expected an indicator id");
      const auto id = il[k].as<std::string>();
      if (!fw.indicator_index(id)) c.fail(il[k], idx(f + ".indicators", k), "unknown indicator '" + id + "'");
      if (std::find(b.indicators.begin(), b.indicators.end(), id) != b.indicators.end()) {
        c.fail(il[k], idx(f + ".indicators", k), "indicator '" + id + "' listed twice");
      }
      b.indicators.push_back(id);
      used.insert(id);
    }
    fw.benchmarks.push_back(std::move(b));
  }

  // Stakeholders.
  const YAML::Node sts = root["stakeholders"];
  if (!sts.IsDefined() || !sts.IsSequence() || sts.size() == 0) {
    c.fail(sts.IsDefined() ? sts : root, "stakeholders", "expected a non-empty list of stakeholders");
  }
  seen.clear();
  for (std::size_t i = 0; i < sts.size(); ++i) {
    const YAML::Node n = sts[i];
    const std::string f = idx("stakeholders", i);
    c.only_keys(n, f, {"id", "name", "sustain_months", "thresholds"});
    Stakeholder s;
    s.line = c.line(n);
    s.id = c.str(n, f, "id", true);
    if (!seen.insert(s.id).second) c.fail(n["id"], f + ".id", "duplicate stakeholder id '" + s.id + "'");
    s.name = c.str(n, f, "name", false, s.id);
    if (n["sustain_months"].IsDefined())
      s.sustain_months = c.integer(n["sustain_months"], f + ".sustain_months", 1, 120);
    const YAML::Node th = n["thresholds"];
    if (!th.IsDefined() || !th.IsMap())
      c.fail(th.IsDefined() ? th : n, f + ".thresholds", "expected a mapping indicator: threshold");
    for (const auto& kv : th) {
      const auto ind = kv.first.as<std::string>();
      const std::string tf = f + ".thresholds." + ind;
      if (!fw.indicator_index(ind)) c.fail(kv.first, tf, "unknown indicator '" + ind + "'");
      Threshold t;
      if (kv.second.IsScalar()) {
        t.value = c.num(kv.second, tf);
      } else {
        c.only_keys(kv.second, tf, {"value", "areas", "sustain_months"});
        if (!kv.second["value"].IsDefined()) c.fail(kv.second, tf + ".value", "missing required field 'value'");
        t.value = c.num(kv.second["value"], tf + ".value");
        if (const auto ar = kv.second["areas"]; ar.IsDefined()) {
          if (!ar.IsMap()) c.fail(ar, tf + ".areas", "expected a mapping area_id: threshold");
          for (const auto& av : ar)
            t.per_area[av.first.as<std::string>()] = c.num(av.second, tf + ".areas." + av.first.as<std::string>());
        }
        if (kv.second["sustain_months"].IsDefined()) {
          t.sustain_months = c.integer(kv.second["sustain_months"], tf + ".sustain_months", 1, 120);
        }
      }
      if (!s.thresholds.emplace(ind, t).second) c.fail(kv.first, tf, "threshold given twice");
    }
    for (const auto& ind : used) {
      if (!s.thresholds.count(ind)) {
        c.fail(th, f + ".thresholds", "missing threshold for indicator '" + ind + "' (used by a benchmark)");
      }
    }
    fw.stakeholders.push_back(std::move(s));
  }

  // Sign-offs recorded in the file.
  if (const auto so = root["signoffs"]; so.IsDefined() && !so.IsNull()) {
    if (!so.IsSequence()) c.fail(so, "signoffs", "expected a list");
    for (std::size_t i = 0; i < so.size(); ++i) {
      const std::string f = idx("signoffs", i);
      c.only_keys(so[i], f, {"stakeholder", "by", "date", "version_sha256"});
      SignOff s{c.str(so[i], f, "stakeholder", true), c.str(so[i], f, "by", true), c.str(so[i], f, "date", true),
                c.str(so[i], f, "version_sha256", true)};
      if (trim(s.by).empty()) c.fail(so[i]["by"], f + ".by", "the signatory is empty; name who signed");
      if (!Date::parse_iso(s.date) && !Date::parse_iso_timestamp(s.date)) {
        c.fail(so[i]["date"], f + ".date", "'" + s.date + "' is not a real date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ)");
      }
      if (!fw.stakeholder_index(s.stakeholder)) {
        c.fail(so[i]["stakeholder"], f + ".stakeholder", "unknown stakeholder '" + s.stakeholder + "'");
      }
      if (s.version_sha256.size() != 64 || !std::all_of(s.version_sha256.begin(), s.version_sha256.end(), [](char ch) {
            return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
          })) {
        c.fail(so[i]["version_sha256"], f + ".version_sha256", "expected 64 lower-case hex digits (a SHA-256)");
      }
      fw.signoffs.push_back(std::move(s));
    }
  }
  return fw;
}

}  // namespace

}  // namespace endstate::benchmarks
