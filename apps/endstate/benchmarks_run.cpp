#include "benchmarks_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "endstate/benchmarks/audit.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/forecast/forecast.hpp"
#include "panel_loader.hpp"

namespace endstate::cli {

namespace bm = endstate::benchmarks;

std::int64_t append_audit(store::Database& db, const std::string& kind, const std::string& subject,
                          const std::string& payload) {
  const auto last = db.last_audit();
  bm::AuditEntry prev;
  if (last) prev = {last->seq, last->at, last->kind, last->subject, last->payload, last->prev_hash, last->hash};
  bm::AuditEntry e;
  e.at = utc_now_iso();
  e.kind = kind;
  e.subject = subject;
  e.payload = payload;
  bm::chain(e, last ? &prev : nullptr);
  db.insert_audit({e.seq, e.at, e.kind, e.subject, e.payload, e.prev_hash, e.hash});
  return e.seq;
}

std::pair<store::FrameworkRow, bool> import_framework(store::Database& db, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw not_found("cannot read framework file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const bm::Framework fw = bm::parse_framework(text, path);  // throws bad input with line and field
  const std::string sha = sha256_hex(text);
  if (auto existing = db.framework_by_sha256(sha)) return {*existing, false};

  store::Database::Transaction tx(db);
  store::FrameworkRow row;
  row.framework_id = fw.id;
  row.label = fw.version;
  row.name = fw.name;
  row.area_level = fw.area_level;
  row.file = path;
  row.sha256 = sha;
  row.yaml = text;
  row.imported_at = utc_now_iso();
  const std::int64_t next_version = db.frameworks().size() + 1;
  nlohmann::ordered_json p;
  p["version"] = next_version;
  p["framework_id"] = fw.id;
  p["label"] = fw.version;
  p["file"] = path;
  p["sha256"] = sha;
  row.audit_seq =
      append_audit(db, "framework_import", "framework " + fw.id + " version " + std::to_string(next_version), p.dump());
  row.version = db.insert_framework(row);
  for (const auto& s : fw.signoffs) {
    store::SignoffRow so;
    if (auto v = db.framework_by_sha256(s.version_sha256)) so.framework_version = v->version;
    so.stakeholder = s.stakeholder;
    so.signed_by = s.by;
    so.signed_at = s.date;
    so.version_sha256 = s.version_sha256;
    nlohmann::ordered_json q;
    q["stakeholder"] = s.stakeholder;
    q["by"] = s.by;
    q["date"] = s.date;
    q["version_sha256"] = s.version_sha256;
    q["source"] = "file " + path;
    so.audit_seq = append_audit(db, "signoff", "framework " + fw.id + " by " + s.stakeholder, q.dump());
    db.insert_signoff(so);
  }
  tx.commit();
  return {row, true};
}

store::SignoffRow sign_off(store::Database& db, const std::string& stakeholder, const std::string& by,
                           std::optional<std::int64_t> version, const std::string& date) {
  store::Database::Transaction tx(db);
  const auto row = db.framework(version);
  if (!row) {
    throw not_found(version ? "no framework version " + std::to_string(*version)
                            : "no framework stored; run 'endstate benchmarks import FILE' first");
  }
  const bm::Framework fw = bm::parse_framework(row->yaml, row->file);
  if (!fw.stakeholder_index(stakeholder)) {
    std::string have;
    for (const auto& s : fw.stakeholders) have += (have.empty() ? "" : ", ") + s.id;
    throw not_found("no stakeholder '" + stakeholder + "' in framework version " + std::to_string(row->version) +
                    " (stakeholders: " + have + ")");
  }
  store::SignoffRow so;
  so.framework_version = row->version;
  so.stakeholder = stakeholder;
  so.signed_by = by;
  so.signed_at = date.empty() ? utc_now_iso() : date;
  so.version_sha256 = row->sha256;
  nlohmann::ordered_json q;
  q["version"] = row->version;
  q["stakeholder"] = stakeholder;
  q["by"] = by;
  q["date"] = so.signed_at;
  q["version_sha256"] = row->sha256;
  so.audit_seq =
      append_audit(db, "signoff",
                   "framework " + fw.id + " version " + std::to_string(row->version) + " by " + stakeholder, q.dump());
  so.id = db.insert_signoff(so);
  tx.commit();
  return so;
}

std::size_t BenchmarkRun::month_index(Month m) const {
  const auto t = panel.month_index(m);
  if (!t) {
    throw not_found("month " + m.str() + " is outside the data (" + panel.first().str() + " to " + panel.last().str() +
                    ")");
  }
  return *t;
}

std::size_t BenchmarkRun::area_index(const std::string& id_or_name) const {
  if (auto i = panel.area_index(id_or_name)) return *i;
  for (std::size_t a = 0; a < panel.area_count(); ++a)
    if (iequals(panel.areas()[a].name, id_or_name)) return a;
  std::string some;
  for (std::size_t a = 0; a < panel.area_count() && a < 8; ++a) some += (a ? ", " : "") + panel.areas()[a].id;
  throw not_found("no area '" + id_or_name + "' at level '" + level + "' (e.g. " + some + ")");
}

namespace {

std::string fingerprint(const BenchmarkRun& r) {
  std::string acc = r.level + "|" + r.panel.first().str() + "|" + r.panel.last().str() + "|";
  for (const auto& a : r.panel.areas()) {
    acc += a.id + "=" + (a.population ? std::to_string(*a.population) : "?") + ";";
  }
  for (std::size_t i = 0; i < r.raw.size(); ++i) {
    std::string bytes(r.raw[i].size() * sizeof(double), '\0');
    if (!r.raw[i].empty()) std::memcpy(bytes.data(), r.raw[i].data(), bytes.size());
    acc += r.fw.indicators[i].id + ":" + sha256_hex(bytes) + ";";
  }
  return sha256_hex(acc);
}

}  // namespace

BenchmarkRun load_and_assess(store::Database& db, std::optional<std::int64_t> version, const std::string& level) {
  if (db.schema_version() < 2) throw not_found("no framework stored; run 'endstate benchmarks import FILE' first");
  BenchmarkRun r;
  const auto row = db.framework(version);
  if (!row) {
    throw not_found(version ? "no framework version " + std::to_string(*version)
                            : "no framework stored; run 'endstate benchmarks import FILE' first");
  }
  r.row = *row;
  r.fw = bm::parse_framework(row->yaml, row->file);
  r.level = level.empty() ? r.fw.area_level : level;
  r.panel = load_panel(db, r.level, std::nullopt, std::nullopt);
  for (const auto& sh : r.fw.stakeholders)
    for (const auto& [ind, th] : sh.thresholds)
      for (const auto& [area, value] : th.per_area)
        if (!r.panel.area_index(area)) {
          std::cerr << "warning: " << row->file << ": stakeholders." << sh.id << ".thresholds." << ind
                    << ".areas: no area '" << area << "' at level '" << r.level << "'; that threshold is never used\n";
        }
  const std::size_t A = r.panel.area_count(), T = r.panel.month_count();

  // Observations of the observed indicators, aligned with the panel; several
  // sources for one area-month are averaged.
  std::map<std::string, std::vector<double>> count;
  for (const auto& ind : r.fw.indicators) {
    if (ind.source != bm::IndicatorSource::kObserved) continue;
    const auto& id = ind.derivation.observed_indicator;
    if (r.observed.count(id)) continue;
    auto& m = r.observed[id];
    auto& c = count[id];
    m.assign(A * T, 0.0);
    c.assign(A * T, 0.0);
    for (const auto& o : db.observations(id)) {
      const auto a = r.panel.area_index(o.area_id);
      const auto t = r.panel.month_index(o.month);
      if (!a || !t) continue;
      m[*a * T + *t] += o.value;
      c[*a * T + *t] += 1;
    }
    for (std::size_t k = 0; k < A * T; ++k) m[k] = c[k] > 0 ? m[k] / c[k] : bm::kMissing;
  }
  bm::Inputs in;
  in.panel = &r.panel;
  in.observed = r.observed;
  for (const auto& ind : r.fw.indicators) r.raw.push_back(bm::raw_series(ind, in));
  r.values = bm::compute_values(r.fw, in);
  r.trajectories.reserve(A);
  for (std::size_t a = 0; a < A; ++a) {
    std::vector<double> v(r.values.indicators * T);
    for (std::size_t i = 0; i < r.values.indicators; ++i) std::copy_n(r.values.series(a, i), T, v.begin() + i * T);
    r.trajectories.push_back(bm::assess_area(r.fw, r.panel.areas()[a].id, v.data(), T));
  }
  r.fingerprint = fingerprint(r);
  return r;
}

std::vector<store::AssessmentResult> month_results(const BenchmarkRun& r, std::size_t t) {
  std::vector<store::AssessmentResult> out;
  for (std::size_t a = 0; a < r.panel.area_count(); ++a) {
    const auto& tr = r.trajectories[a];
    const std::string& id = r.panel.areas()[a].id;
    for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
      const double v = r.values.at(a, i, t);
      out.push_back({id, "", "indicator", r.fw.indicators[i].id, bm::is_missing(v) ? std::nullopt : std::optional(v),
                     bm::is_missing(v) ? "no_data" : "value"});
    }
    for (std::size_t s = 0; s < r.fw.stakeholders.size(); ++s) {
      const auto& sid = r.fw.stakeholders[s].id;
      for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
        if (!r.fw.stakeholders[s].thresholds.count(r.fw.indicators[i].id)) continue;
        out.push_back({id, sid, "indicator_status", r.fw.indicators[i].id, static_cast<double>(tr.run(t, s, i)),
                       bm::to_string(tr.indicator(t, s, i))});
      }
      for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b) {
        out.push_back(
            {id, sid, "benchmark", r.fw.benchmarks[b].id, std::nullopt, bm::to_string(tr.benchmark(t, s, b))});
      }
      out.push_back(
          {id, sid, "readiness", "", tr.contextual_share[t * tr.stakeholders + s], bm::to_string(tr.ready(t, s))});
    }
  }
  return out;
}

std::int64_t save_assessment(store::Database& db, const BenchmarkRun& r, std::size_t t) {
  store::Database::Transaction tx(db);
  store::AssessmentRow a;
  a.framework_version = r.row.version;
  a.month = r.panel.month(t);
  a.level = r.level;
  a.data_fingerprint = r.fingerprint;
  a.created_at = utc_now_iso();
  std::int64_t ready = 0;
  for (const auto& tr : r.trajectories)
    for (std::size_t s = 0; s < tr.stakeholders; ++s) ready += tr.ready(t, s) == bm::Readiness::kReady ? 1 : 0;
  nlohmann::ordered_json p;
  p["framework_version"] = r.row.version;
  p["framework_sha256"] = r.row.sha256;
  p["month"] = a.month.str();
  p["level"] = r.level;
  p["data_fingerprint"] = r.fingerprint;
  p["areas"] = r.panel.area_count();
  p["ready_area_stakeholder_pairs"] = ready;
  a.audit_seq =
      append_audit(db, "assessment",
                   a.month.str() + " " + r.level + " framework version " + std::to_string(r.row.version), p.dump());
  const auto id = db.insert_assessment(a, month_results(r, t));
  tx.commit();
  return id;
}

namespace {

/// Forecasts of every event-derived indicator's raw monthly series, one run of
/// the forecast module's best model over all areas per indicator (index ->
/// forecast); an indicator whose history is too short for the model, or a
/// horizon beyond 120 months, is left out and falls back to the bootstrap in
/// future_paths.
std::map<std::size_t, forecast::Forecast> event_forecasts(const BenchmarkRun& r, const bm::ProjectionOptions& o) {
  std::map<std::size_t, forecast::Forecast> out;
  for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
    const auto& ind = r.fw.indicators[i];
    if (ind.source != bm::IndicatorSource::kEvents) continue;
    SeriesSpec spec;
    spec.measure = ind.derivation.measure;
    spec.types = ind.derivation.violence_types;
    if (o.horizon_months > 120) continue;  // beyond the forecast module's horizon: bootstrap
    forecast::ForecastOptions fo;
    fo.horizon = static_cast<int>(o.horizon_months);
    fo.samples = static_cast<int>(o.samples);
    fo.seed = o.seed ^ (0x9e3779b97f4a7c15ULL * (i + 1));
    try {
      out.emplace(i, forecast::run_forecast(r.panel, spec, fo));
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::kBadInput) throw;  // too little history: bootstrap instead
    }
  }
  return out;
}

}  // namespace

bm::FuturePaths future_paths(const BenchmarkRun& r, const std::map<std::size_t, forecast::Forecast>& forecasts,
                             std::size_t area, std::size_t indicator, std::size_t samples, std::size_t horizon,
                             std::uint64_t seed) {
  const auto it = forecasts.find(indicator);
  if (it != forecasts.end() && it->second.horizon == horizon && it->second.samples == samples) {
    const auto& fc = it->second;
    bm::FuturePaths p;
    p.paths = samples;
    p.horizon = horizon;
    p.v.resize(samples * horizon);
    p.method = "forecast:" + fc.model;
    for (std::size_t s = 0; s < samples; ++s)
      for (std::size_t h = 0; h < horizon; ++h) p.v[s * horizon + h] = fc.draw(area, h, s);
    return p;
  }
  const std::size_t T = r.panel.month_count();
  const auto& raw = r.raw[indicator];
  const std::vector<double> history(raw.begin() + static_cast<std::ptrdiff_t>(area * T),
                                    raw.begin() + static_cast<std::ptrdiff_t>((area + 1) * T));
  return bm::bootstrap_paths(history, 12, samples, horizon, seed ^ 0x5bd1e995ULL, area * 4096 + indicator);
}

namespace {

std::vector<bm::Projection> project_one(const BenchmarkRun& r, std::size_t area, const bm::ProjectionOptions& o,
                                        const std::map<std::size_t, forecast::Forecast>& forecasts) {
  const std::size_t T = r.panel.month_count();
  bm::AreaProjectionInput in;
  in.area_id = r.panel.areas()[area].id;
  in.population = r.panel.areas()[area].population;
  for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
    in.raw.emplace_back(r.raw[i].begin() + static_cast<std::ptrdiff_t>(area * T),
                        r.raw[i].begin() + static_cast<std::ptrdiff_t>((area + 1) * T));
    if (r.fw.indicators[i].source == bm::IndicatorSource::kEvents) {
      in.future[r.fw.indicators[i].id] = future_paths(r, forecasts, area, i, o.samples, o.horizon_months, o.seed);
    }
  }
  return bm::project_area(r.fw, in, area, o);
}

}  // namespace

std::vector<bm::Projection> project_area(const BenchmarkRun& r, std::size_t area, const bm::ProjectionOptions& o) {
  return project_one(r, area, o, event_forecasts(r, o));
}

std::vector<bm::Projection> project_areas(const BenchmarkRun& r, const std::vector<std::size_t>& areas,
                                          const bm::ProjectionOptions& o) {
  std::vector<std::size_t> sel = areas;
  if (sel.empty())
    for (std::size_t a = 0; a < r.panel.area_count(); ++a) sel.push_back(a);
  const auto forecasts = event_forecasts(r, o);
  Progress progress("projecting benchmarks", static_cast<std::int64_t>(sel.size()));
  std::vector<bm::Projection> out;
  for (std::size_t k = 0; k < sel.size(); ++k) {
    auto p = project_one(r, sel[k], o, forecasts);
    out.insert(out.end(), std::make_move_iterator(p.begin()), std::make_move_iterator(p.end()));
    progress.update(static_cast<std::int64_t>(k + 1));
  }
  progress.finish();
  return out;
}

namespace {
std::string ids_with(const BenchmarkRun& r, std::size_t a, std::size_t s, std::size_t t, bm::Status st) {
  std::vector<std::string> ids;
  for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b)
    if (r.trajectories[a].benchmark(t, s, b) == st) ids.push_back(r.fw.benchmarks[b].id);
  return join(ids, " ");
}
}  // namespace

Table readiness_table(const BenchmarkRun& r, std::size_t t, const std::vector<std::size_t>& stakeholders) {
  std::vector<std::size_t> sel = stakeholders;
  if (sel.empty())
    for (std::size_t s = 0; s < r.fw.stakeholders.size(); ++s) sel.push_back(s);
  Table tb{{"area_id", "area", "stakeholder", "readiness", "core_met", "contextual_share", "not_met", "no_data"}, {}};
  for (std::size_t a = 0; a < r.panel.area_count(); ++a) {
    const auto& tr = r.trajectories[a];
    for (std::size_t s : sel) {
      int met = 0, total = 0;
      for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b) {
        if (r.fw.benchmarks[b].kind != bm::BenchmarkKind::kCore) continue;
        ++total;
        met += tr.benchmark(t, s, b) == bm::Status::kMet ? 1 : 0;
      }
      tb.rows.push_back({r.panel.areas()[a].id, r.panel.areas()[a].name, r.fw.stakeholders[s].id,
                         bm::to_string(tr.ready(t, s)), std::to_string(met) + "/" + std::to_string(total),
                         fmt_double(tr.contextual_share[t * tr.stakeholders + s], 2),
                         ids_with(r, a, s, t, bm::Status::kNotMet), ids_with(r, a, s, t, bm::Status::kNoData)});
    }
  }
  return tb;
}

Table disagreements_table(const BenchmarkRun& r, std::size_t t) {
  Table tb{{"area_id", "benchmark", "indicator", "value", "met_by", "not_met_by", "stakeholder", "threshold", "move",
            "months_to_sustain"},
           {}};
  for (const auto& d : bm::disagreements(r.fw, r.trajectories, r.values, t)) {
    for (const auto& g : d.gaps) {
      tb.rows.push_back({d.area_id, d.benchmark_id, d.indicator_id,
                         bm::is_missing(d.value) ? "" : fmt_double(d.value, 3), join(d.met_by, " "),
                         join(d.not_met_by, " "), g.stakeholder, fmt_double(g.threshold, 3), fmt_double(g.move, 3),
                         std::to_string(g.months_to_sustain)});
    }
  }
  return tb;
}

Table projections_table(const BenchmarkRun& r, const std::vector<bm::Projection>& ps) {
  const Month last = r.panel.last();
  auto month_of = [&](const std::optional<int>& h) { return h ? last.plus(*h).str() : std::string(); };
  Table tb{{"area_id", "stakeholder", "benchmark", "status_now", "median", "low_10", "high_90", "share_within_horizon",
            "method", "note"},
           {}};
  for (const auto& p : ps) {
    const std::string note = !p.projectable ? "no data to project from"
                             : !p.median    ? "not within horizon"
                             : !p.high      ? "upper bound beyond horizon"
                                            : "";
    tb.rows.push_back({p.area_id, p.stakeholder, p.benchmark_id, bm::to_string(p.current), month_of(p.median),
                       month_of(p.low), month_of(p.high), fmt_double(p.share_within_horizon, 3), p.method, note});
  }
  return tb;
}

namespace {

void write_csv(const Table& t, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  t.print(f, Format::kCsv);
  if (!f) throw internal_error("cannot write " + path);
}

}  // namespace

BenchmarkRun benchmarks_demo(store::Database& db, const std::string& framework_yaml, const std::string& out_dir,
                             std::ostream& out) {
  const auto imported = import_framework(db, framework_yaml);
  BenchmarkRun r = load_and_assess(db, imported.first.version);
  const std::size_t t = r.panel.month_count() - 1;
  save_assessment(db, r, t);
  const auto& shs = r.fw.stakeholders;

  // Readiness: one row per area, one column per stakeholder.
  out << "Readiness per " << r.level << " and stakeholder, " << r.panel.month(t).str() << " (framework version "
      << r.row.version << "; ready = every core benchmark and the weighted share of contextual ones)\n\n";
  Table ready{{r.level}, {}};
  for (const auto& sh : shs) ready.header.push_back(sh.id);
  std::size_t n_core = 0;
  for (const auto& b : r.fw.benchmarks) n_core += b.kind == bm::BenchmarkKind::kCore ? 1 : 0;
  for (std::size_t a = 0; a < r.panel.area_count(); ++a) {
    const auto& tr = r.trajectories[a];
    std::vector<std::string> row{r.panel.areas()[a].name};
    for (std::size_t s = 0; s < shs.size(); ++s) {
      std::size_t met = 0;
      for (std::size_t b = 0; b < r.fw.benchmarks.size(); ++b)
        if (r.fw.benchmarks[b].kind == bm::BenchmarkKind::kCore && tr.benchmark(t, s, b) == bm::Status::kMet) ++met;
      const auto rd = tr.ready(t, s);
      row.push_back(rd == bm::Readiness::kReady ? "READY"
                    : rd == bm::Readiness::kNoData
                        ? "no data"
                        : "not ready (core " + std::to_string(met) + "/" + std::to_string(n_core) + ")");
    }
    ready.rows.push_back(std::move(row));
  }
  ready.print(out, Format::kTable);

  // Disagreements: one line per area and benchmark indicator where stakeholders differ.
  const auto ds = bm::disagreements(r.fw, r.trajectories, r.values, t);
  std::map<std::string, std::string> name_of;
  for (const auto& ar : r.panel.areas()) name_of[ar.id] = ar.name;
  out << "\nWhere stakeholders disagree (" << ds.size() << " area x benchmark indicator judgements differ)\n\n";
  Table dt{{r.level, "benchmark", "indicator", "value", "met for", "not met for", "closest gap"}, {}};
  for (const auto& d : ds) {
    std::string closest;
    if (!d.gaps.empty()) {
      const auto g = std::min_element(d.gaps.begin(), d.gaps.end(), [](const auto& x, const auto& y) {
        return std::abs(x.move) != std::abs(y.move) ? std::abs(x.move) < std::abs(y.move) : x.stakeholder < y.stakeholder;
      });
      closest = g->stakeholder + ": " + (g->move == 0 ? "sustain " + std::to_string(g->months_to_sustain) + " more months"
                                                      : "move " + fmt_double(g->move, 3));
    }
    dt.rows.push_back({name_of[d.area_id], d.benchmark_id, d.indicator_id, fmt_double(d.value, 3), join(d.met_by, " "),
                       join(d.not_met_by, " "), closest});
  }
  dt.print(out, Format::kTable);

  // Projections of the core benchmarks not met now: one row per area and benchmark.
  bm::ProjectionOptions o;
  o.samples = 500;
  const auto ps = project_areas(r, {}, o);
  const Month last = r.panel.last();
  out << "\nWhen the unmet core benchmarks are expected to be met: median month [80% interval] per stakeholder, from "
      << last.str() << ", " << o.horizon_months << " months ahead, " << o.samples << " sample paths (-- = met now)\n\n";
  Table pt{{r.level, "benchmark"}, {}};
  for (const auto& sh : shs) pt.header.push_back(sh.id);
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> cells;
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::string, bool> is_core;
  for (const auto& b : r.fw.benchmarks) is_core[b.id] = b.kind == bm::BenchmarkKind::kCore;
  for (const auto& p : ps) {
    if (!is_core[p.benchmark_id]) continue;
    const auto key = std::make_pair(p.area_id, p.benchmark_id);
    if (!cells.count(key)) order.push_back(key);
    auto m = [&](const std::optional<int>& h) { return h ? last.plus(*h).str() : std::string("later"); };
    cells[key][p.stakeholder] = !p.projectable ? "no data"
                                : !p.median    ? "not within " + std::to_string(o.horizon_months) + "m"
                                               : m(p.median) + " [" + (p.low ? m(p.low) : "?") + ", " + m(p.high) + "]";
  }
  for (const auto& key : order) {
    std::vector<std::string> row{name_of[key.first], key.second};
    for (const auto& sh : shs) {
      const auto it = cells[key].find(sh.id);
      row.push_back(it == cells[key].end() ? "--" : it->second);
    }
    pt.rows.push_back(std::move(row));
  }
  pt.print(out, Format::kTable);

  const std::string dir = out_dir.empty() ? std::string(".") : out_dir;
  write_csv(readiness_table(r, t), dir + "/benchmarks_readiness.csv");
  write_csv(disagreements_table(r, t), dir + "/benchmarks_disagreements.csv");
  write_csv(projections_table(r, ps), dir + "/benchmarks_projections.csv");
  return r;
}

}  // namespace endstate::cli
