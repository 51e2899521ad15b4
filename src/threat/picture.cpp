// Threat picture: panel rows, composite index, EWMA and Mann-Kendall trend
// (see include/endstate/threat/picture.hpp for the methods and references).
#include "endstate/threat/picture.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <yaml-cpp/yaml.h>

#include "endstate/core/error.hpp"
#include "endstate/core/yaml.hpp"

namespace endstate::threat {

Group group_of(ViolenceType t) {
  switch (t) {
    case ViolenceType::kStateBased:
      return Group::kState;
    case ViolenceType::kNonState:
      return Group::kNonState;
    case ViolenceType::kOneSided:
      return Group::kVac;
    default:
      return Group::kOther;
  }
}

std::string_view group_name(Group g) {
  switch (g) {
    case Group::kState:
      return "state";
    case Group::kNonState:
      return "nonstate";
    case Group::kVac:
      return "vac";
    case Group::kOther:
      return "other";
  }
  return "other";
}

std::optional<double> per_100k(double count, std::optional<double> population) {
  if (!population || !(*population > 0) || !std::isfinite(*population)) return std::nullopt;
  return count * 100000.0 / *population;
}

std::vector<PanelRow> panel_rows(const Panel& panel) {
  std::vector<PanelRow> rows;
  rows.reserve(panel.area_count() * panel.month_count());
  for (std::size_t a = 0; a < panel.area_count(); ++a) {
    const auto pop = panel.areas()[a].population;
    for (std::size_t t = 0; t < panel.month_count(); ++t) {
      const PanelCell& c = panel.at(a, t);
      PanelRow r;
      r.area = a;
      r.month = t;
      for (std::size_t v = 0; v < kViolenceTypes; ++v) {
        const auto g = static_cast<std::size_t>(group_of(static_cast<ViolenceType>(v)));
        r.events[g] += c.events[v];
        r.fatalities[g] += c.fatalities[v];
        r.events_total += c.events[v];
        r.fatalities_total += c.fatalities[v];
      }
      r.civilian_deaths = c.civilian_deaths;
      const auto vac = static_cast<std::size_t>(Group::kVac);
      r.fatalities_per_100k = per_100k(static_cast<double>(r.fatalities_total), pop);
      r.vac_fatalities_per_100k = per_100k(static_cast<double>(r.fatalities[vac]), pop);
      r.civilian_deaths_per_100k = per_100k(static_cast<double>(r.civilian_deaths), pop);
      r.vac_events_per_100k = per_100k(static_cast<double>(r.events[vac]), pop);
      rows.push_back(r);
    }
  }
  return rows;
}

std::vector<std::string> weight_names() {
  return {"vac_fatalities_per_100k",  "vac_events",  "battle_events", "battle_fatalities_per_100k",
          "civilian_deaths_per_100k", "other_events"};
}

namespace {

double* weight_slot(IndexWeights& w, const std::string& name) {
  if (name == "vac_fatalities_per_100k") return &w.vac_fatalities_per_100k;
  if (name == "vac_events") return &w.vac_events;
  if (name == "battle_events") return &w.battle_events;
  if (name == "battle_fatalities_per_100k") return &w.battle_fatalities_per_100k;
  if (name == "civilian_deaths_per_100k") return &w.civilian_deaths_per_100k;
  if (name == "other_events") return &w.other_events;
  return nullptr;
}

}  // namespace

IndexWeights parse_weights_yaml(const std::string& text, const std::string& file) {
  IndexWeights w;
  // UTF-8 without NUL, one document, no key given twice, keys that are text.
  check_yaml_document(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw bad_input("not valid YAML: " + e.msg, {file, e.mark.line + 1, ""});
  }
  if (root.IsNull()) return w;
  if (!root.IsMap()) throw bad_input("a weights file is a mapping 'name: number'", {file, root.Mark().line + 1, ""});
  std::string names;
  for (const auto& n : weight_names()) names += (names.empty() ? "" : ", ") + n;
  for (const auto& kv : root) {
    const auto key = kv.first.as<std::string>("");
    const std::int64_t line = kv.first.Mark().line + 1;
    double* slot = weight_slot(w, key);
    if (!slot) throw bad_input("unknown weight '" + key + "' (known: " + names + ")", {file, line, key});
    double v = 0;
    try {
      if (!kv.second.IsScalar()) throw YAML::Exception(kv.second.Mark(), "not a scalar");
      v = kv.second.as<double>();
    } catch (const YAML::Exception&) {
      throw bad_input("weight must be a number", {file, line, key});
    }
    if (!std::isfinite(v) || v < 0) throw bad_input("weight must be a finite number >= 0", {file, line, key});
    *slot = v;
  }
  return w;
}

double index_value(const PanelRow& r, const IndexWeights& w) {
  const auto vac = static_cast<std::size_t>(Group::kVac);
  const auto st = static_cast<std::size_t>(Group::kState);
  const auto ns = static_cast<std::size_t>(Group::kNonState);
  const auto ot = static_cast<std::size_t>(Group::kOther);
  // battle fatalities per 100k from the all-fatalities rate's denominator
  double battle_rate = 0;
  if (r.fatalities_per_100k && r.fatalities_total > 0) {
    battle_rate = *r.fatalities_per_100k * static_cast<double>(r.fatalities[st] + r.fatalities[ns]) /
                  static_cast<double>(r.fatalities_total);
  }
  return w.vac_fatalities_per_100k * r.vac_fatalities_per_100k.value_or(0.0) +
         w.vac_events * static_cast<double>(r.events[vac]) +
         w.battle_events * static_cast<double>(r.events[st] + r.events[ns]) +
         w.battle_fatalities_per_100k * battle_rate +
         w.civilian_deaths_per_100k * r.civilian_deaths_per_100k.value_or(0.0) +
         w.other_events * static_cast<double>(r.events[ot]);
}

std::string_view trend_name(Trend t) {
  switch (t) {
    case Trend::kRising:
      return "rising";
    case Trend::kStable:
      return "stable";
    case Trend::kFalling:
      return "falling";
  }
  return "stable";
}

MannKendall mann_kendall(const std::vector<double>& x, double alpha) {
  MannKendall r;
  const std::size_t n = x.size();
  r.n = n;
  if (n < 3) return r;
  double s = 0;
  std::vector<double> slopes;
  slopes.reserve(n * (n - 1) / 2);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double d = x[j] - x[i];
      s += (d > 0) - (d < 0);
      slopes.push_back(d / static_cast<double>(j - i));
    }
  }
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  const double nn = static_cast<double>(n);
  double var = nn * (nn - 1) * (2 * nn + 5);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && sorted[j] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i);
    var -= t * (t - 1) * (2 * t + 5);
    i = j;
  }
  var /= 18.0;
  r.s = s;
  r.variance = var;
  if (var > 0) {
    if (s > 0) r.z = (s - 1) / std::sqrt(var);
    if (s < 0) r.z = (s + 1) / std::sqrt(var);
  }
  r.p_value = std::erfc(std::fabs(r.z) / std::sqrt(2.0));
  const std::size_t mid = slopes.size() / 2;
  std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid), slopes.end());
  double med = slopes[mid];
  if (slopes.size() % 2 == 0) {
    const double lo = *std::max_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid));
    med = (lo + med) / 2;
  }
  r.sen_slope = med;
  if (r.p_value < alpha) r.trend = s > 0 ? Trend::kRising : Trend::kFalling;
  return r;
}

std::vector<double> ewma(const std::vector<double>& x, double lambda) {
  if (!(lambda > 0 && lambda <= 1))
    throw usage_error("--lambda must be in (0, 1] (got " + std::to_string(lambda) + ")");
  std::vector<double> l(x.size());
  for (std::size_t t = 0; t < x.size(); ++t) l[t] = t == 0 ? x[0] : lambda * x[t] + (1 - lambda) * l[t - 1];
  return l;
}

std::vector<IndexRow> threat_index(const Panel& panel, const IndexOptions& o) {
  if (!(o.lambda > 0 && o.lambda <= 1))
    throw usage_error("--lambda must be in (0, 1] (got " + std::to_string(o.lambda) + ")");
  if (o.trend_months < 3)
    throw usage_error("the trend needs at least 3 months (got " + std::to_string(o.trend_months) + ")");
  if (!(o.alpha > 0 && o.alpha < 1)) throw usage_error("alpha must be in (0, 1)");
  const auto rows = panel_rows(panel);
  const std::size_t T = panel.month_count();
  std::vector<IndexRow> out;
  out.reserve(rows.size());
  for (std::size_t a = 0; a < panel.area_count(); ++a) {
    std::vector<double> x(T);
    for (std::size_t t = 0; t < T; ++t) x[t] = index_value(rows[a * T + t], o.weights);
    const auto level = ewma(x, o.lambda);
    const auto pop = panel.areas()[a].population;
    for (std::size_t t = 0; t < T; ++t) {
      IndexRow r;
      r.area = a;
      r.month = t;
      r.index = x[t];
      r.ewma = level[t];
      const std::size_t begin = t + 1 >= o.trend_months ? t + 1 - o.trend_months : 0;
      r.trend = mann_kendall(std::vector<double>(x.begin() + static_cast<std::ptrdiff_t>(begin),
                                                 x.begin() + static_cast<std::ptrdiff_t>(t + 1)),
                             o.alpha);
      r.population_known = pop.has_value() && *pop > 0;
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace endstate::threat
