// Writers of the transition benchmarks and the audit log.
#include <algorithm>
#include <set>

#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"
#include "io/detail/geojson.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

namespace bm = endstate::benchmarks;
using detail::Json;

namespace {

Json num_or_null(double v) { return bm::is_missing(v) ? Json() : Json(v); }
Cell num_cell(double v) { return bm::is_missing(v) ? Cell() : Cell(v); }

/// Every area of the run joined to its polygon; `props(area index)` null = left out.
template <typename Props>
void write_area_features(std::ostream& out, std::string_view kind, const service::BenchmarkRun& r,
                         const service::AreaShapes& shapes, Props props) {
  detail::FeatureCollection fc(out, kind);
  for (const auto& ar : shapes) {
    const auto ai = r.panel.area_index(ar.id);
    if (!ai) continue;
    Json p = props(*ai);
    if (p.is_null()) continue;
    fc.add(p, detail::area_geometry(ar));
  }
}

}  // namespace

void write(std::ostream& out, const service::FrameworkImportResult& r, const WriteOptions& o) {
  const auto& fw = r.framework;
  Table t({{"version"},
           {"new"},
           {"framework_id"},
           {"label"},
           {"sha256"},
           {"indicators"},
           {"benchmarks"},
           {"stakeholders"},
           {"signoffs"}});
  t.add({r.row.version, r.fresh, r.row.framework_id, r.row.label, r.row.sha256,
         static_cast<std::int64_t>(fw.indicators.size()), static_cast<std::int64_t>(fw.benchmarks.size()),
         static_cast<std::int64_t>(fw.stakeholders.size()), static_cast<std::int64_t>(fw.signoffs.size())});
  if (o.format == Format::kJson) {
    Json j = detail::document("framework_import");
    detail::merge(j, detail::rows_json(t)[0]);
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kTable && !r.fresh) t.rows[0][1] = std::string("no (identical to this stored version)");
  detail::write_table(out, t, o, Json(), "");
}

void write(std::ostream& out, const std::vector<service::FrameworkVersion>& r, const WriteOptions& o) {
  if (o.format == Format::kJson) {
    Json j = detail::document("framework_versions");
    Json arr = Json::array();
    for (const auto& v : r) {
      Json sj = Json::array();
      for (const auto& s : v.signoffs)
        sj.push_back({{"stakeholder", s.stakeholder}, {"by", s.signed_by}, {"at", s.signed_at}});
      arr.push_back({{"version", v.row.version},
                     {"framework_id", v.row.framework_id},
                     {"label", v.row.label},
                     {"sha256", v.row.sha256},
                     {"imported_at", v.row.imported_at},
                     {"file", v.row.file},
                     {"signoffs", sj}});
    }
    j["versions"] = std::move(arr);
    detail::write_json(out, j);
    return;
  }
  Table t({{"version"}, {"framework_id"}, {"label"}, {"sha256"}, {"imported_at"}, {"file"}, {"signed_off_by"}});
  for (const auto& v : r) {
    std::vector<std::string> who;
    for (const auto& s : v.signoffs) who.push_back(s.stakeholder + " (" + s.signed_by + ", " + s.signed_at + ")");
    t.add({v.row.version, v.row.framework_id, v.row.label, v.row.sha256, v.row.imported_at, v.row.file, who});
  }
  detail::write_table(out, t, o, Json(), "");
}

void write(std::ostream& out, const store::SignoffRow& so, const WriteOptions& o) {
  Table t({{"id"}, {"version"}, {"stakeholder"}, {"by"}, {"at"}, {"version_sha256"}, {"audit_seq"}});
  t.add({so.id, so.framework_version ? Cell(*so.framework_version) : Cell(), so.stakeholder, so.signed_by, so.signed_at,
         so.version_sha256, so.audit_seq});
  if (o.format == Format::kJson) {
    Json j = detail::document("signoff");
    detail::merge(j, detail::rows_json(t)[0]);
    detail::write_json(out, j);
    return;
  }
  detail::write_table(out, t, o, Json(), "");
}

Table readiness_table(const service::BenchmarkRun& r, std::size_t t, const std::vector<std::size_t>& stakeholders) {
  Table tb({{"area_id"},
            {"area"},
            {"stakeholder"},
            {"readiness"},
            {"core_met"},
            {"core_total"},
            {"contextual_share", 2},
            {"not_met"},
            {"no_data"}});
  for (std::size_t a = 0; a < r.panel.area_count(); ++a) {
    const auto& tr = r.trajectories[a];
    for (std::size_t s : stakeholders) {
      const auto [met, total] = r.core_count(a, s, t);
      tb.add({r.panel.areas()[a].id, r.panel.areas()[a].name, r.fw.stakeholders[s].id, bm::to_string(tr.ready(t, s)),
              static_cast<std::int64_t>(met), static_cast<std::int64_t>(total),
              tr.contextual_share[t * tr.stakeholders + s], r.benchmarks_with(a, s, t, bm::Status::kNotMet),
              r.benchmarks_with(a, s, t, bm::Status::kNoData)});
    }
  }
  return tb;
}

Table disagreements_table(const std::vector<bm::Disagreement>& items) {
  Table tb({{"area_id"},
            {"benchmark"},
            {"indicator"},
            {"value", 3},
            {"met_by"},
            {"not_met_by"},
            {"stakeholder"},
            {"threshold", 3},
            {"move", 3},
            {"months_to_sustain"}});
  for (const auto& d : items) {
    for (const auto& g : d.gaps) {
      tb.add({d.area_id, d.benchmark_id, d.indicator_id, num_cell(d.value), d.met_by, d.not_met_by, g.stakeholder,
              g.threshold, g.move, static_cast<std::int64_t>(g.months_to_sustain)});
    }
  }
  return tb;
}

Table projections_table(const service::BenchmarkRun& r, const std::vector<bm::Projection>& ps) {
  const Month last = r.panel.last();
  auto month_of = [&](const std::optional<int>& h) { return h ? Cell(last.plus(*h).str()) : Cell(); };
  Table tb({{"area_id"},
            {"stakeholder"},
            {"benchmark"},
            {"status_now"},
            {"median"},
            {"low_10"},
            {"high_90"},
            {"share_within_horizon", 3},
            {"within_horizon"},
            {"projectable"},
            {"method"},
            {"note"}});
  for (const auto& p : ps) {
    const std::string note = !p.projectable ? "no data to project from"
                             : !p.median    ? "not within horizon"
                             : !p.high      ? "upper bound beyond horizon"
                                            : "";
    tb.add({p.area_id, p.stakeholder, p.benchmark_id, bm::to_string(p.current), month_of(p.median), month_of(p.low),
            month_of(p.high), p.share_within_horizon, p.median.has_value(), p.projectable, p.method,
            note.empty() ? Cell() : Cell(note)});
  }
  return tb;
}

namespace {

Json area_json(const service::BenchmarkRun& r, std::size_t a, std::size_t t, const std::vector<std::size_t>& sel) {
  const auto& tr = r.trajectories[a];
  Json j;
  j["id"] = r.panel.areas()[a].id;
  j["name"] = r.panel.areas()[a].name;
  Json inds = Json::object();
  for (std::size_t i = 0; i < r.fw.indicators.size(); ++i)
    inds[r.fw.indicators[i].id] = num_or_null(r.values.at(a, i, t));
  j["indicators"] = inds;
  Json sts = Json::array();
  for (std::size_t s : sel) {
    const auto& sh = r.fw.stakeholders[s];
    Json x;
    x["id"] = sh.id;
    x["readiness"] = bm::to_string(tr.ready(t, s));
    const auto [cm, ct] = r.core_count(a, s, t);
    x["core_met"] = cm;
    x["core_total"] = ct;
    x["contextual_share_met"] = tr.contextual_share[t * tr.stakeholders + s];
    Json bj = Json::object();
    for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b)
      bj[r.fw.benchmarks[b].id] = bm::to_string(tr.benchmark(t, s, b));
    x["benchmarks"] = bj;
    Json ij = Json::object();
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

}  // namespace

void write(std::ostream& out, const service::AssessResult& res, const WriteOptions& o) {
  const auto& r = res.run;
  const std::size_t t = res.t;
  const Month m = r.panel.month(t);
  const auto& sel = res.stakeholders;
  if (o.format == Format::kJson) {
    Json j = detail::document("assessment");
    j["month"] = m.str();
    j["level"] = r.level;
    j["framework_version"] = r.row.version;
    j["framework_sha256"] = r.row.sha256;
    j["data_fingerprint"] = r.fingerprint;
    j["assessment_id"] = res.saved_id ? Json(*res.saved_id) : Json();
    Json areas = Json::array();
    for (std::size_t ai = 0; ai < r.panel.area_count(); ++ai) areas.push_back(area_json(r, ai, t, sel));
    j["areas"] = areas;
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kGeoJson) {
    write_area_features(out, "assessment", r, res.shapes, [&](std::size_t ai) {
      Json p;
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
        p["unmet_" + sid] = r.benchmarks_with(ai, s, t, bm::Status::kNotMet);
        ready += tr.ready(t, s) == bm::Readiness::kReady ? 1 : 0;
      }
      p["ready_for"] = ready;
      p["stakeholders"] = sel.size();
      return p;
    });
    return;
  }
  const std::string view = o.view.empty() ? "readiness" : o.view;
  Table tb;
  if (view == "readiness") {
    tb = readiness_table(r, t, sel);
  } else if (view == "benchmarks") {
    std::vector<Column> cols{{"area_id"}, {"benchmark"}, {"kind"}, {"category"}};
    for (std::size_t s : sel) cols.push_back({r.fw.stakeholders[s].id});
    tb = Table(cols);
    for (std::size_t ai = 0; ai < r.panel.area_count(); ++ai) {
      for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b) {
        const auto& bd = r.fw.benchmarks[b];
        std::vector<Cell> row{r.panel.areas()[ai].id, bd.id, bm::to_string(bd.kind), bm::to_string(bd.category)};
        for (std::size_t s : sel) row.emplace_back(bm::to_string(r.trajectories[ai].benchmark(t, s, b)));
        tb.add(std::move(row));
      }
    }
  } else if (view == "indicators") {
    tb = Table({{"area_id"},
                {"indicator"},
                {"value", 3},
                {"unit"},
                {"stakeholder"},
                {"threshold", 3},
                {"direction"},
                {"status"},
                {"months_met_in_a_row"},
                {"sustain_months"}});
    for (std::size_t ai = 0; ai < r.panel.area_count(); ++ai) {
      for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
        const auto& ind = r.fw.indicators[i];
        for (std::size_t s : sel) {
          const auto& sh = r.fw.stakeholders[s];
          const auto it = sh.thresholds.find(ind.id);
          if (it == sh.thresholds.end()) continue;
          tb.add({r.panel.areas()[ai].id, ind.id, num_cell(r.values.at(ai, i, t)), ind.unit, sh.id,
                  it->second.for_area(r.panel.areas()[ai].id), bm::to_string(ind.direction),
                  bm::to_string(r.trajectories[ai].indicator(t, s, i)),
                  static_cast<std::int64_t>(r.trajectories[ai].run(t, s, i)),
                  static_cast<std::int64_t>(sh.sustain_for(ind.id))});
        }
      }
    }
  } else {
    throw invalid_field("view", "must be readiness, benchmarks or indicators (got '" + view + "')");
  }
  detail::write_table(out, tb, o, Json(), "");
}

void write(std::ostream& out, const service::DisagreementsResult& res, const WriteOptions& o) {
  const auto& r = res.run;
  const Month m = r.panel.month(res.t);
  if (o.format == Format::kJson) {
    Json arr = Json::array();
    for (const auto& d : res.items) {
      Json g = Json::array();
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
    Json j = detail::document("disagreements");
    j["month"] = m.str();
    j["level"] = r.level;
    j["framework_version"] = r.row.version;
    j["disagreements"] = arr;
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kGeoJson) {
    // One polygon per area: how many judgements differ and which.
    write_area_features(out, "disagreements", r, res.shapes, [&](std::size_t ai) {
      const auto& id = r.panel.areas()[ai].id;
      std::vector<std::string> items;
      for (const auto& d : res.items) {
        if (d.area_id != id) continue;
        std::string met, not_met;
        for (const auto& s : d.met_by) met += (met.empty() ? "" : " ") + s;
        for (const auto& s : d.not_met_by) not_met += (not_met.empty() ? "" : " ") + s;
        items.push_back(d.benchmark_id + "/" + d.indicator_id + ": met for " + met + ", not met for " + not_met);
      }
      return Json{{"id", id},
                  {"name", r.panel.areas()[ai].name},
                  {"month", m.str()},
                  {"framework_version", r.row.version},
                  {"disagreements", items.size()},
                  {"items", items}};
    });
    return;
  }
  detail::write_table(out, disagreements_table(res.items), o, Json(), "");
}

void write(std::ostream& out, const service::ProjectResult& res, const WriteOptions& o) {
  const auto& r = res.run;
  const Month last = r.panel.last();
  const Table t = projections_table(r, res.projections);
  if (o.format == Format::kGeoJson) {
    // One polygon per projected area; per benchmark and stakeholder the median
    // month ("later" when not within the horizon, "no data" when unprojectable).
    std::set<std::size_t> projected(res.areas.begin(), res.areas.end());
    write_area_features(out, "projections", r, res.shapes, [&](std::size_t ai) {
      if (!projected.count(ai)) return Json();
      const auto& id = r.panel.areas()[ai].id;
      Json p{{"id", id},
             {"name", r.panel.areas()[ai].name},
             {"from_month", last.str()},
             {"horizon_months", res.options.horizon_months},
             {"framework_version", r.row.version}};
      int unmet = 0, within = 0;
      for (const auto& x : res.projections) {
        if (x.area_id != id) continue;
        ++unmet;
        within += x.median ? 1 : 0;
        p[x.benchmark_id + "_" + x.stakeholder] = !x.projectable ? "no data"
                                                  : x.median     ? last.plus(*x.median).str()
                                                                 : std::string("later");
      }
      p["unmet"] = unmet;
      p["expected_within_horizon"] = within;
      return p;
    });
    return;
  }
  Json doc = detail::document("projections");
  doc["from_month"] = last.str();
  doc["horizon_months"] = res.options.horizon_months;
  doc["samples"] = res.options.samples;
  doc["seed"] = res.options.seed;
  doc["framework_version"] = r.row.version;
  detail::write_table(out, t, o, doc, "projections");
}

void write(std::ostream& out, const service::HistoryResult& res, const WriteOptions& o) {
  const auto& r = res.run;
  const auto& tr = r.trajectories[res.area];
  std::vector<Column> cols{{"month"},    {"stakeholder"}, {"readiness"},
                           {"core_met"}, {"core_total"},  {"contextual_share", 2}};
  for (const auto& b : r.fw.benchmarks) cols.push_back({b.id});
  Table t(cols);
  for (std::size_t m = res.t0; m <= res.t1; ++m) {
    for (std::size_t s : res.stakeholders) {
      const auto [cm, ct] = r.core_count(res.area, s, m);
      std::vector<Cell> row{r.panel.month(m).str(),        r.fw.stakeholders[s].id,
                            bm::to_string(tr.ready(m, s)), static_cast<std::int64_t>(cm),
                            static_cast<std::int64_t>(ct), tr.contextual_share[m * tr.stakeholders + s]};
      for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b) row.emplace_back(bm::to_string(tr.benchmark(m, s, b)));
      t.add(std::move(row));
    }
  }
  if (o.format == Format::kJson) {
    Json arr = Json::array();
    const auto rows = detail::rows_json(t);
    for (const auto& row : rows) {
      Json x;
      Json bj = Json::object();
      for (auto& item : row.items()) {
        const std::string& k = item.key();  // a plain reference: lambdas cannot capture structured bindings in clang 14
        const bool is_benchmark =
            std::any_of(r.fw.benchmarks.begin(), r.fw.benchmarks.end(), [&](const auto& b) { return b.id == k; });
        (is_benchmark ? bj[k] : x[k]) = item.value();
      }
      x["benchmarks"] = bj;
      arr.push_back(std::move(x));
    }
    Json j = detail::document("history");
    j["area_id"] = tr.area_id;
    j["framework_version"] = r.row.version;
    j["months"] = arr;
    detail::write_json(out, j);
    return;
  }
  detail::write_table(out, t, o, Json(), "");
}

void write(std::ostream& out, const service::SavedHistoryResult& r, const WriteOptions& o) {
  Table t({{"month"},
           {"assessment_id"},
           {"framework_version"},
           {"data_fingerprint"},
           {"stakeholder"},
           {"readiness"},
           {"contextual_share", 2},
           {"created_at"}});
  for (const auto& [as, res] : r.rows) {
    t.add({as.month.str(), as.id, as.framework_version,
           o.format == Format::kTable ? as.data_fingerprint.substr(0, 16) : as.data_fingerprint, res.stakeholder,
           res.status, number(res.value), as.created_at});
  }
  Json doc = detail::document("saved_assessments");
  doc["area_id"] = r.area_id;
  detail::write_table(out, t, o, doc, "assessments");
}

void write(std::ostream& out, const service::AuditLogResult& r, const WriteOptions& o) {
  if (o.format == Format::kJson) {
    Json j = detail::document("audit_log");
    Json arr = Json::array();
    for (const auto& e : r.entries) {
      arr.push_back({{"seq", e.seq},
                     {"at", e.at},
                     {"kind", e.kind},
                     {"subject", e.subject},
                     {"payload", Json::parse(e.payload, nullptr, false)},
                     {"prev_hash", e.prev_hash},
                     {"hash", e.hash}});
    }
    j["entries"] = arr;
    detail::write_json(out, j);
    return;
  }
  Table t({{"seq"}, {"at"}, {"kind"}, {"subject"}, {"hash"}, {"payload"}});
  for (const auto& e : r.entries) t.add({e.seq, e.at, e.kind, e.subject, e.hash, e.payload});
  detail::write_table(out, t, o, Json(), "");
}

void write(std::ostream& out, const service::AuditVerifyResult& r, const WriteOptions& o) {
  Table t({{"seq"}, {"problem"}});
  for (const auto& p : r.problems) t.add({p.seq, p.reason});
  if (o.format == Format::kJson) {
    Json j = detail::document("audit_verify");
    j["entries"] = r.entries;
    j["intact"] = r.intact();
    j["head_entries"] = r.head_entries;
    j["head_hash"] = r.head_hash.empty() ? Json() : Json(r.head_hash);
    j["unsealed_results"] = r.unsealed_results;
    j["problems"] = detail::rows_json(t);
    detail::write_json(out, j);
    return;
  }
  if (!r.problems.empty()) detail::write_table(out, t, o, Json(), "");
  if (r.intact() && o.format == Format::kTable) {
    out << "audit log intact: " << r.entries << " entries verified";
    if (!r.head_hash.empty()) out << "; head " << r.head_entries << ":" << r.head_hash;
    if (r.unsealed_results > 0) {
      out << "; " << r.unsealed_results << " assessment(s) made before results were sealed (their results unchecked)";
    }
    out << "\n";
  }
}

}  // namespace endstate::io
