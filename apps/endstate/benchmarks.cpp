// endstate benchmarks import | versions | signoff | assess | disagreements | project | history
#include <algorithm>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "benchmarks_run.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/geo/areas_io.hpp"

namespace endstate::cli {
namespace {

namespace bm = endstate::benchmarks;
using json = nlohmann::ordered_json;

std::optional<std::int64_t> version_flag(const Args& a) {
  if (!a.has("version")) return std::nullopt;
  const auto v = parse_int64(a.get("version"));
  if (!v || *v < 1)
    throw usage_error("--version must be a stored version number (1, 2, ...), got '" + a.get("version") + "'");
  return v;
}

json num_or_null(double v) { return bm::is_missing(v) ? json() : json(v); }
std::string num_text(double v, int decimals = 3) { return bm::is_missing(v) ? "" : fmt_double(v, decimals); }

/// Writes the areas of the run's level as a GeoJSON FeatureCollection (WGS84
/// polygons) with the properties `props(area index)` gives; areas outside the
/// run, and those for which `props` returns null, are left out.
template <typename Props>
void write_area_features(std::ostream& out, store::Database& db, const BenchmarkRun& r, Props props) {
  out << "{\"type\":\"FeatureCollection\",\"features\":[";
  bool first = true;
  for (const auto& ar : db.areas(r.level, true)) {
    const auto ai = r.panel.area_index(ar.id);
    if (!ai) continue;
    json p = props(*ai);
    if (p.is_null()) continue;
    out << (first ? "\n" : ",\n") << "{\"type\":\"Feature\",\"properties\":" << p.dump()
        << ",\"geometry\":" << geo::wkb_to_geojson(ar.wkb) << "}";
    first = false;
  }
  out << "\n]}\n";
}

/// Stakeholder indexes selected by --stakeholder (all when absent).
std::vector<std::size_t> stakeholders_of(const BenchmarkRun& r, const Args& a) {
  std::vector<std::size_t> out;
  if (!a.has("stakeholder")) {
    for (std::size_t s = 0; s < r.fw.stakeholders.size(); ++s) out.push_back(s);
    return out;
  }
  const auto s = r.fw.stakeholder_index(a.get("stakeholder"));
  if (!s)
    throw not_found("no stakeholder '" + a.get("stakeholder") + "' in framework version " +
                    std::to_string(r.row.version));
  out.push_back(*s);
  return out;
}

int cmd_import(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto db = store::Database::open(a.db_path());
  const auto [row, fresh] = import_framework(db, a.positional(0));
  const auto fw = bm::parse_framework(row.yaml.empty() ? db.framework(row.version)->yaml : row.yaml, row.file);
  if (format == Format::kJson) {
    json j;
    j["version"] = row.version;
    j["new"] = fresh;
    j["framework_id"] = row.framework_id;
    j["label"] = row.label;
    j["sha256"] = row.sha256;
    j["indicators"] = fw.indicators.size();
    j["benchmarks"] = fw.benchmarks.size();
    j["stakeholders"] = fw.stakeholders.size();
    j["signoffs"] = fw.signoffs.size();
    out << j.dump(2) << "\n";
    return 0;
  }
  Table t{{"version", "new", "framework_id", "label", "sha256", "indicators", "benchmarks", "stakeholders"}, {}};
  t.rows.push_back({std::to_string(row.version), fresh ? "yes" : "no (identical to this stored version)",
                    row.framework_id, row.label, row.sha256, std::to_string(fw.indicators.size()),
                    std::to_string(fw.benchmarks.size()), std::to_string(fw.stakeholders.size())});
  t.print(out, format);
  return 0;
}

int cmd_versions(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto db = store::Database::open_read_only(a.db_path());
  if (db.schema_version() < 2) throw not_found("no framework stored; run 'endstate benchmarks import FILE' first");
  const auto signoffs = db.signoffs();
  Table t{{"version", "framework_id", "label", "sha256", "imported_at", "file", "signed_off_by"}, {}};
  json j = json::array();
  for (const auto& f : db.frameworks()) {
    std::vector<std::string> who;
    json sj = json::array();
    for (const auto& s : signoffs) {
      if (s.version_sha256 != f.sha256) continue;
      who.push_back(s.stakeholder + " (" + s.signed_by + ", " + s.signed_at + ")");
      sj.push_back({{"stakeholder", s.stakeholder}, {"by", s.signed_by}, {"at", s.signed_at}});
    }
    t.rows.push_back(
        {std::to_string(f.version), f.framework_id, f.label, f.sha256, f.imported_at, f.file, join(who, "; ")});
    j.push_back({{"version", f.version},
                 {"framework_id", f.framework_id},
                 {"label", f.label},
                 {"sha256", f.sha256},
                 {"imported_at", f.imported_at},
                 {"file", f.file},
                 {"signoffs", sj}});
  }
  if (format == Format::kJson) {
    out << j.dump(2) << "\n";
  } else {
    t.print(out, format);
  }
  return 0;
}

int cmd_signoff(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  if (!a.has("stakeholder") || !a.has("by")) throw usage_error("give --stakeholder S and --by NAME");
  auto db = store::Database::open(a.db_path());
  const auto so = sign_off(db, a.get("stakeholder"), a.get("by"), version_flag(a), a.get("date"));
  Table t{{"id", "version", "stakeholder", "by", "at", "version_sha256", "audit_seq"}, {}};
  t.rows.push_back({std::to_string(so.id), std::to_string(*so.framework_version), so.stakeholder, so.signed_by,
                    so.signed_at, so.version_sha256, std::to_string(so.audit_seq)});
  if (format == Format::kJson) {
    out << json({{"id", so.id},
                 {"version", *so.framework_version},
                 {"stakeholder", so.stakeholder},
                 {"by", so.signed_by},
                 {"at", so.signed_at},
                 {"version_sha256", so.version_sha256},
                 {"audit_seq", so.audit_seq}})
               .dump(2)
        << "\n";
  } else {
    t.print(out, format);
  }
  return 0;
}

/// Names of the benchmarks of area a, stakeholder s, month t with a given status.
std::string benchmarks_with(const BenchmarkRun& r, std::size_t a, std::size_t s, std::size_t t, bm::Status st) {
  std::vector<std::string> ids;
  for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b)
    if (r.trajectories[a].benchmark(t, s, b) == st) ids.push_back(r.fw.benchmarks[b].id);
  return join(ids, " ");
}

std::pair<int, int> core_count(const BenchmarkRun& r, std::size_t a, std::size_t s, std::size_t t) {
  int met = 0, total = 0;
  for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b) {
    if (r.fw.benchmarks[b].kind != bm::BenchmarkKind::kCore) continue;
    ++total;
    met += r.trajectories[a].benchmark(t, s, b) == bm::Status::kMet ? 1 : 0;
  }
  return {met, total};
}

json area_json(const BenchmarkRun& r, std::size_t a, std::size_t t, const std::vector<std::size_t>& sel) {
  const auto& tr = r.trajectories[a];
  json j;
  j["id"] = r.panel.areas()[a].id;
  j["name"] = r.panel.areas()[a].name;
  json inds = json::object();
  for (std::size_t i = 0; i < r.fw.indicators.size(); ++i)
    inds[r.fw.indicators[i].id] = num_or_null(r.values.at(a, i, t));
  j["indicators"] = inds;
  json sts = json::array();
  for (std::size_t s : sel) {
    const auto& sh = r.fw.stakeholders[s];
    json x;
    x["id"] = sh.id;
    x["readiness"] = bm::to_string(tr.ready(t, s));
    const auto [cm, ct] = core_count(r, a, s, t);
    x["core_met"] = cm;
    x["core_total"] = ct;
    x["contextual_share_met"] = tr.contextual_share[t * tr.stakeholders + s];
    json bj = json::object();
    for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b)
      bj[r.fw.benchmarks[b].id] = bm::to_string(tr.benchmark(t, s, b));
    x["benchmarks"] = bj;
    json ij = json::object();
    for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
      const auto it = sh.thresholds.find(r.fw.indicators[i].id);
      if (it == sh.thresholds.end()) continue;
      ij[r.fw.indicators[i].id] = {{"threshold", it->second.for_area(r.panel.areas()[a].id)},
                                   {"status", bm::to_string(tr.indicator(t, s, i))},
                                   {"months_met_in_a_row", tr.run(t, s, i)},
                                   {"sustain_months", sh.sustain_for(r.fw.indicators[i].id)}};
    }
    x["indicators"] = ij;
    sts.push_back(x);
  }
  j["stakeholders"] = sts;
  return j;
}

int cmd_assess(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  const std::string view = a.get("view");
  if (view != "readiness" && view != "benchmarks" && view != "indicators") {
    throw usage_error("--view must be readiness, benchmarks or indicators");
  }
  auto db = store::Database::open(a.db_path());
  const BenchmarkRun r = load_and_assess(db, version_flag(a), a.get("level"));
  const Month m = a.has("month") ? *month_flag(a, "month") : r.panel.last();
  const std::size_t t = r.month_index(m);
  const auto sel = stakeholders_of(r, a);
  std::optional<std::int64_t> saved;
  if (!a.has("no-save")) saved = save_assessment(db, r, t);

  if (format == Format::kJson) {
    json j;
    j["month"] = m.str();
    j["level"] = r.level;
    j["framework_version"] = r.row.version;
    j["framework_sha256"] = r.row.sha256;
    j["data_fingerprint"] = r.fingerprint;
    j["assessment_id"] = saved ? json(*saved) : json();
    json areas = json::array();
    for (std::size_t ai = 0; ai < r.panel.area_count(); ++ai) areas.push_back(area_json(r, ai, t, sel));
    j["areas"] = areas;
    out << j.dump(2) << "\n";
    return 0;
  }
  if (format == Format::kGeoJson) {
    write_area_features(out, db, r, [&](std::size_t ai) {
      json p;
      p["id"] = r.panel.areas()[ai].id;
      p["name"] = r.panel.areas()[ai].name;
      p["month"] = m.str();
      p["framework_version"] = r.row.version;
      const auto& tr = r.trajectories[ai];
      int ready = 0;
      for (std::size_t s : sel) {
        const auto& sid = r.fw.stakeholders[s].id;
        p["readiness_" + sid] = bm::to_string(tr.ready(t, s));
        p["contextual_share_" + sid] = tr.contextual_share[t * tr.stakeholders + s];
        p["unmet_" + sid] = benchmarks_with(r, ai, s, t, bm::Status::kNotMet);
        ready += tr.ready(t, s) == bm::Readiness::kReady ? 1 : 0;
      }
      p["ready_for"] = ready;
      p["stakeholders"] = sel.size();
      return p;
    });
    return 0;
  }
  Table tb;
  if (view == "readiness") {
    tb = readiness_table(r, t, sel);
  } else if (view == "benchmarks") {
    tb.header = {"area_id", "benchmark", "kind", "category"};
    for (std::size_t s : sel) tb.header.push_back(r.fw.stakeholders[s].id);
    for (std::size_t ai = 0; ai < r.panel.area_count(); ++ai) {
      for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b) {
        const auto& bd = r.fw.benchmarks[b];
        std::vector<std::string> row = {r.panel.areas()[ai].id, bd.id, bm::to_string(bd.kind),
                                        bm::to_string(bd.category)};
        for (std::size_t s : sel) row.push_back(bm::to_string(r.trajectories[ai].benchmark(t, s, b)));
        tb.rows.push_back(row);
      }
    }
  } else {
    tb.header = {"area_id", "indicator",           "value",         "unit", "stakeholder", "threshold", "direction",
                 "status",  "months_met_in_a_row", "sustain_months"};
    for (std::size_t ai = 0; ai < r.panel.area_count(); ++ai) {
      for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
        const auto& ind = r.fw.indicators[i];
        for (std::size_t s : sel) {
          const auto& sh = r.fw.stakeholders[s];
          const auto it = sh.thresholds.find(ind.id);
          if (it == sh.thresholds.end()) continue;
          tb.rows.push_back({r.panel.areas()[ai].id, ind.id, num_text(r.values.at(ai, i, t)), ind.unit, sh.id,
                             fmt_double(it->second.for_area(r.panel.areas()[ai].id), 3), bm::to_string(ind.direction),
                             bm::to_string(r.trajectories[ai].indicator(t, s, i)),
                             std::to_string(r.trajectories[ai].run(t, s, i)), std::to_string(sh.sustain_for(ind.id))});
        }
      }
    }
  }
  tb.print(out, format);
  if (format == Format::kTable) {
    std::cerr << "framework version " << r.row.version << " (" << r.row.label << "), month " << m.str() << ", level "
              << r.level << ", data fingerprint " << r.fingerprint.substr(0, 16)
              << (saved ? ", saved as assessment " + std::to_string(*saved) : std::string(", not saved")) << "\n";
  }
  return 0;
}

int cmd_disagreements(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  auto db = store::Database::open_read_only(a.db_path());
  const BenchmarkRun r = load_and_assess(db, version_flag(a), a.get("level"));
  const Month m = a.has("month") ? *month_flag(a, "month") : r.panel.last();
  const auto ds = bm::disagreements(r.fw, r.trajectories, r.values, r.month_index(m));
  if (format == Format::kJson) {
    json arr = json::array();
    for (const auto& d : ds) {
      json g = json::array();
      for (const auto& x : d.gaps) {
        g.push_back({{"stakeholder", x.stakeholder},
                     {"threshold", x.threshold},
                     {"move", x.move},
                     {"months_to_sustain", x.months_to_sustain}});
      }
      arr.push_back({{"area_id", d.area_id},
                     {"benchmark", d.benchmark_id},
                     {"indicator", d.indicator_id},
                     {"value", num_or_null(d.value)},
                     {"met_by", d.met_by},
                     {"not_met_by", d.not_met_by},
                     {"gaps", g}});
    }
    out << json({{"month", m.str()}, {"level", r.level}, {"framework_version", r.row.version}, {"disagreements", arr}})
               .dump(2)
        << "\n";
    return 0;
  }
  if (format == Format::kGeoJson) {
    // One polygon per area: how many judgements differ and which.
    write_area_features(out, db, r, [&](std::size_t ai) {
      const auto& id = r.panel.areas()[ai].id;
      std::vector<std::string> items;
      for (const auto& d : ds) {
        if (d.area_id != id) continue;
        items.push_back(d.benchmark_id + "/" + d.indicator_id + ": met for " + join(d.met_by, " ") + ", not met for " +
                        join(d.not_met_by, " "));
      }
      return json{{"id", id},
                  {"name", r.panel.areas()[ai].name},
                  {"month", m.str()},
                  {"framework_version", r.row.version},
                  {"disagreements", items.size()},
                  {"items", join(items, "; ")}};
    });
    return 0;
  }
  const Table t = disagreements_table(r, r.month_index(m));
  t.print(out, format);
  return 0;
}

int cmd_project(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  auto db = store::Database::open_read_only(a.db_path());
  const BenchmarkRun r = load_and_assess(db, version_flag(a), a.get("level"));
  bm::ProjectionOptions o;
  o.horizon_months = static_cast<std::size_t>(int_flag(a, "horizon", 1, 240));
  o.samples = static_cast<std::size_t>(int_flag(a, "samples", 10, 100000));
  o.trend_months = static_cast<std::size_t>(int_flag(a, "trend-months", 3, 600));
  const auto seed = parse_int64(a.get("seed"));
  if (!seed || *seed < 0) throw usage_error("--seed must be a non-negative whole number");
  o.seed = static_cast<std::uint64_t>(*seed);
  std::vector<std::size_t> areas;
  if (a.has("area")) {
    areas.push_back(r.area_index(a.get("area")));
  } else {
    for (std::size_t i = 0; i < r.panel.area_count(); ++i) areas.push_back(i);
  }
  std::optional<std::string> only;
  if (a.has("stakeholder")) only = r.fw.stakeholders[stakeholders_of(r, a).front()].id;
  const Month last = r.panel.last();
  std::vector<bm::Projection> ps;
  for (auto& p : project_areas(r, areas, o))
    if (!only || p.stakeholder == *only) ps.push_back(std::move(p));
  json arr = json::array();
  for (const auto& p : ps) {
    auto opt = [&](const std::optional<int>& h) { return h ? json(last.plus(*h).str()) : json(); };
    arr.push_back({{"area_id", p.area_id},
                   {"stakeholder", p.stakeholder},
                   {"benchmark", p.benchmark_id},
                   {"status_now", bm::to_string(p.current)},
                   {"median", opt(p.median)},
                   {"low_10", opt(p.low)},
                   {"high_90", opt(p.high)},
                   {"share_within_horizon", p.share_within_horizon},
                   {"within_horizon", p.median.has_value()},
                   {"projectable", p.projectable},
                   {"method", p.method}});
  }
  const Table t = projections_table(r, ps);
  if (format == Format::kGeoJson) {
    // One polygon per projected area; per benchmark and stakeholder the median
    // month ("" when met now, "later" when not within the horizon).
    std::set<std::size_t> projected(areas.begin(), areas.end());
    write_area_features(out, db, r, [&](std::size_t ai) {
      const auto& id = r.panel.areas()[ai].id;
      json p{{"id", id}, {"name", r.panel.areas()[ai].name}, {"from_month", last.str()},
             {"horizon_months", o.horizon_months}, {"framework_version", r.row.version}};
      if (!projected.count(ai)) return json();
      int unmet = 0, within = 0;
      for (const auto& x : ps) {
        if (x.area_id != id) continue;
        ++unmet;
        within += x.median ? 1 : 0;
        p[x.benchmark_id + "_" + x.stakeholder] =
            !x.projectable ? "no data" : x.median ? last.plus(*x.median).str() : std::string("later");
      }
      p["unmet"] = unmet;
      p["expected_within_horizon"] = within;
      return p;
    });
    return 0;
  }
  if (format == Format::kJson) {
    out << json({{"from_month", last.str()},
                 {"horizon_months", o.horizon_months},
                 {"samples", o.samples},
                 {"seed", o.seed},
                 {"framework_version", r.row.version},
                 {"projections", arr}})
               .dump(2)
        << "\n";
  } else {
    t.print(out, format);
  }
  return 0;
}

int cmd_history(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  if (!a.has("area")) throw usage_error("give --area A (id or name)");
  auto db = store::Database::open_read_only(a.db_path());
  if (a.has("saved")) {
    if (db.schema_version() < 2) throw not_found("no saved assessments; run 'endstate benchmarks assess' first");
    // Saved assessments as they were made: each keeps its framework version and data fingerprint.
    const auto area = db.find_area(a.get("area"));
    if (!area) throw not_found("no area '" + a.get("area") + "'");
    Table t{{"month", "assessment_id", "framework_version", "data_fingerprint", "stakeholder", "readiness",
             "contextual_share", "created_at"},
            {}};
    json arr = json::array();
    for (const auto& [as, res] : db.area_results(area->id)) {
      if (res.item_kind != "readiness") continue;
      if (a.has("stakeholder") && res.stakeholder != a.get("stakeholder")) continue;
      t.rows.push_back({as.month.str(), std::to_string(as.id), std::to_string(as.framework_version),
                        as.data_fingerprint.substr(0, 16), res.stakeholder, res.status,
                        res.value ? fmt_double(*res.value, 2) : "", as.created_at});
      arr.push_back({{"month", as.month.str()},
                     {"assessment_id", as.id},
                     {"framework_version", as.framework_version},
                     {"data_fingerprint", as.data_fingerprint},
                     {"stakeholder", res.stakeholder},
                     {"readiness", res.status},
                     {"contextual_share", res.value ? json(*res.value) : json()},
                     {"created_at", as.created_at}});
    }
    if (format == Format::kJson) {
      out << arr.dump(2) << "\n";
    } else {
      t.print(out, format);
    }
    return 0;
  }
  const BenchmarkRun r = load_and_assess(db, version_flag(a), a.get("level"));
  const std::size_t ai = r.area_index(a.get("area"));
  const auto sel = stakeholders_of(r, a);
  const std::size_t t0 = a.has("from") ? r.month_index(*month_flag(a, "from")) : 0;
  const std::size_t t1 = a.has("to") ? r.month_index(*month_flag(a, "to")) : r.panel.month_count() - 1;
  const auto& tr = r.trajectories[ai];
  Table t{{"month", "stakeholder", "readiness", "core_met", "contextual_share"}, {}};
  for (const auto& b : r.fw.benchmarks) t.header.push_back(b.id);
  json arr = json::array();
  for (std::size_t m = t0; m <= t1; ++m) {
    for (std::size_t s : sel) {
      const auto [cm, ct] = core_count(r, ai, s, m);
      std::vector<std::string> row = {r.panel.month(m).str(), r.fw.stakeholders[s].id, bm::to_string(tr.ready(m, s)),
                                      std::to_string(cm) + "/" + std::to_string(ct),
                                      fmt_double(tr.contextual_share[m * tr.stakeholders + s], 2)};
      json bj = json::object();
      for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b) {
        row.push_back(bm::to_string(tr.benchmark(m, s, b)));
        bj[r.fw.benchmarks[b].id] = bm::to_string(tr.benchmark(m, s, b));
      }
      t.rows.push_back(row);
      arr.push_back({{"month", r.panel.month(m).str()},
                     {"stakeholder", r.fw.stakeholders[s].id},
                     {"readiness", bm::to_string(tr.ready(m, s))},
                     {"core_met", cm},
                     {"core_total", ct},
                     {"contextual_share", tr.contextual_share[m * tr.stakeholders + s]},
                     {"benchmarks", bj}});
    }
  }
  if (format == Format::kJson) {
    out << json({{"area_id", tr.area_id}, {"framework_version", r.row.version}, {"months", arr}}).dump(2) << "\n";
  } else {
    t.print(out, format);
  }
  return 0;
}

FlagSpec version_spec() { return {"version", "V", "stored framework version (default: the latest)", ""}; }
FlagSpec level_spec() { return {"level", "L", "area level (default: the framework's area_level)", ""}; }
FlagSpec stakeholder_spec() { return {"stakeholder", "S", "only this stakeholder (default: all)", ""}; }

}  // namespace

std::vector<CommandSpec> benchmarks_commands() {
  return {
      {"benchmarks",
       "import",
       "Validate a benchmark framework (YAML, docs/benchmarks.md) and store it as a new version; earlier versions and "
       "assessments are kept. Errors name file, line and field. Importing an identical file again adds nothing.",
       {{"FILE", "framework YAML"}},
       {{"format", "FMT", "output: table, csv or json", "table"}},
       cmd_import},
      {"benchmarks",
       "versions",
       "List the stored framework versions with their SHA-256 and sign-offs.",
       {},
       {format_flag(false)},
       cmd_versions},
      {"benchmarks",
       "signoff",
       "Record a stakeholder's sign-off of a framework version (its SHA-256), in the audit log.",
       {},
       {{"stakeholder", "S", "stakeholder id as in the framework", ""},
        {"by", "NAME", "who signs", ""},
        version_spec(),
        {"date", "DATE", "date of the sign-off (default: now, UTC)", ""},
        format_flag(false)},
       cmd_signoff},
      {"benchmarks",
       "assess",
       "Per area: indicator values, each stakeholder's status per indicator and benchmark (met, not_met, no_data) "
       "and readiness; saved with the framework version and a fingerprint of the data (audited).",
       {},
       {{"month", "YYYY-MM", "month to assess (default: the last month with data)", ""},
        level_spec(),
        version_spec(),
        stakeholder_spec(),
        {"view", "V", "table/csv content: readiness, benchmarks or indicators", "readiness"},
        {"no-save", "", "do not save the assessment", ""},
        format_flag(true)},
       cmd_assess},
      {"benchmarks",
       "disagreements",
       "Where stakeholders judge the same indicator differently, and how far the value must move to meet each "
       "unconvinced stakeholder's threshold.",
       {},
       {{"month", "YYYY-MM", "month (default: the last month with data)", ""},
        level_spec(),
        version_spec(),
        format_flag(true)},
       cmd_disagreements},
      {"benchmarks",
       "project",
       "For each benchmark not met now: the month it is expected to be met (median, 80% interval), from a trend "
       "with uncertainty (observed indicators) or forecast samples (event-derived: the forecast "
       "module's best model); 'not within horizon' otherwise.",
       {},
       {{"area", "A", "area id or name (default: every area)", ""},
        {"horizon", "H", "months ahead", "36"},
        {"samples", "N", "sample paths", "1000"},
        {"trend-months", "N", "months the trend of observed indicators is fitted on", "24"},
        {"seed", "N", "random seed", "1"},
        stakeholder_spec(),
        level_spec(),
        version_spec(),
        format_flag(true)},
       cmd_project},
      {"benchmarks",
       "history",
       "The trajectory of an area's readiness and benchmark statuses month by month (with one framework version), "
       "or, with --saved, the saved assessments as they were made.",
       {},
       {{"area", "A", "area id or name", ""},
        {"from", "YYYY-MM", "first month", ""},
        {"to", "YYYY-MM", "last month", ""},
        {"saved", "", "list saved assessments instead of recomputing", ""},
        stakeholder_spec(),
        level_spec(),
        version_spec(),
        format_flag(false)},
       cmd_history},
  };
}

}  // namespace endstate::cli
