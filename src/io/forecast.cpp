// Writers of forecasts, backtests and alerts.
#include "endstate/core/error.hpp"
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
        << " draws, seed " << r.options.seed << ") from history " << r.history_from.str() << ".."
        << r.history_to.str() << ", level " << r.level << "\n";
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

std::vector<Column> score_columns() {
  return {{"n"},           {"crps", 4},     {"mse", 3},      {"msle", 4},     {"brier_1", 4},
          {"brier_10", 4}, {"brier_25", 4}, {"cover_50", 3}, {"cover_90", 3}};
}

std::vector<Cell> score_cells(const forecast::ScoreRow& r) {
  return {static_cast<std::int64_t>(r.n), r.crps, r.mse, r.msle, r.brier_1, r.brier_10, r.brier_25, r.cover_50,
          r.cover_90};
}

}  // namespace

void write(std::ostream& out, const service::BacktestResult& r, const WriteOptions& o) {
  const auto& res = r.result;
  auto table = [&](std::vector<Column> head) {
    auto cols = score_columns();
    head.insert(head.end(), cols.begin(), cols.end());
    return Table(head);
  };
  // by model and year, then the overall ranking
  Table by_year = table({{"model"}, {"year"}});
  for (const auto& x : res.by_year) {
    std::vector<Cell> c{x.model, static_cast<std::int64_t>(x.year)};
    for (auto& v : score_cells(x)) c.push_back(std::move(v));
    by_year.add(std::move(c));
  }
  Table overall = table({{"rank"}, {"model"}});
  std::int64_t rank = 1;
  for (const auto& x : res.overall) {
    std::vector<Cell> c{rank++, x.model};
    for (auto& v : score_cells(x)) c.push_back(std::move(v));
    overall.add(std::move(c));
  }
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
    j["by_year"] = detail::rows_json(by_year);
    j["overall"] = detail::rows_json(overall);
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kCsv) {
    // One table: year "all" rows carry the rank.
    Table t = table({{"model"}, {"year"}, {"rank"}});
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
      << " areas): " << res.origins << " origins " << r.options.from.str() << ".." << r.options.to.str()
      << ", horizon " << r.options.horizon << ", " << r.options.samples << " draws, seed " << r.options.seed
      << "\n\nBy model and year of origin:\n";
  detail::write_table(out, by_year, o, Json(), "");
  out << "\nOverall ranking (by CRPS):\n";
  detail::write_table(out, overall, o, Json(), "");
}

void write(std::ostream& out, const service::AlertsResult& r, const WriteOptions& o) {
  Table t({{"area_id"},
           {"area_name"},
           {"month"},
           {"alert"},
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
    t.add({r.areas[i].id, r.areas[i].name, r.month.str(), forecast::level_name(al.level), al.expected, al.p_ge_1,
           al.p_ge_10, al.p_ge_25, al.recent_mean, al.baseline_mean, al.escalation,
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
  }
  detail::write_table(out, t, o, Json(), "");
}

}  // namespace endstate::io
