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
  const auto status = engine.status().status;
  if (!status.last_event) throw not_found("no events in the database: a report needs imported events");
  const Month last = Month::of(*status.last_event);
  const Month M = opt.month.value_or(last);
  if (M > last) {
    throw invalid_field("month", M.str() + " is after the last month with events (" + last.str() + ")");
  }
  const std::string db = engine.location();
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
  const std::size_t tM = ti.panel.month_count() - 1;
  std::vector<const threat::IndexRow*> at_m(ti.panel.area_count(), nullptr);
  for (const auto& r : ti.rows) {
    if (r.month == tM) at_m[r.area] = &r;
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
    d.figure(svg::map(map), "Map 1. Threat level per province in " + M.str() + " (darker = higher).", p_index);
    svg::LineChart ch;
    ch.title = "Threat level per province, last " + std::to_string(opt.trend_months) + " months";
    ch.y_label = "EWMA of the threat index";
    const std::size_t first = tM + 1 > static_cast<std::size_t>(opt.trend_months) ? tM + 1 - opt.trend_months : 0;
    for (std::size_t t = first; t <= tM; ++t) ch.x_labels.push_back(ti.panel.month(t).str());
    ch.x_every = 6;
    for (std::size_t a = 0; a < ti.panel.area_count(); ++a) {
      svg::Series s;
      s.name = ti.panel.areas()[a].name;
      s.color = palette(a);
      s.y.assign(tM + 1 - first, std::nullopt);
      for (const auto& r : ti.rows) {
        if (r.area == a && r.month >= first && r.month <= tM) s.y[r.month - first] = r.ewma;
      }
      ch.series.push_back(std::move(s));
    }
    d.figure(svg::line_chart(ch), "Figure 1. Threat level per province over time.", p_index);
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
    d.figure(svg::bar_chart(bc), "Figure 2. Conflict events per month, stacked by type of violence.", p_events);
  }
  d.table_open("Table 1. Threat index per province, " + M.str() +
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
    d.figure(svg::map(map), "Map 2. Territories in active clusters, numbered by rank.", p_hot);
    d.table_open(
        "Table 2. Active clusters.", p_hot,
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
    d.figure(svg::map(map), "Map 3. Readiness per province: how many stakeholders judge it ready.", p_ready);
    std::vector<std::string> heads{r.level};
    for (const auto& sh : shs) heads.push_back(sh.name.empty() ? sh.id : sh.name);
    d.table_open("Table 3. Readiness per province and stakeholder, " + r.panel.month(t).str() +
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
      d.figure(svg::line_chart(ch), "Figure 3. Number of provinces ready under each stakeholder's standard.", p_ready);
    }
    // Disagreements.
    const auto dis = bm::disagreements(r.fw, r.trajectories, r.values, t);
    const std::string p_dis = d.add_prov(
        {"", "Where stakeholders disagree", "benchmarks disagreements",
         cli + "benchmarks disagreements --version " + v + " --month " + M.str() + " --format json", "", v, "", ""});
    d.o << "<h3>Where stakeholders disagree</h3>\n";
    d.table_open("Table 4. The same value judged met by some stakeholders and not by others (" +
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
    d.table_open("Table 5. Median month and 80% interval over " + std::to_string(opt.projection_samples) +
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
  if (opt.plan_file.empty()) {
    d.missing("Transition plan", "No transition plan was given (endstate report council --plan FILE).");
  } else {
    d.missing("Transition plan",
              "The transition planner's engine layer (issue 12) is not part of this build, so the plan " +
                  opt.plan_file + " could not be run. No plan figures are shown rather than made-up ones.");
  }
  {
    service::FootprintGapsRequest gr;
    gr.model.month = M;
    gr.model.coverage.response_hours = opt.response_hours;
    if (!opt.localities_file.empty()) {
      gr.model.demand = service::Demand::kLocalities;
      gr.model.localities_file = opt.localities_file;
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
    d.figure(svg::map(map), "Map 4. Today's bases; the larger the mark, the larger the gap its closure opens.", p_gap);
    d.table_open("Table 6. The ten largest protection gaps.", p_gap,
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
  d.missing("Tasks", opt.tasks_file.empty()
                         ? "No task register was given (endstate report council --tasks FILE)."
                         : "The task register's engine layer (issue 13) is not part of this build, so " +
                               opt.tasks_file +
                               " could not be read. No task figures are shown rather than made-up ones.");

  // --- 6. policy comparison -------------------------------------------------------------------------------
  d.chapter("comparison", "Policy comparison: end state against end date");
  d.missing("Policy comparison",
            opt.comparison_file.empty()
                ? "No policy comparison was given (endstate report council --comparison FILE)."
                : "The policy simulation's engine layer (issue 14) is not part of this build, so " +
                      opt.comparison_file + " could not be run. No comparison is shown rather than made-up figures.");

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
      for (const auto& [k, n] : concerns) top.push_back({n, k});
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
      d.table_open("Table 7. Consultations, oldest first (groups, not individuals, are recorded).", p_cons,
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
