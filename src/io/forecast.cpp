// Writers of forecasts, backtests and alerts.
#include <algorithm>
#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/io/writers.hpp"
#include "io/detail/geojson.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

using detail::Json;

void write(std::ostream& out, const service::ForecastResult& r, const WriteOptions& o) {
  const auto& fc = r.forecast;
  Table t({{"area_id"},
           {"area_name"},
           {"month"},
           {"h"},
           {"mean", 3},
           {"q05", 1},
           {"q25", 1},
           {"q50", 1},
           {"q75", 1},
           {"q95", 1},
           {"p_ge_1", 3},
           {"p_ge_10", 3},
           {"p_ge_25", 3}});
  for (std::size_t a = 0; a < fc.areas; ++a) {
    for (std::size_t h = 0; h < fc.horizon; ++h) {
      const auto s = forecast::summarize(&fc.draws[(a * fc.horizon + h) * fc.samples], fc.samples);
      t.add({r.areas[a].id, r.areas[a].name, fc.first_month.plus(static_cast<std::int32_t>(h)).str(),
             static_cast<std::int64_t>(h + 1), s.mean, s.q05, s.q25, s.q50, s.q75, s.q95, s.p_ge_1, s.p_ge_10,
             s.p_ge_25});
    }
  }
  if (o.format == Format::kTable) {
    out << "Forecast of " << forecast::target_name(r.target) << " by " << fc.model << " (" << fc.samples
        << " draws, seed " << r.options.seed << ") from history " << r.history_from.str() << ".." << r.history_to.str()
        << ", level " << r.level << "\n";
  }
  Json doc = detail::document("forecast");
  doc["target"] = forecast::target_name(r.target);
  doc["model"] = fc.model;
  doc["level"] = r.level;
  doc["history_from"] = r.history_from.str();
  doc["history_to"] = r.history_to.str();
  doc["first_month"] = fc.first_month.str();
  doc["horizon"] = fc.horizon;
  doc["samples"] = fc.samples;
  doc["seed"] = r.options.seed;
  detail::write_table(out, t, o, doc, "forecasts");
}

void write_draws(std::ostream& out, const service::ForecastResult& r, const WriteOptions& o) {
  const auto& fc = r.forecast;
  begin_csv(out, o);
  out << "area_id,month,h,draw,value\n";
  for (std::size_t a = 0; a < fc.areas; ++a) {
    for (std::size_t h = 0; h < fc.horizon; ++h) {
      const std::string m = fc.first_month.plus(static_cast<std::int32_t>(h)).str();
      for (std::size_t s = 0; s < fc.samples; ++s) {
        out << csv_field(guard_formula(r.areas[a].id)) << ',' << m << ',' << h + 1 << ',' << s + 1 << ','
            << static_cast<std::int64_t>(fc.draw(a, h, s)) << '\n';
      }
    }
  }
}

namespace {

/// The score columns of a backtest row (docs/forecast.md, "Scores").
std::vector<Column> score_columns() {
  return {{"n"},
          {"crps", 4},
          {"ign", 4},
          {"mis", 3},
          {"mse", 3},
          {"msle", 4},
          {"brier_1", 4},
          {"brier_10", 4},
          {"brier_25", 4},
          {"cover_50", 3},
          {"cover_90", 3},
          {"n_nonzero"},
          {"crps_nonzero", 4},
          {"ign_nonzero", 4},
          {"cover_50_nonzero", 3},
          {"cover_90_nonzero", 3},
          {"expected_ge_1", 1},
          {"observed_ge_1", 0},
          {"expected_ge_10", 1},
          {"observed_ge_10", 0},
          {"expected_ge_25", 1},
          {"observed_ge_25", 0}};
}

std::vector<Cell> score_cells(const forecast::ScoreRow& r) {
  const bool nz = r.n_nonzero > 0;  // scores over y >= 1 are empty (null) without such area-months
  const auto count = [](double v) { return static_cast<std::int64_t>(std::llround(v)); };
  return {static_cast<std::int64_t>(r.n),
          r.crps,
          r.ign,
          r.mis,
          r.mse,
          r.msle,
          r.brier_1,
          r.brier_10,
          r.brier_25,
          r.cover_50,
          r.cover_90,
          static_cast<std::int64_t>(r.n_nonzero),
          nz ? Cell(r.crps_nonzero) : Cell(),
          nz ? Cell(r.ign_nonzero) : Cell(),
          nz ? Cell(r.cover_50_nonzero) : Cell(),
          nz ? Cell(r.cover_90_nonzero) : Cell(),
          r.expected_ge[0],
          count(r.observed_ge[0]),
          r.expected_ge[1],
          count(r.observed_ge[1]),
          r.expected_ge[2],
          count(r.observed_ge[2])};
}

/// The table form prints the scores in two blocks (all outcomes; outcomes >= 1
/// and calibration in the large) to stay readable; the second starts at this
/// score column.
constexpr std::size_t kSecondBlock = 11;

Table block(const std::vector<Column>& head, const std::vector<std::vector<Cell>>& rows, std::size_t lo,
            std::size_t hi) {
  const auto cols = score_columns();
  std::vector<Column> c = head;
  c.insert(c.end(), cols.begin() + static_cast<std::ptrdiff_t>(lo), cols.begin() + static_cast<std::ptrdiff_t>(hi));
  Table t(c);
  for (const auto& r : rows) {
    std::vector<Cell> x(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(head.size()));
    x.insert(x.end(), r.begin() + static_cast<std::ptrdiff_t>(head.size() + lo),
             r.begin() + static_cast<std::ptrdiff_t>(head.size() + hi));
    t.add(std::move(x));
  }
  return t;
}

Json coverage_json(const forecast::Calibration::Coverage& c) {
  Json j;
  j["n"] = c.n;
  j["cover_50"] = c.n > 0 ? Json(c.cover_50) : Json();
  j["cover_90"] = c.n > 0 ? Json(c.cover_90) : Json();
  return j;
}

/// One model's calibration summary (docs/forecast.md, "Calibration").
Json calibration_json(const forecast::Calibration& c, const forecast::ScoreRow& overall) {
  Json j;
  j["model"] = c.model;
  j["n"] = overall.n;
  j["pit"] = c.pit;
  j["n_nonzero"] = overall.n_nonzero;
  j["pit_nonzero"] = overall.n_nonzero > 0 ? Json(c.pit_nonzero) : Json();
  Json sizes = Json::array();
  for (std::size_t k = 0; k < forecast::kSizeClasses; ++k) {
    Json x;
    x["size"] = forecast::size_class_name(k);
    x.update(coverage_json(c.by_size[k]));
    sizes.push_back(std::move(x));
  }
  j["coverage_by_size"] = std::move(sizes);
  j["called"] = coverage_json(c.called);
  Json rel = Json::array();
  for (std::size_t k = 0; k < forecast::kThresholds.size(); ++k) {
    Json bins = Json::array();
    for (std::size_t b = 0; b < forecast::kReliabilityBins; ++b) {
      const auto& bin = c.reliability[k][b];
      const double w = 1.0 / static_cast<double>(forecast::kReliabilityBins);
      bins.push_back({{"from", static_cast<double>(b) * w},
                      {"to", static_cast<double>(b + 1) * w},
                      {"n", bin.n},
                      {"forecast", bin.n > 0 ? Json(bin.forecast) : Json()},
                      {"observed", bin.n > 0 ? Json(bin.observed) : Json()}});
    }
    rel.push_back({{"at_least", static_cast<std::int64_t>(forecast::kThresholds[k])}, {"bins", std::move(bins)}});
  }
  j["reliability"] = std::move(rel);
  return j;
}

}  // namespace

void write(std::ostream& out, const service::BacktestResult& r, const WriteOptions& o) {
  const auto& res = r.result;
  const auto ncols = score_columns().size();
  std::vector<std::vector<Cell>> by_year_rows, overall_rows;
  for (const auto& x : res.by_year) {
    std::vector<Cell> c{x.model, static_cast<std::int64_t>(x.year)};
    for (auto& v : score_cells(x)) c.push_back(std::move(v));
    by_year_rows.push_back(std::move(c));
  }
  std::int64_t rank = 1;
  for (const auto& x : res.overall) {
    std::vector<Cell> c{rank++, x.model};
    for (auto& v : score_cells(x)) c.push_back(std::move(v));
    overall_rows.push_back(std::move(c));
  }
  const std::vector<Column> year_head{{"model"}, {"year"}}, rank_head{{"rank"}, {"model"}};
  if (o.format == Format::kJson) {
    Json j = detail::document("backtest");
    j["target"] = forecast::target_name(r.target);
    j["level"] = r.level;
    j["areas"] = r.areas;
    j["from"] = r.options.from.str();
    j["to"] = r.options.to.str();
    j["origins"] = res.origins;
    j["horizon"] = r.options.horizon;
    j["samples"] = r.options.samples;
    j["seed"] = r.options.seed;
    j["by_year"] = detail::rows_json(block(year_head, by_year_rows, 0, ncols));
    j["overall"] = detail::rows_json(block(rank_head, overall_rows, 0, ncols));
    Json cal = Json::array();
    for (const auto& c : res.calibration) {
      const auto row = std::find_if(res.overall.begin(), res.overall.end(),
                                    [&](const forecast::ScoreRow& x) { return x.model == c.model; });
      if (row == res.overall.end()) throw internal_error("backtest: calibration of model " + c.model + " has no row");
      cal.push_back(calibration_json(c, *row));
    }
    j["calibration"] = std::move(cal);
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kCsv) {
    // One table: year "all" rows carry the rank.
    std::vector<Column> head{{"model"}, {"year"}, {"rank"}};
    for (auto& c : score_columns()) head.push_back(std::move(c));
    Table t(head);
    for (const auto& x : res.by_year) {
      std::vector<Cell> c{x.model, std::to_string(x.year), Cell()};
      for (auto& v : score_cells(x)) c.push_back(std::move(v));
      t.add(std::move(c));
    }
    rank = 1;
    for (const auto& x : res.overall) {
      std::vector<Cell> c{x.model, std::string("all"), rank++};
      for (auto& v : score_cells(x)) c.push_back(std::move(v));
      t.add(std::move(c));
    }
    detail::write_table(out, t, o, Json(), "");
    return;
  }
  if (o.format == Format::kGeoJson) throw invalid_field("format", "a backtest has no geojson form");
  out << "Backtest of " << forecast::target_name(r.target) << " at level " << r.level << " (" << r.areas
      << " areas): " << res.origins << " origins " << r.options.from.str() << ".." << r.options.to.str() << ", horizon "
      << r.options.horizon << ", " << r.options.samples << " draws, seed " << r.options.seed
      << "\n\nBy model and year of origin (ign: ignorance in bits, mis: 90% interval score; lower is better):\n";
  detail::write_table(out, block(year_head, by_year_rows, 0, kSecondBlock), o, Json(), "");
  out << "\nBy model and year, area-months with >= 1 (n_nonzero) and expected against observed area-months with "
         ">= 1, 10, 25:\n";
  detail::write_table(out, block(year_head, by_year_rows, kSecondBlock, ncols), o, Json(), "");
  out << "\nOverall ranking (by CRPS):\n";
  detail::write_table(out, block(rank_head, overall_rows, 0, kSecondBlock), o, Json(), "");
  out << "\nOverall, area-months with >= 1 and calibration in the large:\n";
  detail::write_table(out, block(rank_head, overall_rows, kSecondBlock, ncols), o, Json(), "");
  Table cal({{"model"}, {"pit_deciles"}, {"called_n"}, {"called_cover_50", 3}, {"called_cover_90", 3}});
  for (const auto& c : res.calibration) {
    std::vector<std::string> pit;
    for (double v : c.pit) pit.push_back(format_number(v, 3));
    cal.add({c.model, join(pit, " "), static_cast<std::int64_t>(c.called.n),
             c.called.n > 0 ? Cell(c.called.cover_50) : Cell(), c.called.n > 0 ? Cell(c.called.cover_90) : Cell()});
  }
  out << "\nCalibration: PIT histogram in deciles (0.100 each when calibrated); coverage of the 50% and 90% intervals "
         "where the forecast calls for violence (P(>=1) >= 0.5). JSON adds PIT over y >= 1, coverage by outcome "
         "size and reliability of P(>=1/10/25):\n";
  detail::write_table(out, cal, o, Json(), "");
}

namespace {

Json rule_json(const forecast::RuleSkill& r) {
  return {{"rule", r.rule},
          {"outcome", r.outcome},
          {"alerts", r.alerts},
          {"events", r.events},
          {"hits", r.hits},
          {"precision", r.alerts > 0 ? Json(r.precision) : Json()},
          {"recall", r.events > 0 ? Json(r.recall) : Json()}};
}

/// The backtest that set the alert thresholds (forecast::AlertCalibration).
Json alert_calibration_json(const forecast::AlertCalibration& c, std::size_t samples) {
  Json j;
  j["from"] = c.from.str();
  j["to"] = c.to.str();
  j["area_months"] = c.area_months;
  j["samples"] = samples;
  Json rules = Json::array();
  for (const auto* r : {&c.red_p25, &c.amber_p10, &c.escalation_red, &c.escalation_amber}) {
    Json x = rule_json(*r);
    x["threshold"] = r->threshold;
    const bool forecast_rule = r == &c.red_p25 || r == &c.amber_p10;
    x["calibrated"] = forecast_rule ? Json(r->calibrated) : Json();
    rules.push_back(std::move(x));
  }
  j["rules"] = std::move(rules);
  j["red"] = rule_json(c.red_level);
  j["amber_or_red"] = rule_json(c.alert_level);
  j["alerts_by_forecast"] = c.alerts_by_forecast;
  j["alerts_by_escalation_only"] = c.alerts_by_escalation_only;
  return j;
}

}  // namespace

void write(std::ostream& out, const service::AlertsResult& r, const WriteOptions& o) {
  Table t({{"area_id"},
           {"area_name"},
           {"month"},
           {"alert"},
           {"precision", 2},
           {"recall", 2},
           {"expected", 2},
           {"p_ge_1", 3},
           {"p_ge_10", 3},
           {"p_ge_25", 3},
           {"recent_mean", 1},
           {"baseline_mean", 1},
           {"escalation", 2},
           {"responders_in_reach"},
           {"nearest_site"},
           {"nearest_hours", 1},
           {"response_gap"},
           {"reasons"}});
  for (std::size_t i = 0; i < r.alerts.size(); ++i) {
    const auto& al = r.alerts[i];
    const auto& c = r.cover[i];
    t.add({r.areas[i].id, r.areas[i].name, r.month.str(), forecast::level_name(al.level),
           al.precision >= 0 ? Cell(al.precision) : Cell(), al.recall >= 0 ? Cell(al.recall) : Cell(), al.expected,
           al.p_ge_1, al.p_ge_10, al.p_ge_25, al.recent_mean, al.baseline_mean, al.escalation,
           static_cast<std::int64_t>(c.in_reach.size()), c.nearest ? Cell(r.responders[*c.nearest].name) : Cell(),
           c.nearest ? Cell(c.nearest_hours) : Cell(), c.gap, al.reasons});
  }
  if (o.format == Format::kGeoJson) {
    detail::FeatureCollection fc(out, "alerts");
    const detail::ShapeIndex shapes(r.shapes);
    const auto rows = detail::rows_json(t);
    for (std::size_t i = 0; i < r.alerts.size(); ++i) fc.add(rows[i], shapes.geometry(r.areas[i].id));
    return;
  }
  if (o.format == Format::kJson) {
    Json j = detail::document("alerts");
    j["month"] = r.month.str();
    j["level"] = r.level;
    j["history_to"] = r.history_to.str();
    j["model"] = r.model;
    j["samples"] = r.samples;
    j["seed"] = r.seed;
    j["response_hours"] = r.response_hours;
    j["counts"] = {{"green", r.green}, {"amber", r.amber}, {"red", r.red}, {"response_gaps", r.response_gaps}};
    j["thresholds"] = {{"red_p25", r.rules.red_p25},
                       {"amber_p25", r.rules.amber_p25},
                       {"amber_p10", r.rules.amber_p10},
                       {"escalation_amber", r.rules.escalation_amber},
                       {"escalation_red", r.rules.escalation_red},
                       {"min_recent", r.rules.min_recent},
                       {"recent_months", r.rules.recent_months},
                       {"baseline_months", r.rules.baseline_months}};
    j["calibration"] = r.calibration ? alert_calibration_json(*r.calibration, r.calibration_samples) : Json();
    Json arr = detail::rows_json(t);
    for (std::size_t i = 0; i < r.alerts.size(); ++i) {
      Json resp = Json::array();
      for (std::size_t k : r.cover[i].in_reach) {
        const auto& rs = r.responders[k];
        resp.push_back({{"site", rs.id},
                        {"name", rs.name},
                        {"hours", geo::response_hours(rs.where, r.areas[i].centroid, rs.has_air, r.reach)},
                        {"troops", rs.troops},
                        {"police", rs.police},
                        {"air", rs.has_air}});
      }
      arr[i]["responders"] = std::move(resp);
    }
    j["alerts"] = std::move(arr);
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kTable) {
    out << "Alerts for " << r.month.str() << " at level " << r.level << " (history to " << r.history_to.str()
        << ", model " << r.model << "): " << r.red << " red, " << r.amber << " amber, " << r.green << " green; "
        << r.response_gaps << " amber/red area(s) with no responder within " << format_number(r.response_hours, 1)
        << " h\n";
    out << "Thresholds: red P(>=25) >= " << format_number(r.rules.red_p25, 3)
        << ", amber P(>=25) >= " << format_number(r.rules.amber_p25, 3)
        << " or P(>=10) >= " << format_number(r.rules.amber_p10, 3) << ", escalation "
        << format_number(r.rules.escalation_amber, 1) << "x / " << format_number(r.rules.escalation_red, 1) << "x";
    if (r.calibration) {
      const auto& c = *r.calibration;
      out << " (backtest " << c.from.str() << ".." << c.to.str() << ", " << c.area_months
          << " area-months: amber or red precision " << format_number(c.alert_level.precision, 2) << ", recall "
          << format_number(c.alert_level.recall, 2) << " for >= 10 fatalities; red precision "
          << format_number(c.red_level.precision, 2) << ", recall " << format_number(c.red_level.recall, 2)
          << " for >= 25; " << c.alerts_by_forecast << " alerts from the forecast, " << c.alerts_by_escalation_only
          << " from escalation alone)\n";
    } else {
      out << " (fixed)\n";
    }
  }
  detail::write_table(out, t, o, Json(), "");
}

}  // namespace endstate::io
