// Transition benchmarks and the audit log through the engine: framework
// versions, sign-offs, assessments (saved and audited in one transaction),
// disagreements, projections from forecast sample paths, history.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "endstate/benchmarks/audit.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/service/engine.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

namespace bm = endstate::benchmarks;

// --- BenchmarkRun ------------------------------------------------------------------

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

std::vector<std::size_t> BenchmarkRun::stakeholders(const std::string& id) const {
  std::vector<std::size_t> out;
  if (id.empty()) {
    for (std::size_t s = 0; s < fw.stakeholders.size(); ++s) out.push_back(s);
    return out;
  }
  const auto s = fw.stakeholder_index(id);
  if (!s) {
    std::string have;
    for (const auto& x : fw.stakeholders) have += (have.empty() ? "" : ", ") + x.id;
    throw not_found("no stakeholder '" + id + "' in framework version " + std::to_string(row.version) +
                    " (stakeholders: " + have + ")");
  }
  out.push_back(*s);
  return out;
}

std::vector<std::string> BenchmarkRun::benchmarks_with(std::size_t a, std::size_t s, std::size_t t,
                                                       bm::Status st) const {
  std::vector<std::string> ids;
  for (std::size_t b = 0; b < fw.benchmarks.size(); ++b)
    if (trajectories[a].benchmark(t, s, b) == st) ids.push_back(fw.benchmarks[b].id);
  return ids;
}

std::pair<int, int> BenchmarkRun::core_count(std::size_t a, std::size_t s, std::size_t t) const {
  int met = 0, total = 0;
  for (std::size_t b = 0; b < fw.benchmarks.size(); ++b) {
    if (fw.benchmarks[b].kind != bm::BenchmarkKind::kCore) continue;
    ++total;
    met += trajectories[a].benchmark(t, s, b) == bm::Status::kMet ? 1 : 0;
  }
  return {met, total};
}

// --- audit chain ---------------------------------------------------------------------

namespace detail {

/// Appends an entry to the audit chain; `actor` (the user the engine acts
/// for), when named, is added to the payload as "user".
std::int64_t append_audit(store::Database& db, const std::string& kind, const std::string& subject,
                          const std::string& payload, const std::string& actor = "") {
  const auto last = db.last_audit();
  AuditEntry e;
  e.at = utc_now_iso();
  e.kind = kind;
  e.subject = subject;
  e.payload = payload;
  if (!actor.empty()) {
    auto p = nlohmann::ordered_json::parse(payload);
    p["user"] = actor;
    e.payload = p.dump();
  }
  bm::chain(e, last ? &*last : nullptr);
  db.insert_audit(e);
  return e.seq;
}

}  // namespace detail

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

void check_text(const std::string& field, const std::string& v, bool required) {
  if (required && trim(v).empty()) throw invalid_field(field, "must not be empty");
  if (!is_valid_utf8(v)) throw invalid_field(field, "is not valid UTF-8");
  if (v.find('\0') != std::string::npos) throw invalid_field(field, "contains a NUL byte");
  if (v.size() > 200) throw invalid_field(field, "is longer than 200 bytes");
}

/// A sign-off date: YYYY-MM-DD (a real day) or YYYY-MM-DDTHH:MM:SSZ, not after tomorrow (UTC).
void check_signoff_date(const std::string& d) {
  if (d.empty()) return;
  const bool day_only = d.size() == 10;
  const bool timestamp = d.size() == 20 && d[10] == 'T' && d[13] == ':' && d[16] == ':' && d[19] == 'Z';
  const auto day = (day_only || timestamp) && d[4] == '-' && d[7] == '-' ? Date::parse(d.substr(0, 10)) : std::nullopt;
  if (!day) throw invalid_field("date", "must be a real day as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (got '" + d + "')");
  if (timestamp) {
    const auto hh = parse_int64(d.substr(11, 2)), mm = parse_int64(d.substr(14, 2)), ss = parse_int64(d.substr(17, 2));
    if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) {
      throw invalid_field("date", "has no valid time of day (got '" + d + "')");
    }
  }
  const auto today = Date::parse(utc_now_iso().substr(0, 10));
  if (today && day->days() > today->days() + 1) {
    throw invalid_field("date", d + " is in the future (today is " + today->iso() + ")");
  }
  if (day->year() < 1945) throw invalid_field("date", d + " is before the United Nations existed");
}

}  // namespace

FrameworkImportResult Engine::benchmarks_import(const std::string& file) {
  if (file.empty()) throw invalid_field("file", "is required");
  const std::string text = detail::read_text(file, "framework");
  FrameworkImportResult out;
  out.framework = bm::parse_framework(text, file);  // bad input with line and field
  const std::string sha = sha256_hex(text);
  auto& db = writer();
  if (auto existing = db.framework_by_sha256(sha)) {
    out.row = *existing;
    return out;
  }
  const auto& fw = out.framework;
  store::Database::Transaction tx(db);
  store::FrameworkRow row;
  row.framework_id = fw.id;
  row.label = fw.version;
  row.name = fw.name;
  row.area_level = fw.area_level;
  row.file = file;
  row.sha256 = sha;
  row.yaml = text;
  row.imported_at = utc_now_iso();
  const auto next_version = static_cast<std::int64_t>(db.frameworks().size() + 1);
  nlohmann::ordered_json p;
  p["version"] = next_version;
  p["framework_id"] = fw.id;
  p["label"] = fw.version;
  p["file"] = file;
  p["sha256"] = sha;
  row.audit_seq =
      detail::append_audit(db, "framework_import", "framework " + fw.id + " version " + std::to_string(next_version),
                           p.dump(), impl_->actor);
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
    q["source"] = "file " + file;
    so.audit_seq =
        detail::append_audit(db, "signoff", "framework " + fw.id + " by " + s.stakeholder, q.dump(), impl_->actor);
    db.insert_signoff(so);
  }
  tx.commit();
  out.row = row;
  out.fresh = true;
  return out;
}

std::vector<FrameworkVersion> Engine::benchmarks_versions() {
  auto& db = reader();
  if (db.schema_version() < 2) throw not_found("no framework stored; run 'endstate benchmarks import FILE' first");
  const auto signoffs = db.signoffs();
  std::vector<FrameworkVersion> out;
  for (auto& f : db.frameworks()) {
    FrameworkVersion v;
    for (const auto& s : signoffs) {
      if (s.version_sha256 == f.sha256) v.signoffs.push_back(s);
    }
    v.row = std::move(f);
    out.push_back(std::move(v));
  }
  return out;
}

store::SignoffRow Engine::benchmarks_signoff(const SignoffRequest& r) {
  check_text("stakeholder", r.stakeholder, true);
  check_text("by", r.by, true);
  check_signoff_date(r.date);
  if (r.version && *r.version < 1) throw invalid_field("version", "must be a stored version number (1, 2, ...)");
  auto& db = writer();
  store::Database::Transaction tx(db);
  const auto row = db.framework(r.version);
  if (!row) {
    throw not_found(r.version ? "no framework version " + std::to_string(*r.version)
                              : "no framework stored; run 'endstate benchmarks import FILE' first");
  }
  const bm::Framework fw = bm::parse_framework(row->yaml, row->file);
  if (!fw.stakeholder_index(r.stakeholder)) {
    std::string have;
    for (const auto& s : fw.stakeholders) have += (have.empty() ? "" : ", ") + s.id;
    throw not_found("no stakeholder '" + r.stakeholder + "' in framework version " + std::to_string(row->version) +
                    " (stakeholders: " + have + ")");
  }
  store::SignoffRow so;
  so.framework_version = row->version;
  so.stakeholder = r.stakeholder;
  so.signed_by = std::string(trim(r.by));
  so.signed_at = r.date.empty() ? utc_now_iso() : r.date;
  so.version_sha256 = row->sha256;
  nlohmann::ordered_json q;
  q["version"] = row->version;
  q["stakeholder"] = so.stakeholder;
  q["by"] = so.signed_by;
  q["date"] = so.signed_at;
  q["version_sha256"] = row->sha256;
  so.audit_seq = detail::append_audit(
      db, "signoff", "framework " + fw.id + " version " + std::to_string(row->version) + " by " + so.stakeholder,
      q.dump(), impl_->actor);
  so.id = db.insert_signoff(so);
  tx.commit();
  return so;
}

BenchmarkRun Engine::benchmark_run(const BenchmarkSelection& sel) {
  if (sel.version && *sel.version < 1) throw invalid_field("version", "must be a stored version number (1, 2, ...)");
  auto& db = reader();
  if (db.schema_version() < 2) throw not_found("no framework stored; run 'endstate benchmarks import FILE' first");
  BenchmarkRun r;
  const auto row = db.framework(sel.version);
  if (!row) {
    throw not_found(sel.version ? "no framework version " + std::to_string(*sel.version)
                                : "no framework stored; run 'endstate benchmarks import FILE' first");
  }
  r.row = *row;
  r.fw = bm::parse_framework(row->yaml, row->file);
  r.level = sel.level.empty() ? r.fw.area_level : sel.level;
  r.panel = detail::load_panel(db, r.level, std::nullopt, std::nullopt);
  for (const auto& sh : r.fw.stakeholders)
    for (const auto& [ind, th] : sh.thresholds)
      for (const auto& [area, value] : th.per_area)
        if (!r.panel.area_index(area)) {
          impl_->warn(row->file + ": stakeholders." + sh.id + ".thresholds." + ind + ".areas: no area '" + area +
                      "' at level '" + r.level + "'; that threshold is never used");
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
    for (const auto& o : db.observations(id, "")) {
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
    for (std::size_t i = 0; i < r.values.indicators; ++i)
      std::copy_n(r.values.series(a, i), T, v.begin() + static_cast<std::ptrdiff_t>(i * T));
    r.trajectories.push_back(bm::assess_area(r.fw, r.panel.areas()[a].id, v.data(), T));
  }
  r.fingerprint = fingerprint(r);
  return r;
}

namespace {

/// SHA-256 of an assessment's result lines in a canonical order and form: what
/// the audit entry of the assessment seals (verify recomputes it from the store).
std::string results_digest(const std::vector<store::AssessmentResult>& results) {
  std::vector<std::string> lines;
  lines.reserve(results.size());
  char num[40];
  for (const auto& r : results) {
    std::string v = "null";
    if (r.value) {
      std::snprintf(num, sizeof num, "%.17g", *r.value);
      v = num;
    }
    lines.push_back(r.area_id + '\x1f' + r.stakeholder + '\x1f' + r.item_kind + '\x1f' + r.item_id + '\x1f' + v +
                    '\x1f' + r.status);
  }
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& l : lines) all += l + '\n';
  return sha256_hex(all);
}

/// Result lines of month index t (indicator values, statuses, readiness).
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

/// Saves the assessment of month index t with its fingerprint and an audit entry (naming `actor`); returns its id.
std::int64_t save_assessment(store::Database& db, const BenchmarkRun& r, std::size_t t, const std::string& actor) {
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
  const auto results = month_results(r, t);
  nlohmann::ordered_json p;
  p["framework_version"] = r.row.version;
  p["framework_sha256"] = r.row.sha256;
  p["month"] = a.month.str();
  p["level"] = r.level;
  p["data_fingerprint"] = r.fingerprint;
  p["areas"] = r.panel.area_count();
  p["ready_area_stakeholder_pairs"] = ready;
  p["results"] = results.size();
  p["results_sha256"] = results_digest(results);
  a.audit_seq = detail::append_audit(
      db, "assessment", a.month.str() + " " + r.level + " framework version " + std::to_string(r.row.version), p.dump(),
      actor);
  const auto id = db.insert_assessment(a, results);
  tx.commit();
  return id;
}

std::size_t month_of(const BenchmarkRun& r, const BenchmarkSelection& s) {
  return s.month ? r.month_index(*s.month) : r.panel.month_count() - 1;
}

}  // namespace

AssessResult Engine::benchmarks_assess(const AssessRequest& req) {
  AssessResult out;
  out.run = benchmark_run(req.select);
  out.t = month_of(out.run, req.select);
  out.stakeholders = out.run.stakeholders(req.select.stakeholder);
  if (req.save) {
    // Validate everything the outputs need before the assessment is saved:
    // area and stakeholder names reach JSON and must be valid UTF-8.
    for (const auto& a : out.run.panel.areas()) {
      if (!is_valid_utf8(a.id) || !is_valid_utf8(a.name)) {
        throw bad_input("area '" + a.id + "' has a name that is not valid UTF-8; re-import the areas");
      }
    }
    out.saved_id = save_assessment(writer(), out.run, out.t, impl_->actor);
  }
  if (req.with_geometry) out.shapes = detail::shapes(reader(), out.run.level);
  return out;
}

DisagreementsResult Engine::benchmarks_disagreements(const DisagreementsRequest& req) {
  DisagreementsResult out;
  out.run = benchmark_run(req.select);
  out.t = month_of(out.run, req.select);
  out.items = bm::disagreements(out.run.fw, out.run.trajectories, out.run.values, out.t);
  if (req.with_geometry) out.shapes = detail::shapes(reader(), out.run.level);
  return out;
}

namespace {

/// Forecasts of every event-derived indicator's raw monthly series, one run of
/// the forecast module's best model over all areas per indicator (index ->
/// forecast); an indicator whose history is too short for the model, or a
/// horizon beyond 120 months, is left out and falls back to the bootstrap.
std::map<std::size_t, forecast::Forecast> event_forecasts(const BenchmarkRun& r, const bm::ProjectionOptions& o) {
  std::map<std::size_t, forecast::Forecast> out;
  if (o.horizon_months > 120) return out;  // beyond the forecast module's horizon: bootstrap
  for (std::size_t i = 0; i < r.fw.indicators.size(); ++i) {
    const auto& ind = r.fw.indicators[i];
    if (ind.source != bm::IndicatorSource::kEvents) continue;
    SeriesSpec spec;
    spec.measure = ind.derivation.measure;
    spec.types = ind.derivation.violence_types;
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

bm::FuturePaths future_paths(const BenchmarkRun& r, const std::map<std::size_t, forecast::Forecast>& forecasts,
                             std::size_t area, std::size_t indicator, const bm::ProjectionOptions& o) {
  const auto it = forecasts.find(indicator);
  if (it != forecasts.end() && it->second.horizon == o.horizon_months && it->second.samples == o.samples) {
    const auto& fc = it->second;
    bm::FuturePaths p;
    p.paths = o.samples;
    p.horizon = o.horizon_months;
    p.v.resize(o.samples * o.horizon_months);
    p.method = "forecast:" + fc.model;
    for (std::size_t s = 0; s < o.samples; ++s)
      for (std::size_t h = 0; h < o.horizon_months; ++h) p.v[s * o.horizon_months + h] = fc.draw(area, h, s);
    return p;
  }
  const std::size_t T = r.panel.month_count();
  const auto& raw = r.raw[indicator];
  const std::vector<double> history(raw.begin() + static_cast<std::ptrdiff_t>(area * T),
                                    raw.begin() + static_cast<std::ptrdiff_t>((area + 1) * T));
  return bm::bootstrap_paths(history, 12, o.samples, o.horizon_months, o.seed ^ 0x5bd1e995ULL, area * 4096 + indicator);
}

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
      in.future[r.fw.indicators[i].id] = future_paths(r, forecasts, area, i, o);
    }
  }
  return bm::project_area(r.fw, in, area, o);
}

}  // namespace

ProjectResult Engine::benchmarks_project(const ProjectRequest& req) {
  const auto& o = req.options;
  if (o.horizon_months < 1 || o.horizon_months > 240) throw invalid_field("horizon", "must be an integer in 1..240");
  if (o.samples < 10 || o.samples > 100000) throw invalid_field("samples", "must be an integer in 10..100000");
  if (o.trend_months < 3 || o.trend_months > 600) throw invalid_field("trend_months", "must be an integer in 3..600");
  ProjectResult out;
  out.run = benchmark_run(req.select);
  out.options = o;
  const auto& r = out.run;
  if (!req.area.empty()) {
    out.areas.push_back(r.area_index(req.area));
  } else {
    for (std::size_t a = 0; a < r.panel.area_count(); ++a) out.areas.push_back(a);
  }
  std::optional<std::string> only;
  if (!req.select.stakeholder.empty()) only = r.fw.stakeholders[r.stakeholders(req.select.stakeholder).front()].id;
  const auto forecasts = event_forecasts(r, o);
  const auto total = static_cast<std::int64_t>(out.areas.size());
  for (std::size_t k = 0; k < out.areas.size(); ++k) {
    impl_->check_cancelled();
    for (auto& p : project_one(r, out.areas[k], o, forecasts)) {
      if (!only || p.stakeholder == *only) out.projections.push_back(std::move(p));
    }
    impl_->progress("projecting benchmarks", static_cast<std::int64_t>(k + 1), total);
  }
  if (req.with_geometry) out.shapes = detail::shapes(reader(), r.level);
  return out;
}

HistoryResult Engine::benchmarks_history(const HistoryRequest& req) {
  if (req.area.empty()) throw invalid_field("area", "is required (id or name)");
  HistoryResult out;
  out.run = benchmark_run(req.select);
  out.area = out.run.area_index(req.area);
  out.stakeholders = out.run.stakeholders(req.select.stakeholder);
  out.t0 = req.from ? out.run.month_index(*req.from) : 0;
  out.t1 = req.to ? out.run.month_index(*req.to) : out.run.panel.month_count() - 1;
  if (out.t1 < out.t0) throw invalid_field("to", "is before from");
  return out;
}

SavedHistoryResult Engine::benchmarks_saved_history(const SavedHistoryRequest& req) {
  if (req.area.empty()) throw invalid_field("area", "is required (id or name)");
  auto& db = reader();
  if (db.schema_version() < 2) throw not_found("no saved assessments; run 'endstate benchmarks assess' first");
  const auto area = db.find_area(req.area);
  if (!area) throw not_found("no area '" + req.area + "'");
  SavedHistoryResult out;
  out.area_id = area->id;
  for (auto& [as, res] : db.area_results(area->id)) {
    if (res.item_kind != "readiness") continue;
    if (!req.stakeholder.empty() && res.stakeholder != req.stakeholder) continue;
    out.rows.emplace_back(as, res);
  }
  return out;
}

AuditLogResult Engine::audit_log() {
  auto& db = reader();
  AuditLogResult out;
  if (db.schema_version() >= 2) out.entries = db.audit_log();
  return out;
}

AuditVerifyResult Engine::audit_verify(const AuditVerifyRequest& req) {
  if (req.anchor_seq && (*req.anchor_seq < 1 || req.anchor_hash.size() != 64)) {
    throw invalid_field("expect", "must be SEQ:HASH, an entry number and its 64-digit SHA-256");
  }
  auto& db = reader();
  AuditVerifyResult out;
  if (db.schema_version() < 2) {
    if (req.anchor_seq) out.problems.push_back({*req.anchor_seq, "the anchored entry is not in the chain (no chain)"});
    return out;
  }
  const auto es = db.audit_log();
  std::set<std::int64_t> refs;
  for (auto s : db.audit_references()) refs.insert(s);
  out.entries = es.size();
  out.problems = bm::verify_chain(es, refs);
  auto problem = [&](std::int64_t seq, std::string why) { out.problems.push_back({seq, std::move(why)}); };

  // The chain knows its own length and head: deleting its last entries, or all of them, shows.
  const auto head = db.audit_head();
  if (head) {
    out.head_entries = head->entries;
    out.head_hash = head->hash;
    if (es.empty() || es.back().seq != head->entries || es.back().hash != head->hash) {
      problem(head->entries, "the chain ends at entry " + std::to_string(es.empty() ? 0 : es.back().seq) +
                                 " but its head record says " + std::to_string(head->entries) +
                                 " entries: entries were deleted");
    }
  } else if (!es.empty()) {
    problem(es.back().seq, "the chain's head record is missing (deleted)");
  }

  // Every entry's payload seals the record it describes: the stored record
  // must exist and match it (hashes of framework texts and assessment results).
  std::map<std::int64_t, store::FrameworkRow> frameworks;
  for (auto& f : db.frameworks(true)) frameworks.emplace(f.audit_seq, std::move(f));
  std::map<std::int64_t, store::SignoffRow> signoffs;
  for (auto& s : db.signoffs()) signoffs.emplace(s.audit_seq, std::move(s));
  std::map<std::int64_t, store::AssessmentRow> assessments;
  for (auto& a : db.assessments()) assessments.emplace(a.audit_seq, std::move(a));
  for (const auto& e : es) {
    const auto p = nlohmann::json::parse(e.payload, nullptr, false);
    if (p.is_discarded() || !p.is_object()) {
      problem(e.seq, "payload is not a JSON object");
      continue;
    }
    auto text = [&](const char* k) { return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : ""; };
    if (e.kind == "framework_import") {
      const auto it = frameworks.find(e.seq);
      if (it == frameworks.end()) {
        problem(e.seq, "framework version recorded here is missing from the store (deleted)");
        continue;
      }
      const auto& f = it->second;
      if (f.sha256 != text("sha256") || sha256_hex(f.yaml) != text("sha256")) {
        problem(e.seq, "framework version " + std::to_string(f.version) + ": its text or SHA-256 was changed");
      }
      if (p.value("version", std::int64_t{-1}) != f.version || f.framework_id != text("framework_id")) {
        problem(e.seq, "framework version " + std::to_string(f.version) + ": its version or id was changed");
      }
    } else if (e.kind == "signoff") {
      const auto it = signoffs.find(e.seq);
      if (it == signoffs.end()) {
        problem(e.seq, "sign-off recorded here is missing from the store (deleted)");
        continue;
      }
      const auto& s = it->second;
      if (s.stakeholder != text("stakeholder") || s.signed_by != text("by") || s.signed_at != text("date") ||
          s.version_sha256 != text("version_sha256")) {
        problem(e.seq, "sign-off " + std::to_string(s.id) + " by " + s.stakeholder + ": its fields were changed");
      }
    } else if (e.kind == "assessment") {
      const auto it = assessments.find(e.seq);
      if (it == assessments.end()) {
        problem(e.seq, "assessment recorded here is missing from the store (deleted)");
        continue;
      }
      const auto& a = it->second;
      if (a.month.str() != text("month") || a.level != text("level") ||
          a.data_fingerprint != text("data_fingerprint") ||
          a.framework_version != p.value("framework_version", std::int64_t{-1})) {
        problem(e.seq, "assessment " + std::to_string(a.id) + ": its month, level, framework or fingerprint changed");
      }
      if (p.contains("results_sha256")) {
        if (results_digest(db.assessment_results(a.id)) != text("results_sha256")) {
          problem(e.seq, "assessment " + std::to_string(a.id) + ": its results were changed or deleted");
        }
      } else {
        ++out.unsealed_results;
      }
    }
  }
  if (req.anchor_seq) {
    const auto it = std::find_if(es.begin(), es.end(), [&](const AuditEntry& e) { return e.seq == *req.anchor_seq; });
    if (it == es.end()) {
      problem(*req.anchor_seq, "the anchored entry is not in the chain (the chain was cut or emptied)");
    } else if (it->hash != req.anchor_hash) {
      problem(*req.anchor_seq, "the anchored entry's hash differs: the chain was rewritten");
    }
  }
  std::sort(out.problems.begin(), out.problems.end(),
            [](const auto& x, const auto& y) { return x.seq != y.seq ? x.seq < y.seq : x.reason < y.reason; });
  return out;
}

}  // namespace endstate::service
