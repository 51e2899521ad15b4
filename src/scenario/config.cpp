// Carana configuration: defaults, YAML loading (yaml-cpp) with positions on
// every error, range checks, and the effective configuration written back.

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "detail/format.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/scenario/carana.hpp"

namespace endstate::scenario {
namespace {

using WhereFn = std::function<Position(const std::string& key)>;

[[noreturn]] void fail(const WhereFn& where, const std::string& key, const std::string& message) {
  throw bad_input(message, where(key));
}

void check_range(const WhereFn& where, const std::string& key, double v, double lo, double hi, bool hi_open = false) {
  if (!std::isfinite(v) || v < lo || (hi_open ? v >= hi : v > hi)) {
    fail(where, key,
         key + " must be in [" + detail::shortest(lo) + ", " + detail::shortest(hi) + (hi_open ? ")" : "]") + "; got " +
             detail::shortest(v));
  }
}

void validate(const CaranaConfig& c, const WhereFn& where) {
  if (c.country_name.empty()) fail(where, "country_name", "country_name must not be empty");
  check_range(where, "width_km", c.width_km, 50, 5000);
  check_range(where, "height_km", c.height_km, 50, 5000);
  check_range(where, "origin_lat", c.origin_lat, -75, 80);
  if (c.origin_lat - c.height_km / 110.574 < -80)
    fail(where, "height_km", "the country would reach beyond 80 degrees south; lower height_km or raise origin_lat");
  check_range(where, "origin_lon", c.origin_lon, -180, 180);
  const double lat_mid = c.origin_lat - c.height_km / 2 / 110.574;
  if (c.origin_lon + c.width_km / (111.32 * std::cos(lat_mid * 3.14159265358979323846 / 180)) > 180)
    fail(where, "width_km", "the country would cross the antimeridian; lower width_km or origin_lon");
  if (c.provinces < 4 || c.provinces > 50)
    fail(where, "provinces",
         "provinces must be in [4, 50] (the four scripted trajectories need one province each); got " +
             std::to_string(c.provinces));
  if (c.territories < c.provinces || c.territories > 500)
    fail(where, "territories", "territories must be in [provinces, 500]; got " + std::to_string(c.territories));
  if (c.localities < c.territories || c.localities > 200000)
    fail(where, "localities", "localities must be in [territories, 200000]; got " + std::to_string(c.localities));
  if (c.cities < 1 || c.cities > std::min(50, c.localities))
    fail(where, "cities", "cities must be in [1, min(50, localities)]; got " + std::to_string(c.cities));
  check_range(where, "population", c.population, 100.0 * c.localities, 2e9);
  if (c.first_year < 1900 || c.first_year > 2100)
    fail(where, "first_year", "first_year must be in [1900, 2100]; got " + std::to_string(c.first_year));
  if (c.years < 1 || c.years > 100) fail(where, "years", "years must be in [1, 100]; got " + std::to_string(c.years));
  if (!c.trajectories.empty() && static_cast<int>(c.trajectories.size()) != c.provinces)
    fail(where, "trajectories",
         "trajectories must list one per province (" + std::to_string(c.provinces) + "); got " +
             std::to_string(c.trajectories.size()));
  std::set<std::string> names;
  for (std::size_t i = 0; i < c.groups.size(); ++i) {
    const ArmedGroup& g = c.groups[i];
    const std::string k = "groups[" + std::to_string(i) + "].";
    if (g.name.empty()) fail(where, k + "name", "group name must not be empty");
    if (g.name == "Civilians" || g.name.rfind("Government of", 0) == 0)
      fail(where, k + "name", "group name '" + g.name + "' is reserved");
    if (g.name.find_first_of(",;\"\n") != std::string::npos)
      fail(where, k + "name", "group name must not contain , ; \" or newlines");
    if (!names.insert(g.name).second) fail(where, k + "name", "duplicate group name '" + g.name + "'");
    check_range(where, k + "share_one_sided", g.share_one_sided, 0, 1);
    check_range(where, k + "share_state", g.share_state, 0, 1);
    if (g.share_one_sided + g.share_state > 1 + 1e-12)
      fail(where, k + "share_state", "share_one_sided + share_state must not exceed 1");
    check_range(where, k + "rate_per_month", g.rate_per_month, 0, 1000);
    if (!(g.fatality_tail > 1) || g.fatality_tail > 5)
      fail(where, k + "fatality_tail", "fatality_tail must be in (1, 5]; got " + detail::shortest(g.fatality_tail));
    for (int p : g.provinces)
      if (p < 0 || p >= c.provinces)
        fail(where, k + "provinces",
             "province index " + std::to_string(p) + " out of range [0, " + std::to_string(c.provinces) + ")");
  }
  check_range(where, "hawkes_branching", c.hawkes_branching, 0, 1, true);
  check_range(where, "hawkes_decay_days", c.hawkes_decay_days, 0.01, 365);
  check_range(where, "hawkes_spread_km", c.hawkes_spread_km, 0.01, 500);
  check_range(where, "seasonality", c.seasonality, 0, 1, true);
  if (c.mission_hq_troops < 0 || c.mission_hq_troops > 100000)
    fail(where, "mission_hq_troops",
         "mission_hq_troops must be in [0, 100000]; got " + std::to_string(c.mission_hq_troops));
  check_range(where, "drawdown_share", c.drawdown_share, 0, 1, true);
}

// ---- YAML reading

struct Reader {
  std::string file;
  std::map<std::string, std::int64_t> lines;  // key path -> 1-based line

  Position at(const YAML::Node& n, const std::string& key) const {
    const auto m = n.Mark();
    return Position{file, m.is_null() ? 0 : m.line + 1, key};
  }
  double number(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) throw bad_input(key + " must be a number", at(n, key));
    try {
      const double v = n.as<double>();
      if (!std::isfinite(v)) throw bad_input(key + " must be a finite number", at(n, key));
      return v;
    } catch (const YAML::Exception&) {
      throw bad_input(key + " must be a number; got '" + n.Scalar() + "'", at(n, key));
    }
  }
  int integer(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) throw bad_input(key + " must be an integer", at(n, key));
    try {
      return n.as<int>();
    } catch (const YAML::Exception&) {
      throw bad_input(key + " must be an integer; got '" + n.Scalar() + "'", at(n, key));
    }
  }
  std::string text(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) throw bad_input(key + " must be a string", at(n, key));
    return n.Scalar();
  }
};

ArmedGroup read_group(Reader& r, const YAML::Node& node, const std::string& prefix) {
  if (!node.IsMap()) throw bad_input(prefix + " must be a mapping (name, share_one_sided, ...)", r.at(node, prefix));
  ArmedGroup g;
  g.provinces.clear();
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    const std::string path = prefix + "." + key;
    const YAML::Node v = it->second;
    r.lines[path] = r.at(it->first, path).line;
    if (key == "name")
      g.name = r.text(v, path);
    else if (key == "share_one_sided")
      g.share_one_sided = r.number(v, path);
    else if (key == "share_state")
      g.share_state = r.number(v, path);
    else if (key == "rate_per_month")
      g.rate_per_month = r.number(v, path);
    else if (key == "fatality_tail")
      g.fatality_tail = r.number(v, path);
    else if (key == "provinces") {
      if (!v.IsSequence()) throw bad_input(path + " must be a list of province indices", r.at(v, path));
      for (std::size_t i = 0; i < v.size(); ++i) g.provinces.push_back(r.integer(v[i], path));
    } else {
      throw bad_input("unknown key '" + key +
                          "' in a group (known: name, share_one_sided, share_state, rate_per_month, "
                          "fatality_tail, provinces)",
                      r.at(it->first, path));
    }
  }
  if (!node["name"]) throw bad_input(prefix + ": a group needs a name", r.at(node, prefix + ".name"));
  r.lines.try_emplace(prefix + ".name", r.at(node, prefix).line);
  for (const char* k : {"share_one_sided", "share_state", "rate_per_month", "fatality_tail", "provinces"})
    r.lines.try_emplace(prefix + "." + k, r.at(node, prefix).line);
  return g;
}

std::string join_ints(const std::vector<int>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

}  // namespace

std::string to_string(Trajectory t) {
  switch (t) {
    case Trajectory::kStabilising:
      return "stabilising";
    case Trajectory::kDeteriorating:
      return "deteriorating";
    case Trajectory::kEscalation:
      return "escalation";
    case Trajectory::kQuiet:
      return "quiet";
    case Trajectory::kSteady:
      return "steady";
  }
  return "steady";
}

std::optional<Trajectory> parse_trajectory(std::string_view s) {
  for (Trajectory t : {Trajectory::kStabilising, Trajectory::kDeteriorating, Trajectory::kEscalation,
                       Trajectory::kQuiet, Trajectory::kSteady})
    if (s == to_string(t)) return t;
  return std::nullopt;
}

CaranaConfig default_config() { return CaranaConfig{}; }

void validate_config(const CaranaConfig& config) {
  validate(config, [](const std::string& key) { return Position{"", 0, key}; });
}

CaranaConfig load_config(const std::string& yaml_path) {
  std::string text;
  try {
    text = read_text_file(yaml_path);
  } catch (const Error& e) {
    if (e.category() != ErrorCategory::kNotFound) throw;
    throw not_found("cannot open scenario config " + yaml_path);
  }
  return parse_config(text, yaml_path);
}

CaranaConfig parse_config(const std::string& yaml_text, const std::string& yaml_path) {
  Reader r{yaml_path, {}};
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw bad_input("YAML syntax error: " + e.msg, Position{yaml_path, e.mark.line + 1, ""});
  }
  CaranaConfig c = default_config();
  if (root.IsNull()) return c;
  if (!root.IsMap()) throw bad_input("the scenario config must be a mapping of keys to values", r.at(root, ""));

  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node v = it->second;
    r.lines[key] = r.at(it->first, key).line;
    if (key == "country_name")
      c.country_name = r.text(v, key);
    else if (key == "width_km")
      c.width_km = r.number(v, key);
    else if (key == "height_km")
      c.height_km = r.number(v, key);
    else if (key == "origin_lat")
      c.origin_lat = r.number(v, key);
    else if (key == "origin_lon")
      c.origin_lon = r.number(v, key);
    else if (key == "provinces")
      c.provinces = r.integer(v, key);
    else if (key == "territories")
      c.territories = r.integer(v, key);
    else if (key == "localities")
      c.localities = r.integer(v, key);
    else if (key == "population")
      c.population = r.number(v, key);
    else if (key == "cities")
      c.cities = r.integer(v, key);
    else if (key == "first_year")
      c.first_year = r.integer(v, key);
    else if (key == "years")
      c.years = r.integer(v, key);
    else if (key == "hawkes_branching")
      c.hawkes_branching = r.number(v, key);
    else if (key == "hawkes_decay_days")
      c.hawkes_decay_days = r.number(v, key);
    else if (key == "hawkes_spread_km")
      c.hawkes_spread_km = r.number(v, key);
    else if (key == "seasonality")
      c.seasonality = r.number(v, key);
    else if (key == "mission_hq_troops")
      c.mission_hq_troops = r.integer(v, key);
    else if (key == "drawdown_share")
      c.drawdown_share = r.number(v, key);
    else if (key == "trajectories") {
      if (!v.IsSequence()) throw bad_input("trajectories must be a list", r.at(v, key));
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string s = r.text(v[i], key);
        const auto t = parse_trajectory(s);
        if (!t)
          throw bad_input("unknown trajectory '" + s + "' (stabilising, deteriorating, escalation, quiet, steady)",
                          r.at(v[i], key));
        c.trajectories.push_back(*t);
      }
    } else if (key == "groups") {
      if (!v.IsSequence()) throw bad_input("groups must be a list of groups", r.at(v, key));
      for (std::size_t i = 0; i < v.size(); ++i)
        c.groups.push_back(read_group(r, v[i], "groups[" + std::to_string(i) + "]"));
    } else {
      throw bad_input("unknown key '" + key + "' (see docs/carana.md for the keys)", r.at(it->first, key));
    }
  }
  validate(c, [&](const std::string& key) {
    const auto it = r.lines.find(key);
    return Position{yaml_path, it == r.lines.end() ? 0 : it->second, key};
  });
  return c;
}

CaranaConfig effective_config(const CaranaConfig& config) {
  CaranaConfig c = config;
  const int P = c.provinces;
  if (c.trajectories.empty()) {
    const Trajectory scripted[] = {Trajectory::kStabilising, Trajectory::kDeteriorating, Trajectory::kEscalation,
                                   Trajectory::kQuiet};
    for (int p = 0; p < P; ++p) c.trajectories.push_back(p < 4 ? scripted[p] : Trajectory::kSteady);
  }
  if (c.groups.empty()) {
    auto first = [&](Trajectory t, int fallback) {
      for (int p = 0; p < P; ++p)
        if (c.trajectories[static_cast<std::size_t>(p)] == t) return p;
      return fallback % P;
    };
    const int S = first(Trajectory::kStabilising, 0), D = first(Trajectory::kDeteriorating, 1),
              E = first(Trajectory::kEscalation, 2), Q = first(Trajectory::kQuiet, 3);
    std::vector<int> steady;
    for (int p = 0; p < P; ++p)
      if (c.trajectories[static_cast<std::size_t>(p)] == Trajectory::kSteady) steady.push_back(p);
    const int fallback[] = {D, E, S};
    auto st = [&](std::size_t k) { return steady.empty() ? fallback[k % 3] : steady[k % steady.size()]; };
    auto group = [](std::string name, double one_sided, double state, double rate, double tail, std::vector<int> ps) {
      std::sort(ps.begin(), ps.end());
      ps.erase(std::unique(ps.begin(), ps.end()), ps.end());
      return ArmedGroup{std::move(name), one_sided, state, rate, tail, std::move(ps)};
    };
    c.groups = {
        // Insurgents: fight state forces.
        group("Carana Liberation Front", 0.15, 0.70, 14, 1.5, {D, E, st(0), st(1)}),
        // Predatory: mostly violence against civilians, heaviest tail (massacres).
        group("Red Hills Army", 0.75, 0.15, 10, 1.25, {S, E, st(1)}),
        // Two community militias fighting each other where they meet.
        group("Kivara Self-Defence Militia", 0.25, 0.10, 9, 1.6, {D, st(0), st(2), st(3)}),
        group("Ubeka Community Defence Forces", 0.30, 0.10, 8, 1.6, {S, st(0), st(2), st(3)}),
        // A small movement, the only group in the quiet province.
        group("Movement for Justice and Dignity", 0.30, 0.55, 1.5, 1.8, {Q, st(3)}),
    };
  }
  for (auto& g : c.groups)
    if (g.provinces.empty())
      for (int p = 0; p < P; ++p) g.provinces.push_back(p);
  return c;
}

std::string config_to_yaml(const CaranaConfig& c) {
  using detail::shortest;
  using detail::yaml_quoted;
  std::ostringstream o;
  o << "# Carana scenario configuration (endstate scenario generate carana --config FILE).\n"
       "# Every key is optional; docs/carana.md documents each one and its default.\n";
  o << "country_name: " << yaml_quoted(c.country_name) << "\n";
  o << "width_km: " << shortest(c.width_km) << "\n";
  o << "height_km: " << shortest(c.height_km) << "\n";
  o << "origin_lat: " << shortest(c.origin_lat) << "\n";
  o << "origin_lon: " << shortest(c.origin_lon) << "\n";
  o << "provinces: " << c.provinces << "\n";
  o << "territories: " << c.territories << "\n";
  o << "localities: " << c.localities << "\n";
  o << "population: " << shortest(c.population) << "\n";
  o << "cities: " << c.cities << "\n";
  o << "first_year: " << c.first_year << "\n";
  o << "years: " << c.years << "\n";
  o << "hawkes_branching: " << shortest(c.hawkes_branching) << "\n";
  o << "hawkes_decay_days: " << shortest(c.hawkes_decay_days) << "\n";
  o << "hawkes_spread_km: " << shortest(c.hawkes_spread_km) << "\n";
  o << "seasonality: " << shortest(c.seasonality) << "\n";
  o << "mission_hq_troops: " << c.mission_hq_troops << "\n";
  o << "drawdown_share: " << shortest(c.drawdown_share) << "\n";
  o << "trajectories: [";
  for (std::size_t i = 0; i < c.trajectories.size(); ++i) o << (i ? ", " : "") << to_string(c.trajectories[i]);
  o << "]\n";
  if (c.groups.empty()) {
    o << "groups: []\n";
  } else {
    o << "groups:\n";
    for (const auto& g : c.groups) {
      o << "  - name: " << yaml_quoted(g.name) << "\n";
      o << "    share_one_sided: " << shortest(g.share_one_sided) << "\n";
      o << "    share_state: " << shortest(g.share_state) << "\n";
      o << "    rate_per_month: " << shortest(g.rate_per_month) << "\n";
      o << "    fatality_tail: " << shortest(g.fatality_tail) << "\n";
      o << "    provinces: " << join_ints(g.provinces) << "\n";
    }
  }
  return o.str();
}

}  // namespace endstate::scenario
