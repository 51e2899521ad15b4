// The Council briefing (report/council.hpp): composed through the engine,
// rendered as one self-contained HTML file.
#include "endstate/report/council.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/report/svg.hpp"
#include "endstate/service/plan.hpp"
#include "endstate/store/database.hpp"
#include "report/detail/html.hpp"

namespace endstate::report {
namespace {

namespace bm = endstate::benchmarks;
using detail::escape;
using detail::num;

const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string palette(std::size_t i) { return kPalette[i % (sizeof kPalette / sizeof kPalette[0])]; }

/// A sequential ramp (light yellow to dark red) for a share in [0, 1].
std::string ramp(double share) {
  static const char* const kRamp[] = {"#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c",
                                      "#f16913", "#d94801", "#a63603", "#7f2704"};
  if (!std::isfinite(share)) return "#eeeeee";
  const int n = 9;
  const int k = std::clamp(static_cast<int>(share * n), 0, n - 1);
  return kRamp[k];
}

const char* kCss = R"css(
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #222; margin: 0 auto; max-width: 190mm; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 4pt 0; color: #0b3d6e; }
h2 { font-size: 14pt; color: #0b3d6e; border-bottom: 1.5pt solid #0b3d6e; padding-bottom: 2pt; margin-top: 0; }
h3 { font-size: 11pt; margin: 10pt 0 4pt 0; }
section.chapter { break-before: page; padding-top: 2pt; }
section.cover { break-before: auto; }
figure { margin: 6pt 0 10pt 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: #444; margin-top: 2pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4pt 0 4pt 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
td.r, th.r { text-align: right; }
.ready { background: #d9f0d3; }
.notready { background: #fbe3d6; }
.nodata { background: #eeeeee; color: #666; }
.unavailable { border: 1.5pt solid #c00000; background: #fff1f0; padding: 6pt 8pt; margin: 6pt 0; }
.prov { font-size: 8pt; color: #555; }
.key { font-size: 8.5pt; color: #333; }
.summary li { margin-bottom: 3pt; }
code { font-size: 8pt; word-break: break-all; }
)css";

class Doc {
 public:
  std::ostringstream o;
  std::vector<Provenance> prov;
  std::vector<std::string> sections, unavailable;
  std::string fingerprint;
  int maps = 0, figures = 0, tables = 0;

  /// Caption numbers, in the order the captions are written.
  std::string map() { return "Map " + std::to_string(++maps) + ". "; }
  std::string fig() { return "Figure " + std::to_string(++figures) + ". "; }
  std::string tab() { return "Table " + std::to_string(++tables) + ". "; }

  std::string add_prov(Provenance p) {
    p.id = "P" + std::to_string(prov.size() + 1);
    p.data_fingerprint = fingerprint;
    prov.push_back(p);
    return p.id;
  }
  void chapter(const std::string& id, const std::string& title) {
    if (!sections.empty()) o << "</section>\n";
    sections.push_back(title);
    o << "<section class=\"chapter\" id=\"" << id << "\"><h2>" << sections.size() << ". " << escape(title) << "</h2>\n";
  }
  void figure(const std::string& svg, const std::string& caption, const std::string& prov_id) {
    o << "<figure data-prov=\"" << prov_id << "\">" << svg << "<figcaption>" << escape(caption)
      << " <span class=\"prov\">[" << prov_id << "]</span></figcaption></figure>\n";
  }
  void table_open(const std::string& caption, const std::string& prov_id, const std::vector<std::string>& heads,
                  const std::vector<bool>& right = {}) {
    o << "<figure data-prov=\"" << prov_id << "\"><figcaption>" << escape(caption) << " <span class=\"prov\">["
      << prov_id << "]</span></figcaption><table><thead><tr>";
    for (std::size_t i = 0; i < heads.size(); ++i) {
      o << "<th" << (i < right.size() && right[i] ? " class=\"r\"" : "") << ">" << escape(heads[i]) << "</th>";
    }
    o << "</tr></thead><tbody>\n";
  }
  void table_close() { o << "</tbody></table></figure>\n"; }
  void missing(const std::string& section, const std::string& why) {
    unavailable.push_back(section + ": " + why);
    o << "<div class=\"unavailable\" data-unavailable=\"" << escape(section) << "\"><strong>Not available.</strong> "
      << escape(why) << "</div>\n";
  }
};

std::string td(const std::string& html, bool right = false) {
  return std::string("<td") + (right ? " class=\"r\"" : "") + ">" + html + "</td>";
}

}  // namespace

CouncilReport council_report(service::Engine& engine, const CouncilOptions& opt) {
  if (opt.trend_months < 3 || opt.trend_months > 240) throw invalid_field("trend_months", "must be in 3..240");
  if (opt.replications < 1 || opt.replications > 99999) throw invalid_field("replications", "must be in 1..99999");
  if (opt.comparison_paths < 10 || opt.comparison_paths > 1000000) {
    throw invalid_field("comparison_paths", "must be in 10..1000000");
  }
  const auto status = engine.status().status;
  if (!status.last_event) throw not_found("no events in the database: a report needs imported events");
  const Month last = Month::of(*status.last_event);
  const Month M = opt.month.value_or(last);
  if (M > last) {
    throw invalid_field("month", M.str() + " is after the last month with events (" + last.str() + ")");
  }
  const std::string db = engine.reader().path();  // the store's own name: a server's without its password
  const std::string cli = "endstate --db " + db + " ";
  Doc d;
  d.fingerprint = engine.data_fingerprint();
  const std::string seed = std::to_string(opt.seed);

  const auto provinces = engine.list_areas({"province", true}).areas;
  std::map<std::string, std::string> name_of;
  for (const auto& a : engine.list_areas({"", false}).areas) name_of[a.id] = a.name;
  std::vector<service::FrameworkVersion> versions = engine.benchmarks_versions();
  const std::string fw_version = versions.empty() ? "" : std::to_string(versions.back().row.version);

  // --- cover page -----------------------------------------------------------------------
  const std::string title = opt.title.empty() ? "Transition briefing for the Security Council, " + M.str() : opt.title;
  std::ostringstream head;
  head << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << escape(title)
       << "</title><style>" << kCss << "</style></head><body>\n";
  d.o << "<section class=\"cover\"><h1>" << escape(title) << "</h1><p>" << escape(opt.mission)
      << ". Evidence for the drawdown decision, from the data in the endstate store <code>" << escape(db)
      << "</code>; data up to " << last.str() << ", reported month " << M.str() << ".</p>\n"
      << "<p class=\"key\">Data fingerprint <code data-k=\"fingerprint\">" << d.fingerprint
      << "</code> (SHA-256 of the imported files' hashes); benchmark framework version "
      << (fw_version.empty() ? "none" : fw_version) << ". Every figure and table names its provenance [P&hellip;], "
      << "listed in the annex with the command that reproduces it.</p>\n";

  // --- 1. context and threat trends -----------------------------------------------------------
  service::ThreatIndexRequest tir;
  tir.range = {"province", std::nullopt, M};
  const auto ti = engine.threat_index(tir);
  const std::size_t t_last = ti.panel.month_count() - 1;
  std::vector<const threat::IndexRow*> at_m(ti.panel.area_count(), nullptr);
  for (const auto& r : ti.rows) {
    if (r.month == t_last) at_m[r.area] = &r;
  }
  std::vector<std::string> summary;
  {
    std::vector<std::string> rising;
    for (std::size_t a = 0; a < at_m.size(); ++a) {
      if (at_m[a] && at_m[a]->trend.trend == threat::Trend::kRising) rising.push_back(ti.panel.areas()[a].name);
    }
    summary.push_back(rising.empty() ? "No province shows a significant rising threat trend in " + M.str() + "."
                                     : "Threat rising significantly in " + std::to_string(rising.size()) +
                                           " province(s): " + join(rising, ", ") + ".");
  }
  d.chapter("context", "Context and threat trends");
  const std::string p_index =
      d.add_prov({"", "Threat index per province (map, chart, table)", "threat index",
                  cli + "threat index --level province --to " + M.str() + " --month " + M.str() + " --format json", "",
                  "", "", ""});
  {
    double hi = 0;
    for (const auto* r : at_m) hi = std::max(hi, r ? r->ewma : 0.0);
    svg::Map map;
    map.title = "Threat level (EWMA of the composite index), " + M.str();
    for (const auto& p : provinces) {
      const auto k = ti.panel.area_index(p.id);
      const auto* r = k ? at_m[*k] : nullptr;
      svg::MapArea ma;
      ma.wkb = p.wkb;
      ma.fill = r ? ramp(hi > 0 ? r->ewma / hi : 0) : "#eeeeee";
      ma.title = p.name + (r ? ": " + svg::fixed(r->ewma, 2) : ": no data");
      ma.label = p.name;
      ma.label_at = p.centroid;
      map.areas.push_back(std::move(ma));
    }
    for (int k = 0; k < 5; ++k) {
      map.legend.push_back(
          {ramp((k * 2 + 0.5) / 9.0), svg::fixed(hi * k * 2 / 9.0, 1) + " - " + svg::fixed(hi * (k * 2 + 2) / 9.0, 1)});
    }
    d.figure(svg::map(map), d.map() + "Threat level per province in " + M.str() + " (darker = higher).", p_index);
    svg::LineChart ch;
    ch.title = "Threat level per province, last " + std::to_string(opt.trend_months) + " months";
    ch.y_label = "EWMA of the threat index";
    const std::size_t first =
        t_last + 1 > static_cast<std::size_t>(opt.trend_months) ? t_last + 1 - opt.trend_months : 0;
    for (std::size_t t = first; t <= t_last; ++t) ch.x_labels.push_back(ti.panel.month(t).str());
    ch.x_every = 6;
    for (std::size_t a = 0; a < ti.panel.area_count(); ++a) {
      svg::Series s;
      s.name = ti.panel.areas()[a].name;
      s.color = palette(a);
      s.y.assign(t_last + 1 - first, std::nullopt);
      for (const auto& r : ti.rows) {
        if (r.area == a && r.month >= first && r.month <= t_last) s.y[r.month - first] = r.ewma;
      }
      ch.series.push_back(std::move(s));
    }
    d.figure(svg::line_chart(ch), d.fig() + "Threat level per province over time.", p_index);
  }
  {
    // Monthly events by violence type across the country.
    service::ThreatPanelRequest pr;
    pr.range = {"province", M.plus(-(opt.trend_months - 1)), M};
    const auto panel = engine.threat_panel(pr).panel;
    const std::string p_events =
        d.add_prov({"", "Events per month by violence type", "threat panel",
                    cli + "threat panel --level province --from " + M.plus(-(opt.trend_months - 1)).str() + " --to " +
                        M.str() + " --format csv",
                    "", "", "", ""});
    svg::BarChart bc;
    bc.title = "Events per month by type of violence, country";
    bc.y_label = "events";
    bc.part_names = {"state-based", "non-state", "violence against civilians"};
    bc.part_colors = {"#4e79a7", "#f28e2b", "#c00000"};
    for (std::size_t t = 0; t < panel.month_count(); ++t) {
      svg::Bar b;
      b.label = (t % 6 == 0) ? panel.month(t).str() : "";
      b.values.assign(3, 0);
      for (std::size_t a = 0; a < panel.area_count(); ++a) {
        const auto& c = panel.at(a, t);
        b.values[0] += static_cast<double>(c.events[index_of(ViolenceType::kStateBased)]);
        b.values[1] += static_cast<double>(c.events[index_of(ViolenceType::kNonState)]);
        b.values[2] += static_cast<double>(c.events[index_of(ViolenceType::kOneSided)]);
      }
      bc.bars.push_back(std::move(b));
    }
    d.figure(svg::bar_chart(bc), d.fig() + "Conflict events per month, stacked by type of violence.", p_events);
  }
  d.table_open(d.tab() + "Threat index per province, " + M.str() +
                   " (index, its EWMA level and the Mann-Kendall trend of the last " +
                   std::to_string(ti.options.trend_months) + " months).",
               p_index, {"province", "index", "EWMA", "trend", "p-value", "Sen slope / month"},
               {false, true, true, false, true, true});
  for (std::size_t a = 0; a < at_m.size(); ++a) {
    const auto* r = at_m[a];
    if (!r) continue;
    const std::string k = "threat." + ti.panel.areas()[a].id + ".";
    d.o << "<tr>" << td(escape(ti.panel.areas()[a].name)) << td(num(k + "index", r->index, 2), true)
        << td(num(k + "ewma", r->ewma, 2), true) << td(std::string(threat::trend_name(r->trend.trend)))
        << td(num(k + "p_value", r->trend.p_value, 3), true) << td(num(k + "sen_slope", r->trend.sen_slope, 3), true)
        << "</tr>\n";
  }
  d.table_close();

  // --- 2. hotspots ---------------------------------------------------------------------------
  d.chapter("hotspots", "Hotspots of violence against civilians");
  {
    service::HotspotsRequest hr;
    hr.range = {"territory", std::nullopt, M};
    hr.options.mode = threat::ScanMode::kProspective;
    hr.options.max_clusters = 5;
    hr.options.seed = opt.seed;
    hr.options.replications = opt.replications;
    hr.options.threads = 0;
    const auto hs = engine.threat_hotspots(hr);
    const std::string p_hot = d.add_prov({"", "Hotspots (map, table)", "space-time scan, prospective",
                                          cli + "threat hotspots --level territory --to " + M.str() +
                                              " --mode prospective --max-clusters 5 --replications " +
                                              std::to_string(opt.replications) + " --seed " + seed + " --format json",
                                          "", "", "", seed});
    d.o << "<p>Prospective space-time scan (Kulldorff) of violence against civilians over territories, "
        << escape(std::string(threat::model_name(hs.options.model))) << " model, " << hs.options.replications
        << " Monte Carlo replications, seed " << hs.options.seed
        << ": clusters still active in the last month. A p-value below 0.05 marks a cluster unlikely to arise by "
           "chance.</p>\n";
    const auto territories = engine.list_areas({"territory", true}).areas;
    std::map<std::string, int> cluster_of;  // territory id -> rank (1-based)
    for (std::size_t k = 0; k < hs.scan.clusters.size(); ++k) {
      for (auto a : hs.scan.clusters[k].areas) {
        const auto& id = hs.panel.areas()[a].id;
        if (!cluster_of.count(id)) cluster_of[id] = static_cast<int>(k + 1);
      }
    }
    svg::Map map;
    map.title = "Active hotspots, " + M.str();
    for (const auto& t : territories) {
      svg::MapArea ma;
      ma.wkb = t.wkb;
      ma.stroke_width = 0.3;
      const auto it = cluster_of.find(t.id);
      const bool sig =
          it != cluster_of.end() && hs.scan.clusters[static_cast<std::size_t>(it->second - 1)].p_value < 0.05;
      ma.fill = it == cluster_of.end() ? "#f4f4f4" : sig ? "#e34a33" : "#fdbb84";
      ma.title = t.name + (it == cluster_of.end() ? "" : ": cluster " + std::to_string(it->second));
      map.areas.push_back(std::move(ma));
    }
    for (const auto& p : provinces) {
      svg::MapArea ma;
      ma.wkb = p.wkb;
      ma.fill = "none";
      ma.stroke_width = 1.4;
      ma.title = p.name;
      ma.label = p.name;
      ma.label_at = p.centroid;
      map.areas.push_back(std::move(ma));
    }
    for (std::size_t k = 0; k < hs.scan.clusters.size(); ++k) {
      const auto& c = hs.scan.clusters[k];
      map.circles.push_back(
          {hs.panel.areas()[c.centre].centroid, c.radius_km, "#7f0000", "cluster " + std::to_string(k + 1)});
      svg::MapPoint pt;
      pt.where = hs.panel.areas()[c.centre].centroid;
      pt.radius = 3;
      pt.fill = "#7f0000";
      pt.label = std::to_string(k + 1);
      pt.title = "cluster " + std::to_string(k + 1);
      map.points.push_back(pt);
    }
    map.legend = {{"#e34a33", "cluster, p < 0.05"}, {"#fdbb84", "cluster, p >= 0.05"}, {"#f4f4f4", "no cluster"}};
    d.figure(svg::map(map), d.map() + "Territories in active clusters, numbered by rank.", p_hot);
    d.table_open(
        d.tab() + "Active clusters.", p_hot,
        {"rank", "centre", "territories", "radius km", "months", "observed", "expected", "relative risk", "p-value"},
        {true, false, true, true, false, true, true, true, true});
    for (std::size_t k = 0; k < hs.scan.clusters.size(); ++k) {
      const auto& c = hs.scan.clusters[k];
      const std::string key = "hotspot." + std::to_string(k + 1) + ".";
      d.o << "<tr>" << td(std::to_string(k + 1), true) << td(escape(hs.panel.areas()[c.centre].name))
          << td(num(key + "areas", static_cast<double>(c.areas.size()), 0), true)
          << td(num(key + "radius_km", c.radius_km, 0), true)
          << td(hs.panel.month(c.start).str() + " to " + hs.panel.month(c.end).str())
          << td(num(key + "observed", c.observed, 0), true) << td(num(key + "expected", c.expected, 1), true)
          << td(num(key + "relative_risk", c.relative_risk, 2), true) << td(num(key + "p_value", c.p_value, 3), true)
          << "</tr>\n";
    }
    if (hs.scan.clusters.empty()) d.o << "<tr><td colspan=\"9\">No cluster is active in " << M.str() << ".</td></tr>";
    d.table_close();
    std::size_t sig = 0;
    for (const auto& c : hs.scan.clusters) sig += c.p_value < 0.05 ? 1 : 0;
    summary.push_back(std::to_string(sig) + " active hotspot(s) of violence against civilians with p < 0.05" +
                      (hs.scan.clusters.empty()
                           ? "."
                           : "; the strongest centred on " + hs.panel.areas()[hs.scan.clusters[0].centre].name + "."));
  }

  // --- 3. benchmarks ---------------------------------------------------------------------------
  d.chapter("benchmarks", "Benchmarks per province and stakeholder");
  if (versions.empty()) {
    d.missing("Benchmarks", "The database holds no benchmark framework (endstate benchmarks import FILE).");
  } else {
    service::AssessRequest ar;
    ar.select.month = M;
    ar.save = false;
    const auto as = engine.benchmarks_assess(ar);
    const auto& r = as.run;
    const std::size_t t = as.t;
    const auto& shs = r.fw.stakeholders;
    const std::string v = std::to_string(r.row.version);
    const std::string p_ready = d.add_prov(
        {"", "Readiness per province and stakeholder (map, table, chart)", "benchmarks assess",
         cli + "benchmarks assess --version " + v + " --month " + M.str() + " --no-save --format json", "", v, "", ""});
    d.prov.back().data_fingerprint = d.fingerprint + " (benchmark inputs " + r.fingerprint.substr(0, 16) + ")";
    d.o << "<p>Framework <strong>" << escape(r.fw.name.empty() ? r.fw.id : r.fw.name) << "</strong>, version " << v
        << ", assessed per " << escape(r.level) << " for " << r.panel.month(t).str()
        << ". A province is ready for a stakeholder when every core benchmark is met by that stakeholder's "
           "thresholds, sustained, and the weighted share of contextual benchmarks is reached.</p>\n";
    std::map<std::string, std::size_t> ready_count;
    std::size_t ready_all = 0;
    for (std::size_t a = 0; a < r.panel.area_count(); ++a) {
      std::size_t n = 0;
      for (std::size_t s = 0; s < shs.size(); ++s) n += r.trajectories[a].ready(t, s) == bm::Readiness::kReady;
      ready_count[r.panel.areas()[a].id] = n;
      ready_all += n == shs.size() ? 1 : 0;
    }
    svg::Map map;
    map.title = "Stakeholders judging each province ready, " + M.str();
    const auto level_areas = engine.list_areas({r.level, true}).areas;
    for (const auto& p : level_areas) {
      svg::MapArea ma;
      ma.wkb = p.wkb;
      const auto it = ready_count.find(p.id);
      const std::size_t n = it == ready_count.end() ? 0 : it->second;
      ma.fill = it == ready_count.end() ? "#eeeeee" : n == shs.size() ? "#1a9850" : n > 0 ? "#fee08b" : "#f46d43";
      ma.title = p.name + ": ready for " + std::to_string(n) + " of " + std::to_string(shs.size());
      ma.label = p.name;
      ma.label_at = p.centroid;
      map.areas.push_back(std::move(ma));
    }
    map.legend = {
        {"#1a9850", "ready for every stakeholder"}, {"#fee08b", "ready for some"}, {"#f46d43", "ready for none"}};
    d.figure(svg::map(map), d.map() + "Readiness per province: how many stakeholders judge it ready.", p_ready);
    std::vector<std::string> heads{r.level};
    for (const auto& sh : shs) heads.push_back(sh.name.empty() ? sh.id : sh.name);
    d.table_open(d.tab() + "Readiness per province and stakeholder, " + r.panel.month(t).str() +
                     " (core benchmarks met of all core benchmarks).",
                 p_ready, heads);
    for (std::size_t a = 0; a < r.panel.area_count(); ++a) {
      d.o << "<tr>" << td(escape(r.panel.areas()[a].name));
      for (std::size_t s = 0; s < shs.size(); ++s) {
        const auto [met, total] = r.core_count(a, s, t);
        const auto rd = r.trajectories[a].ready(t, s);
        const std::string cls = rd == bm::Readiness::kReady    ? "ready"
                                : rd == bm::Readiness::kNoData ? "nodata"
                                                               : "notready";
        const std::string key = "ready." + r.panel.areas()[a].id + "." + shs[s].id;
        d.o << "<td class=\"" << cls << "\" data-k=\"" << escape(key) << "\" data-s=\""
            << (rd == bm::Readiness::kReady    ? "ready"
                : rd == bm::Readiness::kNoData ? "no_data"
                                               : "not_ready")
            << "\">"
            << (rd == bm::Readiness::kReady    ? "ready"
                : rd == bm::Readiness::kNoData ? "no data"
                                               : "not ready")
            << " (core " << num(key + ".core_met", met, 0) << " of " << num(key + ".core_total", total, 0) << ")</td>";
      }
      d.o << "</tr>\n";
    }
    d.table_close();
    summary.push_back(std::to_string(ready_all) + " of " + std::to_string(r.panel.area_count()) +
                      " provinces are ready for every stakeholder in " + M.str() + ".");
    // Readiness over time.
    {
      svg::LineChart ch;
      ch.title = "Provinces ready, per stakeholder";
      ch.y_label = "provinces ready";
      const std::size_t first = t + 1 > static_cast<std::size_t>(opt.trend_months) ? t + 1 - opt.trend_months : 0;
      for (std::size_t m = first; m <= t; ++m) ch.x_labels.push_back(r.panel.month(m).str());
      for (std::size_t s = 0; s < shs.size(); ++s) {
        svg::Series se;
        se.name = shs[s].name.empty() ? shs[s].id : shs[s].name;
        se.color = palette(s);
        for (std::size_t m = first; m <= t; ++m) {
          double n = 0;
          for (std::size_t a = 0; a < r.panel.area_count(); ++a)
            n += r.trajectories[a].ready(m, s) == bm::Readiness::kReady;
          se.y.push_back(n);
        }
        ch.series.push_back(std::move(se));
      }
      d.figure(svg::line_chart(ch), d.fig() + "Number of provinces ready under each stakeholder's standard.", p_ready);
    }
    // Disagreements.
    const auto dis = bm::disagreements(r.fw, r.trajectories, r.values, t);
    const std::string p_dis = d.add_prov(
        {"", "Where stakeholders disagree", "benchmarks disagreements",
         cli + "benchmarks disagreements --version " + v + " --month " + M.str() + " --format json", "", v, "", ""});
    d.o << "<h3>Where stakeholders disagree</h3>\n";
    d.table_open(d.tab() + "The same value judged met by some stakeholders and not by others (" +
                     std::to_string(dis.size()) + "), with the move each of the others needs.",
                 p_dis, {r.level, "benchmark", "indicator", "value", "met for", "not met for", "what it would take"},
                 {false, false, false, true, false, false, false});
    for (std::size_t i = 0; i < dis.size(); ++i) {
      const auto& x = dis[i];
      std::vector<std::string> takes;
      for (const auto& g : x.gaps) {
        takes.push_back(escape(g.stakeholder) + ": " +
                        (g.move == 0
                             ? "sustain " + std::to_string(g.months_to_sustain) + " more month(s)"
                             : "move " + svg::fixed(g.move, 3) + " (threshold " + svg::fixed(g.threshold, 3) + ")"));
      }
      const std::string key = "disagreement." + x.area_id + "." + x.benchmark_id + "." + x.indicator_id;
      d.o << "<tr>" << td(escape(name_of.count(x.area_id) ? name_of[x.area_id] : x.area_id))
          << td(escape(x.benchmark_id)) << td(escape(x.indicator_id)) << td(num(key + ".value", x.value, 3), true)
          << td(escape(join(x.met_by, ", "))) << td(escape(join(x.not_met_by, ", "))) << td(join(takes, "; "))
          << "</tr>\n";
    }
    if (dis.empty()) d.o << "<tr><td colspan=\"7\">The stakeholders agree on every judgement.</td></tr>";
    d.table_close();
    // Projections.
    service::ProjectRequest pq;
    pq.select.month = M;
    pq.options.samples = opt.projection_samples;
    pq.options.seed = opt.seed;
    const auto pj = engine.benchmarks_project(pq);
    const Month plast = pj.run.panel.last();
    const std::string p_proj =
        d.add_prov({"", "Projected month each unmet core benchmark is met", "benchmarks project",
                    cli + "benchmarks project --version " + v + " --month " + M.str() + " --samples " +
                        std::to_string(opt.projection_samples) + " --seed " + seed + " --format json",
                    "", v, "negative binomial (best) for event-derived indicators; OLS trend for observed ones", seed});
    std::map<std::string, bool> is_core;
    for (const auto& b : r.fw.benchmarks) is_core[b.id] = b.kind == bm::BenchmarkKind::kCore;
    d.o << "<h3>When the unmet core benchmarks are expected to be met</h3>\n";
    d.table_open(d.tab() + "Median month and 80% interval over " + std::to_string(opt.projection_samples) +
                     " sample paths from " + plast.str() + ", " + std::to_string(pj.options.horizon_months) +
                     " months ahead, per stakeholder.",
                 p_proj, {r.level, "benchmark", "stakeholder", "median", "80% interval", "share within horizon"},
                 {false, false, false, false, false, true});
    std::size_t shown = 0;
    for (const auto& p : pj.projections) {
      if (!is_core[p.benchmark_id]) continue;
      ++shown;
      auto mo = [&](const std::optional<int>& h) { return h ? plast.plus(*h).str() : std::string("later"); };
      const std::string key = "projection." + p.area_id + "." + p.benchmark_id + "." + p.stakeholder;
      const std::string med = !p.projectable ? "no data"
                              : p.median     ? "<span data-k=\"" + escape(key) + ".median\" data-v=\"" +
                                               std::to_string(*p.median) + "\">" + mo(p.median) + "</span>"
                                         : "not within " + std::to_string(pj.options.horizon_months) + " months";
      d.o << "<tr>" << td(escape(name_of.count(p.area_id) ? name_of[p.area_id] : p.area_id))
          << td(escape(p.benchmark_id)) << td(escape(p.stakeholder)) << td(med)
          << td(p.projectable && p.median ? (p.low ? mo(p.low) : "?") + " to " + mo(p.high) : "")
          << td(num(key + ".share", 100 * p.share_within_horizon, 0) + "%", true) << "</tr>\n";
    }
    if (shown == 0) d.o << "<tr><td colspan=\"6\">Every core benchmark is met.</td></tr>";
    d.table_close();
  }

  // --- 4. transition plan and protection gaps -------------------------------------------------------
  d.chapter("plan", "Transition plan and protection gaps");
  std::optional<service::PlanResult> plan;
  if (opt.plan_file.empty()) {
    d.missing("Transition plan", "No transition plan was given (endstate report council --plan FILE).");
  } else {
    service::PlanRequest pq;
    pq.file = opt.plan_file;
    pq.base_dir = opt.base_dir;
    plan = engine.plan_run(pq);
    const auto& pl = *plan;
    const std::string fv = pl.framework_version ? std::to_string(*pl.framework_version) : "";
    std::set<std::string> sources;
    for (const auto& s : pl.threat_source) sources.insert(s);
    const std::string p_plan = d.add_prov(
        {"", "Transition plan by phase: troops, bases, exits, coverage, closures, cost (map, charts, tables)",
         "plan run", cli + "plan run " + opt.plan_file + " --format json", "", fv,
         "threat per phase: " + join(std::vector<std::string>(sources.begin(), sources.end()), ", ") +
             "; readiness: benchmark projections (" + std::to_string(pq.projection_samples) + " sample paths, " +
             (pl.spec.projection == plan::ProjectionRule::kHigh ? "90% quantile" : "median") + ")",
         std::to_string(pl.spec.seed)});
    d.o << "<p>Plan <strong>" << escape(pl.spec.name.empty() ? pl.spec.id : pl.spec.name) << "</strong> ("
        << escape(opt.plan_file) << "): policy " << escape(plan::to_string(pl.spec.policy)) << ", " << pl.phases.size()
        << " phases from " << pl.phases.front().from.str() << " to " << pl.phases.back().to.str() << ", exits per "
        << escape(pl.level);
    if (pl.spec.policy != plan::Policy::kEndDate && !pl.stakeholders.empty()) {
      d.o << " once ready for " << escape(join(pl.stakeholders, " and ")) << ", sustained " << pl.spec.sustain_months
          << " months";
    }
    d.o << ". Each phase's bases keep the most threat-weighted population (expected violence against civilians "
           "in that phase &times; population) within "
        << svg::fixed(pl.spec.response_hours, 1) << " h of a base, under the troop ceiling; solver "
        << escape(pl.solution.solver) << " (" << escape(footprint::to_string(pl.solution.status)) << ", gap "
        << num("plan.solver_gap_pct", 100 * pl.solution.gap, 2) << "%).</p>\n";
    if (!pl.report) {
      d.missing("Transition plan", "The planner found no plan for " + opt.plan_file + " (" +
                                       footprint::to_string(pl.solution.status) +
                                       (pl.solution.binding.empty() ? "" : ": " + join(pl.solution.binding, ", ")) +
                                       "); endstate plan run " + opt.plan_file + " says more.");
    } else {
      const auto& rep = *pl.report;
      const std::size_t P = pl.phases.size();
      std::vector<std::vector<std::string>> exits_in(P);
      std::map<std::string, const service::ProvinceExit*> exit_of;
      for (const auto& e : pl.exits) {
        exit_of[e.area_id] = &e;
        if (e.phase >= 0) exits_in[static_cast<std::size_t>(e.phase)].push_back(e.name);
      }
      // Map: provinces by exit phase, bases by what the plan does with them.
      svg::Map map;
      map.title = "Province exits and bases, " + pl.phases.front().from.str() + " to " + pl.phases.back().to.str();
      auto phase_fill = [&](int k) { return ramp(P > 1 ? 0.15 + 0.7 * k / static_cast<double>(P - 1) : 0.5); };
      const auto level_areas = engine.list_areas({pl.level, true}).areas;
      for (const auto& p : level_areas) {
        svg::MapArea ma;
        ma.wkb = p.wkb;
        const auto it = exit_of.find(p.id);
        const auto* e = it == exit_of.end() ? nullptr : it->second;
        ma.fill = e && e->phase >= 0 ? phase_fill(e->phase) : e && e->reason == "locked" ? "#c6dbef" : "#eeeeee";
        ma.title = p.name + ": " +
                   (e ? (e->month ? "exited " + e->month->str() : "held") + " (" + e->reason + ")"
                      : std::string("not in the plan"));
        ma.label = p.name;
        ma.label_at = p.centroid;
        map.areas.push_back(std::move(ma));
      }
      for (std::size_t j = 0; j < pl.problem.sites.size(); ++j) {
        bool ever = false, end_open = rep.phases.back().troops[j] > 0;
        for (std::size_t k = 0; k < P; ++k) ever = ever || rep.phases[k].troops[j] > 0;
        const auto& s = pl.problem.sites[j];
        if (!ever && !s.existing) continue;
        svg::MapPoint pt;
        pt.where = pl.model.sites[j].where;
        pt.square = pl.model.sites[j].has_air;
        pt.radius = 3.5;
        pt.fill = !s.existing ? "#1a9850" : end_open ? "#1f4e79" : "#b2182b";
        pt.title = s.name + (!s.existing ? ": opened by the plan" : end_open ? ": open to the end" : ": closed");
        map.points.push_back(pt);
      }
      for (std::size_t k = 0; k < P; ++k) {
        if (!exits_in[k].empty())
          map.legend.push_back({phase_fill(static_cast<int>(k)), "exited " + pl.phases[k].from.str()});
      }
      map.legend.push_back({"#eeeeee", "held to the end of the plan"});
      map.legend.push_back({"#c6dbef", "held: a locked base"});
      map.legend.push_back({"#1f4e79", "base open to the end", true});
      map.legend.push_back({"#b2182b", "base closed during the plan", true});
      map.legend.push_back({"#1a9850", "base opened by the plan", true});
      d.figure(svg::map(map),
               d.map() + "Month each " + pl.level +
                   " is exited under the plan, and what happens to each base (square: helicopters based).",
               p_plan);
      // Charts: troops per phase against the ceiling; coverage of the provinces still held.
      svg::LineChart tc;
      tc.title = "Troops per phase";
      tc.y_label = "troops";
      tc.x_every = 1;
      tc.y_min = 0;
      svg::Series ceil{"troop ceiling", {}, "#7f7f7f", true}, dep{"troops deployed", {}, "#1f77b4", false},
          pol{"police", {}, "#2ca02c", false};
      svg::LineChart cc;
      cc.title = "Threat-weighted coverage per phase";
      cc.y_label = "% of the weight in provinces still held";
      cc.x_every = 1;
      cc.y_min = 0;
      svg::Series cov{"covered within reach", {}, "#1f77b4", false};
      for (std::size_t k = 0; k < P; ++k) {
        const auto& x = rep.phases[k];
        tc.x_labels.push_back(pl.phases[k].from.str());
        cc.x_labels.push_back(pl.phases[k].from.str());
        ceil.y.push_back(static_cast<double>(pl.problem.troop_ceiling[k]));
        dep.y.push_back(static_cast<double>(x.troops_total));
        pol.y.push_back(static_cast<double>(x.police));
        cov.y.push_back(x.responsibility > 0 ? std::optional<double>(100 * x.covered / x.responsibility)
                                             : std::nullopt);
      }
      tc.series = {ceil, dep, pol};
      cc.series = {cov};
      d.figure(svg::line_chart(tc), d.fig() + "Troops deployed per phase under the ceiling, and police called for.",
               p_plan);
      d.figure(svg::line_chart(cc),
               d.fig() + "Share of the threat-weighted population of the provinces still held that a base reaches.",
               p_plan);
      // Table: phases.
      d.table_open(d.tab() +
                       "The plan by phase: troops, police and civilians, bases, exits, and the protection gap "
                       "(expected violence against civilians out of reach of every base, in provinces still held).",
                   p_plan,
                   {"phase", "months", "troop ceiling", "troops", "police", "civilians", "bases open", "opened",
                    "closed", "exits", "coverage %", "gap", "handed over", "population no longer covered"},
                   {false, true, true, true, true, true, true, true, true, false, true, true, true, true});
      for (std::size_t k = 0; k < P; ++k) {
        const auto& x = rep.phases[k];
        const std::string key = "plan.phase." + std::to_string(k + 1) + ".";
        d.o << "<tr>" << td(pl.phases[k].label()) << td(num(key + "months", pl.phases[k].months(), 0), true)
            << td(num(key + "troop_ceiling", static_cast<double>(pl.problem.troop_ceiling[k]), 0), true)
            << td(num(key + "troops", static_cast<double>(x.troops_total), 0), true)
            << td(num(key + "police", static_cast<double>(x.police), 0), true)
            << td(num(key + "civilians", static_cast<double>(x.civilians), 0), true)
            << td(num(key + "sites_open", static_cast<double>(x.sites_open), 0), true)
            << td(num(key + "opened", static_cast<double>(x.opened), 0), true)
            << td(num(key + "closed", static_cast<double>(x.closed), 0), true) << td(escape(join(exits_in[k], ", ")))
            << td(x.responsibility > 0 ? num(key + "coverage_pct", 100 * x.covered / x.responsibility, 1) : "&ndash;",
                  true)
            << td(num(key + "gap", x.gap, 1), true) << td(num(key + "handed_over", x.handed_over, 1), true)
            << td(num(key + "population_lost", x.population_lost, 0), true) << "</tr>\n";
      }
      d.table_close();
      // Table: exits.
      d.table_open(d.tab() + "Exit of each " + pl.level + ": when, why, and whether it is ready when exited.", p_plan,
                   {pl.level, "exit", "reason", "ready at exit", "why"});
      std::size_t exited = 0, unready = 0;
      for (const auto& e : pl.exits) {
        const std::string key = "plan.exit." + e.area_id + ".phase";
        exited += e.month ? 1 : 0;
        unready += e.month && e.ready_at_exit && !*e.ready_at_exit ? 1 : 0;
        d.o << "<tr>" << td(escape(e.name))
            << td(e.month ? "<span class=\"n\" data-k=\"" + escape(key) + "\" data-v=\"" + std::to_string(e.phase + 1) +
                                "\">" + e.month->str() + "</span>"
                          : std::string("not within the plan"))
            << td(escape(e.reason))
            << (!e.month           ? td("&ndash;")
                : !e.ready_at_exit ? "<td class=\"nodata\">no framework</td>"
                : *e.ready_at_exit ? "<td class=\"ready\">yes</td>"
                                   : "<td class=\"notready\">no</td>")
            << td(escape(e.why)) << "</tr>\n";
      }
      d.table_close();
      // Table: closures.
      d.table_open(d.tab() +
                       "Bases closed, phase by phase, with the localities of provinces still held that only "
                       "they reached and what replaces them (helicopters within the mitigation window, else police and "
                       "civilians).",
                   p_plan,
                   {"from", "base", pl.level, "why", "localities losing coverage", "population", "by air", "police",
                    "civilians"},
                   {false, false, false, false, true, true, true, true, true});
      for (const auto& c : rep.closures) {
        const auto& s = pl.problem.sites[c.site];
        const std::string key = "plan.closure." + std::to_string(c.phase + 1) + "." + s.id + ".";
        const std::string prov =
            s.province >= 0 ? pl.problem.provinces[static_cast<std::size_t>(s.province)] : std::string();
        d.o << "<tr>" << td(pl.phases[c.phase].from.str()) << td(escape(s.name)) << td(escape(prov))
            << td(c.exit ? "exit" : "closure")
            << td(num(key + "localities_lost", static_cast<double>(c.lost.size()), 0), true)
            << td(num(key + "population_lost", c.population_lost, 0), true)
            << td(num(key + "by_air", static_cast<double>(c.by_air), 0), true)
            << td(num(key + "police", static_cast<double>(c.police), 0), true)
            << td(num(key + "civilians", static_cast<double>(c.civilians), 0), true) << "</tr>\n";
      }
      if (rep.closures.empty()) d.o << "<tr><td colspan=\"9\">The plan closes no base.</td></tr>";
      d.table_close();
      // Table: cost per budget year.
      d.table_open(d.tab() + "Cost of the plan per UN budget year (July-June), " + pl.spec.currency +
                       " million, at the plan's unit costs.",
                   p_plan,
                   {"budget year", "months", "troops", "police", "civilians", "bases", "closures", "openings", "total"},
                   {false, true, true, true, true, true, true, true, true});
      for (const auto& c : rep.costs) {
        const std::string key = "plan.cost." + c.year + ".";
        d.o << "<tr>" << td(escape(c.year)) << td(num(key + "months", c.months, 0), true);
        for (const auto& [k, v] : {std::pair<const char*, double>{"troops", c.troops},
                                   {"police", c.police},
                                   {"civilians", c.civilians},
                                   {"bases", c.bases},
                                   {"closures", c.closures},
                                   {"openings", c.openings},
                                   {"total", c.total()}}) {
          d.o << td(num(key + k + "_m", v / 1e6, 1), true);
        }
        d.o << "</tr>\n";
      }
      d.o << "<tr><th>total</th><td colspan=\"7\"></td>"
          << td(num("plan.cost.total_m", rep.total_cost() / 1e6, 1), true) << "</tr>\n";
      d.table_close();
      summary.push_back("Transition plan " + pl.spec.id + " (" + plan::to_string(pl.spec.policy) +
                        "): " + std::to_string(exited) + " of " + std::to_string(pl.exits.size()) + " " + pl.level +
                        "s exited by " + pl.phases.back().to.str() +
                        (unready ? ", " + std::to_string(unready) + " of them not ready when exited" : "") +
                        "; troops from " + std::to_string(rep.phases.front().troops_total) + " to " +
                        std::to_string(rep.phases.back().troops_total) + ".");
    }
  }
  {
    service::FootprintGapsRequest gr;
    gr.model.month = M;
    gr.model.coverage.response_hours = opt.response_hours;
    if (!opt.localities_file.empty()) {
      gr.model.demand = service::Demand::kLocalities;
      gr.model.localities_file = service::in_folder(opt.base_dir, opt.localities_file);
    }
    const auto gp = engine.footprint_gaps(gr);
    const std::string p_gap = d.add_prov(
        {"", "Protection gap of closing each of today's bases (map, table)", "footprint gaps",
         cli + "footprint gaps --month " + M.str() + " --response-hours " + svg::fixed(opt.response_hours, 2) +
             (opt.localities_file.empty() ? "" : " --demand localities --localities " + opt.localities_file) +
             " --format json",
         "", "", "", ""});
    const double tw = gp.covered_today > 0 ? gp.covered_today : 1;
    d.o << "<h3>Protection gaps of today's bases</h3><p>For each base active in " << M.str()
        << ", the share of today's covered weight (population &times; recent violence against civilians, within "
        << svg::fixed(opt.response_hours, 1)
        << " h by road or helicopter) that no other base covers: what closing it alone would leave out of "
           "reach.</p>\n";
    svg::Map map;
    map.title = "Today's bases and the protection gap of closing each";
    for (const auto& p : provinces) {
      svg::MapArea ma;
      ma.wkb = p.wkb;
      ma.fill = "#f7f7f7";
      ma.title = p.name;
      ma.label = p.name;
      ma.label_at = p.centroid;
      map.areas.push_back(std::move(ma));
    }
    double max_gap = 0;
    for (const auto& g : gp.ranked) max_gap = std::max(max_gap, g.weight_lost);
    for (const auto& g : gp.ranked) {
      const auto& s = gp.model.sites[g.site];
      svg::MapPoint pt;
      pt.where = s.where;
      pt.radius = 2.5 + (max_gap > 0 ? 7.5 * std::sqrt(g.weight_lost / max_gap) : 0);
      pt.fill = g.weight_lost > 0 ? "#b2182b" : "#4393c3";
      pt.square = s.has_air;
      pt.title = s.name + ": gap " + svg::fixed(100 * g.weight_lost / tw, 1) + "%";
      map.points.push_back(pt);
    }
    map.legend = {{"#b2182b", "closing opens a gap (size)", true},
                  {"#4393c3", "closing opens no gap", true},
                  {"#333333", "square: helicopters based", false}};
    d.figure(svg::map(map), d.map() + "Today's bases; the larger the mark, the larger the gap its closure opens.",
             p_gap);
    d.table_open(d.tab() + "The ten largest protection gaps.", p_gap,
                 {"base", "province", "gap % of covered weight", "localities losing coverage"},
                 {false, false, true, true});
    for (std::size_t i = 0; i < gp.ranked.size() && i < 10; ++i) {
      const auto& g = gp.ranked[i];
      const auto& s = gp.model.sites[g.site];
      const std::string key = "gap." + s.id + ".";
      d.o << "<tr>" << td(escape(s.name)) << td(escape(name_of.count(s.area_id) ? name_of[s.area_id] : s.area_id))
          << td(num(key + "share_pct", 100 * g.weight_lost / tw, 1), true)
          << td(num(key + "points_lost", static_cast<double>(g.points_lost.size()), 0), true) << "</tr>\n";
    }
    d.table_close();
  }

  // --- 5. tasks ---------------------------------------------------------------------------------------
  d.chapter("tasks", "Tasks, handovers at risk and shortfall per budget year");
  if (opt.tasks_file.empty()) {
    d.missing("Tasks", "No task register was given (endstate report council --tasks FILE).");
  } else {
    service::TasksRequest tr;
    tr.file = opt.tasks_file;
    tr.base_dir = opt.base_dir;
    // The exits of the plan of section 4 when there is one (computed once), else the register's own.
    if (plan) {
      tr.plan =
          service::plan_input(plan->spec.id, plan->phases, plan->problem, plan->report ? &*plan->report : nullptr);
    }
    const auto tk = engine.tasks_schedule(tr);
    const auto& a = tk.analysis;
    const std::string p_tasks = d.add_prov(
        {"", "Tasks: handovers at risk, shortfall per budget year, continuity of protection (map, chart, tables)",
         "tasks schedule",
         cli + "tasks schedule --register " + opt.tasks_file + (plan ? " --plan " + opt.plan_file : "") +
             " --format json",
         "", tk.framework_version ? std::to_string(*tk.framework_version) : "",
         tr.project
             ? "conditions dated by benchmark projections (" + std::to_string(tr.projection_samples) + " sample paths)"
             : "",
         ""});
    std::map<tasks::ItemStatus, std::size_t> by_status;
    for (const auto& it : a.items) ++by_status[it.status];
    std::vector<std::string> exits;
    for (const auto& p : tk.context.provinces) {
      if (p.exit) exits.push_back(p.name + " " + p.exit->str());
    }
    d.o << "<p>Register <strong>" << escape(tk.reg.name.empty() ? tk.reg.id : tk.reg.name)
        << "</strong>: " << num("tasks.tasks", static_cast<double>(tk.reg.tasks.size()), 0) << " tasks in "
        << num("tasks.items", static_cast<double>(a.items.size()), 0) << " task-places, " << tk.reg.partners.size()
        << " partners, budget years " << escape(tk.reg.years.front().label()) << " to "
        << escape(tk.reg.years.back().label()) << ". Exits "
        << (plan ? "of the plan " + escape(plan->spec.id) + " (section 4)" : std::string("of the register")) << ": "
        << escape(exits.empty() ? std::string("none within the horizon") : join(exits, ", "))
        << ". Handed over before the exit: "
        << num("tasks.status.handed_over", static_cast<double>(by_status[tasks::ItemStatus::kHandedOver]), 0)
        << "; <strong>not handed over in time: "
        << num("tasks.status.at_risk", static_cast<double>(by_status[tasks::ItemStatus::kAtRisk]), 0)
        << "</strong>; kept by the mission (not exited): "
        << num("tasks.status.continues", static_cast<double>(by_status[tasks::ItemStatus::kContinues]), 0)
        << "; ending with the mission: "
        << num("tasks.status.ends", static_cast<double>(by_status[tasks::ItemStatus::kEnds]), 0)
        << ". Conditions are judged by the standard of " << escape(join(tk.stakeholders, ", ")) << ".</p>\n";
    // Handovers at risk.
    std::size_t risky = 0, cond = 0;
    for (const auto& it : a.items) {
      risky += it.risks.empty() ? 0 : 1;
      cond +=
          (it.status == tasks::ItemStatus::kHandedOver || it.status == tasks::ItemStatus::kAtRisk) && !it.conditions_ok
              ? 1
              : 0;
    }
    d.o << "<h3>Handovers at risk</h3>\n";
    d.table_open(d.tab() + "Task-places at risk (" + std::to_string(risky) + "): not handed over before the exit, " +
                     "or handed over before their conditions are expected to be met (" + std::to_string(cond) + ").",
                 p_tasks, {"task", "tier", "place", "partner", "exit", "handover", "conditions expected met", "risks"},
                 {false, true, false, false, false, false, false, false});
    for (const auto& it : a.items) {
      if (it.risks.empty()) continue;
      const auto& task = tk.reg.tasks[it.task];
      const auto& place = tk.context.task_places[it.task][it.place];
      std::vector<std::string> risks;
      for (const auto& k : it.risks)
        risks.push_back("<strong>" + escape(tasks::to_string(k.kind)) + "</strong>: " + escape(k.detail));
      const std::string key = "tasks.risk." + task.id + "." + place.id;
      d.o << "<tr class=\"" << (it.status == tasks::ItemStatus::kAtRisk ? "notready" : "") << "\">"
          << td(escape(task.name)) << td(std::to_string(task.tier), true) << td(escape(place.name))
          << td(escape(task.handover.partner.empty() ? "nobody named" : task.handover.partner))
          << td(it.exit ? it.exit->str() : "") << td(it.handover ? it.handover->str() : "")
          << td(it.conditions_met ? it.conditions_met->str() : "not within the horizon")
          << td(num(key + ".risks", static_cast<double>(it.risks.size()), 0) + ": " + join(risks, "; ")) << "</tr>\n";
    }
    if (risky == 0) d.o << "<tr><td colspan=\"8\">No handover is at risk.</td></tr>";
    d.table_close();
    // Shortfall per budget year.
    d.o << "<h3>Shortfall per budget year</h3>\n";
    svg::BarChart bc;
    bc.title = "Shortfall per budget year, " + tk.reg.currency + " million";
    bc.y_label = tk.reg.currency + " million";
    bc.part_names = {"partners' gap (demand not funded)", "no partner named"};
    bc.part_colors = {"#f28e2b", "#c00000"};
    for (const auto& y : a.shortfall) {
      bc.bars.push_back({tk.reg.years[y.year].label(), {y.partner_gap / 1e6, y.no_partner / 1e6}});
    }
    d.figure(svg::bar_chart(bc),
             d.fig() +
                 "What must continue outside the mission and nobody funds: each partner's unfunded demand, "
                 "and tasks with nobody named to take them over.",
             p_tasks);
    d.table_open(d.tab() + "Shortfall per budget year, " + tk.reg.currency +
                     " million. Mission: its task costs (and the plan's footprint) against its budget; outside: what "
                     "partners must run, their secured funding, each partner's gap, tasks with no partner.",
                 p_tasks,
                 {"budget year", "mission tasks", "plan cost", "mission total", "mission budget", "mission shortfall",
                  "partner demand", "partner funding", "partner gap", "no partner", "shortfall"},
                 {false, true, true, true, true, true, true, true, true, true, true});
    for (const auto& y : a.shortfall) {
      const std::string year = tk.reg.years[y.year].label();
      const std::string key = "tasks.shortfall." + year + ".";
      auto m = [&](const std::string& k, const std::optional<double>& v) {
        return v ? num(key + k + "_m", *v / 1e6, 1) : std::string("&ndash;");
      };
      d.o << "<tr>" << td(escape(year)) << td(m("mission_tasks", y.mission_tasks), true)
          << td(m("plan_cost", y.plan_cost), true) << td(m("mission_total", y.mission_total), true)
          << td(m("mission_budget", y.mission_budget), true) << td(m("mission_shortfall", y.mission_shortfall), true)
          << td(m("partner_demand", y.partner_demand), true) << td(m("partner_funding", y.partner_funding), true)
          << td(m("partner_gap", y.partner_gap), true) << td(m("no_partner", y.no_partner), true)
          << td("<strong>" + m("shortfall", y.shortfall) + "</strong>", true) << "</tr>\n";
    }
    d.table_close();
    // Continuity of protection per territory.
    d.o << "<h3>Continuity of protection</h3><p>Community alert networks, local protection committees and human "
           "rights monitoring running in each "
        << escape(tk.territory_level) << " at the end of each phase: covered (someone other than the mission runs "
        << "one), mission only, or none.</p>\n";
    std::map<std::string, const tasks::TerritoryContinuity*> cont_of;
    for (const auto& tc : a.continuity) cont_of[tk.context.territories[tc.territory].id] = &tc;
    {
      svg::Map map;
      map.title = "Protection mechanisms at the end of " + (a.phases.empty() ? std::string() : a.phases.back().label);
      for (const auto& t : engine.list_areas({tk.territory_level, true}).areas) {
        svg::MapArea ma;
        ma.wkb = t.wkb;
        const auto it = cont_of.find(t.id);
        const std::string st =
            it == cont_of.end() || it->second->phases.empty() ? "" : it->second->phases.back().status();
        ma.fill = st == "covered" ? "#1a9850" : st == "mission_only" ? "#fee08b" : st == "none" ? "#d73027" : "#eeeeee";
        ma.title = t.name + ": " + (st.empty() ? std::string("not reported") : st);
        ma.stroke_width = 0.4;
        map.areas.push_back(std::move(ma));
      }
      map.legend = {
          {"#1a9850", "covered beyond the mission"}, {"#fee08b", "the mission's mechanisms only"}, {"#d73027", "none"}};
      d.figure(svg::map(map),
               d.map() + "Protection mechanisms per " + tk.territory_level + " at the end of the last phase.", p_tasks);
    }
    std::vector<std::string> heads{tk.territory_level, "province", "mechanisms"};
    for (const auto& ph : a.phases) heads.push_back(ph.from.str());
    heads.push_back("first without");
    d.table_open(d.tab() + "Protection mechanisms per " + tk.territory_level +
                     " at the end of each phase (covered, mission only, none).",
                 p_tasks, heads);
    std::vector<std::size_t> without_count(a.phases.size(), 0);
    for (const auto& tc : a.continuity) {
      const auto& t = tk.context.territories[tc.territory];
      const std::string key = "tasks.continuity." + t.id;
      d.o << "<tr>" << td(escape(t.name))
          << td(escape(t.province >= 0 ? tk.context.provinces[static_cast<std::size_t>(t.province)].name : ""))
          << td(num(key + ".mechanisms", static_cast<double>(tc.entries.size()), 0), true);
      for (std::size_t ph = 0; ph < tc.phases.size(); ++ph) {
        const std::string st = tc.phases[ph].status();
        without_count[ph] += st == "none" ? 1 : 0;
        d.o << "<td class=\""
            << (st == "covered" ? "ready"
                : st == "none"  ? "notready"
                                : "nodata")
            << "\" data-k=\"" << escape(key + "." + std::to_string(ph + 1)) << "\" data-s=\"" << st << "\">"
            << escape(st) << "</td>";
      }
      d.o << td(tc.first_without >= 0 ? a.phases[static_cast<std::size_t>(tc.first_without)].from.str() : "never")
          << "</tr>\n";
    }
    d.table_close();
    const auto worst = std::max_element(without_count.begin(), without_count.end());
    summary.push_back(
        "Tasks: " + std::to_string(by_status[tasks::ItemStatus::kAtRisk]) + " of " + std::to_string(a.items.size()) +
        " task-places not handed over before the exit" +
        (a.shortfall.empty()
             ? std::string()
             : "; shortfall outside the mission " + svg::fixed(a.shortfall.back().shortfall / 1e6, 1) + " million " +
                   tk.reg.currency + " in " + tk.reg.years[a.shortfall.back().year].label()) +
        (worst == without_count.end() || *worst == 0 ? std::string()
                                                     : "; up to " + std::to_string(*worst) + " " + tk.territory_level +
                                                           "(s) left without any protection mechanism") +
        ".");
  }

  // --- 6. policy comparison -------------------------------------------------------------------------------
  d.chapter("comparison", "Policy comparison on the same sample paths");
  if (opt.comparison_plans.empty()) {
    d.missing("Policy comparison",
              "No policies were given to compare (endstate report council --comparison PLAN,PLAN...).");
  } else {
    service::SimulateRequest sr;
    sr.setup.level = opt.comparison_level;
    sr.setup.paths = opt.comparison_paths;
    sr.setup.seed = opt.seed;
    sr.plans = opt.comparison_plans;
    sr.base_dir = opt.base_dir;
    const auto sim = engine.simulate(sr);
    const auto& cmp = sim.comparison;
    const std::string p_sim =
        d.add_prov({"", "Policies compared on the same sample paths (chart, tables)", "simulate run",
                    cli + "simulate run --plans " + join(opt.comparison_plans, ",") +
                        (opt.comparison_level.empty() ? "" : " --level " + opt.comparison_level) + " --paths " +
                        std::to_string(sim.paths) + " --seed " + seed + " --format json",
                    "", sr.setup.select.version ? std::to_string(*sr.setup.select.version) : fw_version,
                    sim.model + " one-step model of " + forecast::target_name(sim.target) + " per " + sim.level +
                        ", each path fed back; presence effect " + sim.presence_id,
                    seed});
    const auto month_of = [&](double offset) { return sim.origin.plus(static_cast<std::int32_t>(offset)).str(); };
    // A month offset with its interval; "not within" beyond the horizon.
    const auto month_cell = [&](const std::string& key, const simulate::Interval& v) {
      const std::string med = v.median ? "<span class=\"n\" data-k=\"" + escape(key) + ".median\" data-v=\"" +
                                             detail::exact(*v.median) + "\">" + month_of(*v.median) + "</span>"
                                       : "after " + month_of(sim.horizon - 1);
      return med + (v.lo90 || v.hi90 ? " (" + (v.lo90 ? month_of(*v.lo90) : std::string("?")) + " to " +
                                           (v.hi90 ? month_of(*v.hi90) : "after " + month_of(sim.horizon - 1)) + ")"
                                     : std::string());
    };
    // A quantity with its 90% interval, scaled for display.
    const auto iv_cell = [&](const std::string& key, const simulate::Interval& v, double scale, int dec) {
      auto one = [&](const std::string& k, const std::optional<double>& x) {
        return x ? num(key + "." + k, *x / scale, dec) : std::string("&ndash;");
      };
      return one("median", v.median) + " <span class=\"key\">(" + one("lo90", v.lo90) + " to " + one("hi90", v.hi90) +
             ")</span>";
    };
    d.o << "<p>" << num("comparison.paths", sim.paths, 0) << " joint sample paths of monthly "
        << escape(forecast::target_name(sim.target)) << " per " << escape(sim.level) << " from " << sim.origin.str()
        << " to " << month_of(sim.horizon - 1) << " (" << escape(sim.model)
        << ", each path feeding its own months back into the model); the benchmarks recomputed along each path; "
           "each policy exits provinces on each path and the bases there close; presence effect "
        << escape(sim.presence_id)
        << " (docs/simulate.md: an assumption, stated). Medians with 90% intervals over paths; differences are "
           "paired against "
        << escape(sim.policies.front().name) << " (same paths, common random numbers).</p>\n";
    d.table_open(d.tab() + "Outcomes per policy over " + std::to_string(sim.paths) + " paths, " + sim.origin.str() +
                     " to " + month_of(sim.horizon - 1) + " (median and 90% interval).",
                 p_sim,
                 {"policy", "plan", "mission ends", "ended within", "provinces exited (expected)",
                  forecast::target_name(sim.target), "civilian deaths", "hotspot months out of reach", "troop-months",
                  "cost, " + sim.currency + " million"},
                 {false, false, false, true, true, true, true, true, true, true});
    for (std::size_t k = 0; k < cmp.policies.size(); ++k) {
      const auto& p = cmp.policies[k];
      const auto& info = sim.policies[k];
      const std::string key = "comparison." + info.name + ".";
      double exited = 0;
      for (double s : p.exit_within) exited += s;
      d.o << "<tr>" << td("<strong>" + escape(info.policy) + "</strong>") << td(escape(info.name))
          << td(month_cell(key + "mission_end", p.mission_end))
          << td(num(key + "mission_end_within_pct", 100 * p.mission_end_within, 0) + "%", true)
          << td(num(key + "provinces_exited", exited, 1) + " of " + std::to_string(sim.province_ids.size()), true)
          << td(iv_cell(key + "fatalities", p.fatalities, 1, 0), true)
          << td(iv_cell(key + "civilian_deaths", p.civilian, 1, 0), true)
          << td(iv_cell(key + "hotspot_months_unreached", p.gap_months, 1, 0), true)
          << td(iv_cell(key + "troop_months", p.troop_months, 1, 0), true)
          << td(iv_cell(key + "cost_m", p.cost, 1e6, 1), true) << "</tr>\n";
    }
    d.table_close();
    // Differences against the reference.
    d.table_open(d.tab() + "Each policy minus " + sim.policies.front().name +
                     ", path by path (median and 90% interval of the paired difference).",
                 p_sim,
                 {"policy", "mission end, months", forecast::target_name(sim.target), "civilian deaths",
                  "hotspot months out of reach", "troop-months", "cost, " + sim.currency + " million",
                  "paths with more " + forecast::target_name(sim.target)},
                 {false, true, true, true, true, true, true, true});
    for (const auto& df : cmp.differences) {
      const std::string key = "difference." + df.policy + ".";
      d.o << "<tr>" << td(escape(df.policy)) << td(iv_cell(key + "mission_end_months", df.mission_end, 1, 0), true)
          << td(iv_cell(key + "fatalities", df.fatalities, 1, 0), true)
          << td(iv_cell(key + "civilian_deaths", df.civilian, 1, 0), true)
          << td(iv_cell(key + "hotspot_months_unreached", df.gap_months, 1, 0), true)
          << td(iv_cell(key + "troop_months", df.troop_months, 1, 0), true)
          << td(iv_cell(key + "cost_m", df.cost, 1e6, 1), true)
          << td(num(key + "share_more_fatalities_pct", 100 * df.share_more_fatalities, 0) + "%", true) << "</tr>\n";
    }
    if (cmp.differences.empty()) d.o << "<tr><td colspan=\"8\">One policy only: nothing to compare.</td></tr>";
    d.table_close();
    // Exit month per province and policy.
    {
      std::vector<std::string> heads{sim.exit_level};
      for (const auto& info : sim.policies) heads.push_back(info.name);
      d.table_open(d.tab() + "Exit month per " + sim.exit_level +
                       " and policy: median over paths (90% interval) and the share of paths exiting within the "
                       "horizon.",
                   p_sim, heads);
      for (std::size_t v = 0; v < sim.province_ids.size(); ++v) {
        d.o << "<tr>" << td(escape(sim.province_names[v]));
        for (std::size_t k = 0; k < cmp.policies.size(); ++k) {
          const std::string key = "comparison." + sim.policies[k].name + ".exit." + sim.province_ids[v];
          d.o << td(month_cell(key, cmp.policies[k].exit[v]) + "; " +
                    num(key + ".within_pct", 100 * cmp.policies[k].exit_within[v], 0) + "%");
        }
        d.o << "</tr>\n";
      }
      d.table_close();
    }
    // Chart: the monthly target per policy (median and 90% band as lines).
    {
      svg::LineChart ch;
      ch.title = "Monthly " + forecast::target_name(sim.target) + " per policy (median; dashed: 90% interval)";
      ch.y_label = forecast::target_name(sim.target) + " per month";
      for (int m = 0; m < sim.horizon; ++m) ch.x_labels.push_back(month_of(m));
      for (std::size_t k = 0; k < sim.policies.size(); ++k) {
        svg::Series med{sim.policies[k].name + " median", {}, palette(k), false};
        svg::Series lo{sim.policies[k].name + " 5%", {}, palette(k), true};
        svg::Series hi{sim.policies[k].name + " 95%", {}, palette(k), true};
        med.y.assign(static_cast<std::size_t>(sim.horizon), std::nullopt);
        lo.y = med.y;
        hi.y = med.y;
        for (const auto& f : cmp.fans) {
          if (f.policy != cmp.policies[k].policy || f.series != "target") continue;
          if (f.month_offset < 0 || f.month_offset >= sim.horizon) continue;
          const auto m = static_cast<std::size_t>(f.month_offset);
          med.y[m] = f.q50;
          lo.y[m] = f.q05;
          hi.y[m] = f.q95;
        }
        ch.series.push_back(std::move(med));
        ch.series.push_back(std::move(lo));
        ch.series.push_back(std::move(hi));
      }
      d.figure(svg::line_chart(ch),
               d.fig() + "Monthly " + forecast::target_name(sim.target) + " on the simulated paths, per policy.",
               p_sim);
    }
    if (!cmp.differences.empty()) {
      const auto& df = cmp.differences.front();
      summary.push_back("Policy comparison (" + std::to_string(sim.paths) + " paths): " + df.policy + " minus " +
                        df.reference + ", " + forecast::target_name(sim.target) + " " +
                        (df.fatalities.median ? svg::fixed(*df.fatalities.median, 0) : std::string("?")) +
                        " (90%: " + (df.fatalities.lo90 ? svg::fixed(*df.fatalities.lo90, 0) : std::string("?")) +
                        " to " + (df.fatalities.hi90 ? svg::fixed(*df.fatalities.hi90, 0) : std::string("?")) +
                        "), cost " + (df.cost.median ? svg::fixed(*df.cost.median / 1e6, 1) : std::string("?")) +
                        " million " + sim.currency + ".");
    }
  }

  // --- 7. consultations ----------------------------------------------------------------------------------
  d.chapter("consultations", "What communities said: the consultation log");
  {
    const auto cs = engine.consultations({}).rows;
    const std::string p_cons = d.add_prov(
        {"", "Consultation log", "consultations list", cli + "consultations list --format csv", "", "", "", ""});
    if (cs.empty()) {
      d.o << "<p>No consultation is recorded in the database (endstate consultations import FILE).</p>\n";
    } else {
      std::map<std::string, std::size_t> concerns;
      std::set<std::string> localities;
      for (const auto& c : cs) {
        localities.insert(c.locality);
        for (const auto& x : c.concerns) ++concerns[x];
      }
      std::vector<std::pair<std::size_t, std::string>> top;
      top.reserve(concerns.size());
      for (const auto& [k, n] : concerns) top.emplace_back(n, k);
      std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      d.o << "<p>" << num("consultations.count", static_cast<double>(cs.size()), 0) << " consultation(s) in "
          << num("consultations.localities", static_cast<double>(localities.size()), 0)
          << " localities. Concerns raised most often: ";
      for (std::size_t i = 0; i < top.size() && i < 5; ++i) {
        d.o << (i ? "; " : "") << escape(top[i].second) << " (" << top[i].first << ")";
      }
      d.o << ".</p>\n";
      d.table_open(d.tab() + "Consultations, oldest first (groups, not individuals, are recorded).", p_cons,
                   {"date", "locality", "channel", "who", "summary", "concerns"});
      for (const auto& c : cs) {
        d.o << "<tr>" << td(c.date) << td(escape(c.locality)) << td(escape(c.channel)) << td(escape(c.who))
            << td(escape(c.summary)) << td(escape(join(c.concerns, "; "))) << "</tr>\n";
      }
      d.table_close();
      summary.push_back(std::to_string(cs.size()) + " community consultation(s) recorded in " +
                        std::to_string(localities.size()) + " localities.");
    }
  }

  // --- 8. method notes ---------------------------------------------------------------------------------
  d.chapter("methods", "Method notes");
  d.o << R"(<ul>
<li><strong>Threat index</strong>: a weighted composite of violence per area and month (rates per 100,000 where populations are known), its exponentially weighted moving average (Roberts 1959) and the Mann-Kendall trend test with Sen's slope (Mann 1945; Kendall 1975; Sen 1968). docs/threat.md.</li>
<li><strong>Hotspots</strong>: Kulldorff's space-time scan statistic, prospective (clusters alive in the last month), Poisson model with populations, else space-time permutation; p-values from seeded Monte Carlo replications (Kulldorff 1997, 2001; Kulldorff et al. 2005).</li>
<li><strong>Benchmarks</strong>: thresholds belong to stakeholders; a benchmark is met when its indicators are on the right side of the stakeholder's threshold for the stakeholder's sustained months; no data is never met. Projections: sample paths of the forecast module's negative binomial model for event-derived indicators, OLS trend with prediction intervals for observed ones. docs/benchmarks.md.</li>
<li><strong>Protection gaps</strong>: maximal covering location model (Church &amp; ReVelle 1974); reach without a road network: great-circle distance &times; detour factor &divide; convoy speed, or helicopter time from bases with aviation. The gap of a closure is the covered weight no other base covers. docs/footprint.md.</li>
<li><strong>Reproducibility</strong>: every figure and table names its provenance; the annex lists the command that reproduces it from the same database. The same database and options give the same report, byte for byte.</li>
<li><strong>Limits</strong>: forecasts are distributions and are shown with their intervals; a province "ready" by the data is a basis for a decision, not the decision.</li>
</ul>
)";

  // --- annex: provenance ----------------------------------------------------------------------------
  d.chapter("annex", "Annex: provenance of figures and tables");
  d.o << "<p>Data fingerprint <code>" << d.fingerprint << "</code>."
      << (opt.generator.empty() ? "" : " Generated by " + escape(opt.generator) + ".") << "</p>\n";
  d.o << "<table><thead><tr><th>id</th><th>what</th><th>analysis</th><th>framework version</th><th>forecast "
         "model</th><th>seed</th><th>command</th></tr></thead><tbody>\n";
  for (const auto& p : d.prov) {
    d.o << "<tr id=\"" << p.id << "\" data-prov-id=\"" << p.id << "\">" << td(p.id) << td(escape(p.what))
        << td(escape(p.analysis)) << td(escape(p.framework_version.empty() ? "-" : p.framework_version))
        << td(escape(p.forecast_model.empty() ? "-" : p.forecast_model)) << td(escape(p.seed.empty() ? "-" : p.seed))
        << td("<code>" + escape(p.command) + "</code>") << "</tr>\n";
  }
  d.o << "</tbody></table>\n</section>\n";

  // Key points on the cover, now that every section is known.
  std::ostringstream cover_points;
  cover_points << "<h3>Key points</h3><ul class=\"summary\">";
  for (const auto& s : summary) cover_points << "<li>" << escape(s) << "</li>";
  for (const auto& u : d.unavailable) cover_points << "<li>Not available: " << escape(u) << "</li>";
  cover_points << "</ul><h3>Contents</h3><ol>";
  for (const auto& s : d.sections) cover_points << "<li>" << escape(s) << "</li>";
  cover_points << "</ol>\n";
  std::string body = d.o.str();
  const std::string marker = "<section class=\"chapter\" id=\"context\">";
  body.insert(body.find(marker), cover_points.str() + "</section>\n");

  CouncilReport out;
  out.month = M;
  out.html = head.str() + body + "</body></html>\n";
  out.sections = d.sections;
  out.provenance = d.prov;
  out.unavailable = d.unavailable;
  return out;
}

}  // namespace endstate::report
