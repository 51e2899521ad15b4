// Writers of the policy simulation (see io/simulate.hpp).
#include "endstate/io/simulate.hpp"

#include "endstate/core/error.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

using detail::Json;

namespace {

/// A month offset from the origin as "YYYY-MM".
std::optional<std::string> month_of(const service::SimulateResult& r, const std::optional<double>& off) {
  if (!off) return std::nullopt;
  return r.origin.plus(static_cast<std::int32_t>(*off)).str();
}

Cell opt_text(const std::optional<std::string>& s) { return s ? Cell(*s) : Cell(); }

Json interval_json(const simulate::Interval& v) {
  Json j;
  j["mean"] = v.mean;
  j["median"] = detail::number_or_null(v.median);
  j["lo80"] = detail::number_or_null(v.lo80);
  j["hi80"] = detail::number_or_null(v.hi80);
  j["lo90"] = detail::number_or_null(v.lo90);
  j["hi90"] = detail::number_or_null(v.hi90);
  return j;
}

Json month_interval_json(const service::SimulateResult& r, const simulate::Interval& v) {
  const auto m = [&](const std::optional<double>& x) { return x ? Json(*month_of(r, x)) : Json(nullptr); };
  Json j;
  j["median"] = m(v.median);
  j["lo80"] = m(v.lo80);
  j["hi80"] = m(v.hi80);
  j["lo90"] = m(v.lo90);
  j["hi90"] = m(v.hi90);
  return j;
}

std::vector<Column> interval_columns(int decimals) {
  return {{"mean", decimals}, {"median", decimals}, {"lo80", decimals},
          {"hi80", decimals}, {"lo90", decimals},   {"hi90", decimals}};
}

void add_interval(std::vector<Cell>& row, const simulate::Interval& v) {
  row.push_back(v.mean);
  for (const auto& x : {v.median, v.lo80, v.hi80, v.lo90, v.hi90}) row.push_back(number(x));
}

}  // namespace

Table simulation_summary_table(const service::SimulateResult& r) {
  std::vector<Column> cols{{"policy"}, {"measure"}};
  for (auto& c : interval_columns(1)) cols.push_back(c);
  cols.push_back({"share_within", 3});
  Table t(cols);
  for (const auto& p : r.comparison.policies) {
    {
      std::vector<Cell> row{p.policy, text("mission_end")};
      row.push_back(Cell());
      for (const auto& x :
           {p.mission_end.median, p.mission_end.lo80, p.mission_end.hi80, p.mission_end.lo90, p.mission_end.hi90})
        row.push_back(x ? opt_text(month_of(r, x)) : text("after " + r.origin.plus(r.horizon - 1).str()));
      row.push_back(p.mission_end_within);
      t.add(std::move(row));
    }
    const std::pair<const char*, const simulate::Interval*> measures[] = {{"fatalities", &p.fatalities},
                                                                          {"civilian_deaths", &p.civilian},
                                                                          {"hotspot_months_unreached", &p.gap_months},
                                                                          {"troop_months", &p.troop_months},
                                                                          {"cost", &p.cost}};
    for (const auto& [name, v] : measures) {
      std::vector<Cell> row{p.policy, text(name)};
      add_interval(row, *v);
      row.push_back(Cell());
      t.add(std::move(row));
    }
  }
  return t;
}

Table simulation_exits_table(const service::SimulateResult& r) {
  Table t({{"policy"},
           {"province_id"},
           {"province"},
           {"exit_date"},
           {"median"},
           {"lo80"},
           {"hi80"},
           {"lo90"},
           {"hi90"},
           {"share_within", 3}});
  for (std::size_t k = 0; k < r.comparison.policies.size(); ++k) {
    const auto& p = r.comparison.policies[k];
    for (std::size_t v = 0; v < r.province_ids.size(); ++v) {
      const auto& e = p.exit[v];
      const auto& date = r.policies[k].exit_dates[v];
      std::vector<Cell> row{p.policy, r.province_ids[v], r.province_names[v], date ? Cell(date->str()) : Cell()};
      for (const auto& x : {e.median, e.lo80, e.hi80, e.lo90, e.hi90}) row.push_back(opt_text(month_of(r, x)));
      row.push_back(p.exit_within[v]);
      t.add(std::move(row));
    }
  }
  return t;
}

Table simulation_differences_table(const service::SimulateResult& r) {
  std::vector<Column> cols{{"policy"}, {"reference"}, {"measure"}};
  for (auto& c : interval_columns(1)) cols.push_back(c);
  cols.push_back({"share_above_0", 3});
  Table t(cols);
  for (const auto& d : r.comparison.differences) {
    const std::pair<const char*, const simulate::Interval*> measures[] = {
        {"mission_end_months", &d.mission_end}, {"fatalities", &d.fatalities},
        {"civilian_deaths", &d.civilian},       {"hotspot_months_unreached", &d.gap_months},
        {"troop_months", &d.troop_months},      {"cost", &d.cost}};
    for (const auto& [name, v] : measures) {
      std::vector<Cell> row{d.policy, d.reference, text(name)};
      add_interval(row, *v);
      row.push_back(std::string(name) == "fatalities" ? Cell(d.share_more_fatalities) : Cell());
      t.add(std::move(row));
    }
  }
  return t;
}

Table simulation_fan_table(const service::SimulateResult& r) {
  Table t({{"policy"},
           {"series"},
           {"month"},
           {"q05", 2},
           {"q10", 2},
           {"q25", 2},
           {"q50", 2},
           {"q75", 2},
           {"q90", 2},
           {"q95", 2},
           {"mean", 3}});
  for (const auto& f : r.comparison.fans) {
    t.add({f.policy, f.series, r.origin.plus(f.month_offset).str(), f.q05, f.q10, f.q25, f.q50, f.q75, f.q90, f.q95,
           f.mean});
  }
  return t;
}

void write(std::ostream& out, const service::SimulateResult& r, const WriteOptions& o) {
  if (o.format == Format::kGeoJson) throw invalid_field("format", "simulate has table, csv and json forms");
  if (o.format == Format::kJson) {
    Json j = detail::document("simulation");
    j["target"] = forecast::target_name(r.target);
    j["model"] = r.model;
    j["level"] = r.level;
    j["exit_level"] = r.exit_level;
    j["history_from"] = r.history_from.str();
    j["history_to"] = r.history_to.str();
    j["origin"] = r.origin.str();
    j["horizon"] = r.horizon;
    j["paths"] = r.paths;
    j["seed"] = r.seed;
    j["areas"] = r.areas;
    j["bases"] = r.bases;
    j["currency"] = r.currency;
    Json pe;
    pe["id"] = r.presence_id;
    pe["none"] = r.presence.none;
    pe["full_km"] = r.presence.full_km;
    pe["zero_km"] = r.presence.zero_km;
    Json eff = Json::object();
    for (std::size_t k = 0; k < simulate::kKinds; ++k)
      eff[simulate::to_string(static_cast<simulate::Kind>(k))] = r.presence.effect[k];
    pe["effect"] = eff;
    pe["displacement_share"] = r.presence.displacement_share;
    pe["displacement_neighbours"] = r.presence.displacement_neighbours;
    pe["withdrawal_spike"] = r.presence.withdrawal_spike;
    pe["withdrawal_months"] = r.presence.withdrawal_months;
    j["presence_effect"] = pe;
    Json provinces = Json::array();
    for (std::size_t v = 0; v < r.province_ids.size(); ++v)
      provinces.push_back(Json{{"id", r.province_ids[v]}, {"name", r.province_names[v]}});
    j["provinces"] = provinces;
    Json policies = Json::array();
    for (std::size_t k = 0; k < r.policies.size(); ++k) {
      const auto& info = r.policies[k];
      const auto& s = r.comparison.policies[k];
      Json p;
      p["name"] = info.name;
      p["policy"] = info.policy;
      p["file"] = info.file;
      p["stakeholders"] = info.stakeholders;
      p["sustain_months"] = info.sustain_months;
      p["max_delay_months"] = info.max_delay_months;
      p["mission_end"] = month_interval_json(r, s.mission_end);
      p["mission_end_within"] = s.mission_end_within;
      p["fatalities"] = interval_json(s.fatalities);
      p["civilian_deaths"] = interval_json(s.civilian);
      p["hotspot_months_unreached"] = interval_json(s.gap_months);
      p["troop_months"] = interval_json(s.troop_months);
      p["cost"] = interval_json(s.cost);
      Json exits = Json::array();
      for (std::size_t v = 0; v < r.province_ids.size(); ++v) {
        Json e = month_interval_json(r, s.exit[v]);
        e["province_id"] = r.province_ids[v];
        e["exit_date"] = info.exit_dates[v] ? Json(info.exit_dates[v]->str()) : Json(nullptr);
        e["share_within"] = s.exit_within[v];
        e["held"] = info.policy != "end-date" && v < info.held.size() && info.held[v] != 0;
        exits.push_back(e);
      }
      p["exits"] = exits;
      policies.push_back(p);
    }
    j["policies"] = policies;
    Json diffs = Json::array();
    for (const auto& d : r.comparison.differences) {
      Json x;
      x["policy"] = d.policy;
      x["reference"] = d.reference;
      x["mission_end_months"] = interval_json(d.mission_end);
      x["fatalities"] = interval_json(d.fatalities);
      x["civilian_deaths"] = interval_json(d.civilian);
      x["hotspot_months_unreached"] = interval_json(d.gap_months);
      x["troop_months"] = interval_json(d.troop_months);
      x["cost"] = interval_json(d.cost);
      x["share_more_fatalities"] = d.share_more_fatalities;
      diffs.push_back(x);
    }
    j["differences"] = diffs;
    j["fan"] = detail::rows_json(simulation_fan_table(r));
    detail::write_json(out, j);
    return;
  }
  const std::string view = o.view.empty() ? "summary" : o.view;
  Table t;
  if (view == "summary") {
    t = simulation_summary_table(r);
  } else if (view == "exits") {
    t = simulation_exits_table(r);
  } else if (view == "differences") {
    t = simulation_differences_table(r);
  } else if (view == "fan") {
    t = simulation_fan_table(r);
  } else {
    throw invalid_field("view", "must be summary, exits, differences or fan");
  }
  if (o.format == Format::kTable) {
    out << "Policies on " << r.paths << " sample paths of " << forecast::target_name(r.target) << " by " << r.model
        << " (" << r.level << ", " << r.areas << " areas; exits by " << r.exit_level << "), " << r.origin.str() << ".."
        << r.origin.plus(r.horizon - 1).str() << ", seed " << r.seed << "; presence effect " << r.presence_id << "\n";
  }
  detail::write_table(out, t, o, detail::document("simulation"), "rows");
}

void write(std::ostream& out, const service::ReadyByResult& r, const WriteOptions& o) {
  if (o.format == Format::kGeoJson) throw invalid_field("format", "ready-by has table, csv and json forms");
  Table t({{"province_id"}, {"province"}, {"stakeholder"}, {"ready_now"}, {"p_ready_by", 3}});
  for (std::size_t p = 0; p < r.province_ids.size(); ++p)
    for (std::size_t s = 0; s < r.stakeholders.size(); ++s)
      t.add({r.province_ids[p], r.province_names[p], r.stakeholders[s], r.ready_now[p][s] != 0, r.probability[p][s]});
  if (o.format == Format::kTable) {
    out << "P(ready by " << r.month.str() << ") on " << r.paths << " status-quo sample paths by " << r.model << " from "
        << r.history_to.str() << " (" << r.level << ", exits by " << r.exit_level << "), seed " << r.seed << "\n";
  }
  Json doc = detail::document("ready_by");
  doc["month"] = r.month.str();
  doc["history_to"] = r.history_to.str();
  doc["level"] = r.level;
  doc["exit_level"] = r.exit_level;
  doc["model"] = r.model;
  doc["paths"] = r.paths;
  doc["seed"] = r.seed;
  detail::write_table(out, t, o, doc, "rows");
}

void write(std::ostream& out, const service::SimulateBacktestResult& r, const WriteOptions& o) {
  if (o.format == Format::kGeoJson) throw invalid_field("format", "simulate backtest has table, csv and json forms");
  Table t({{"h"}, {"n"}, {"cover_50", 3}, {"cover_80", 3}, {"cover_90", 3}, {"crps", 3}, {"pit", 3}});
  for (const auto& row : r.result.rows) {
    std::vector<std::string> pit;
    for (double b : row.pit) pit.push_back(format_number(b, 3));
    t.add({row.h == 0 ? Cell(text("total")) : Cell(static_cast<std::int64_t>(row.h)), static_cast<std::int64_t>(row.n),
           row.cover50, row.cover80, row.cover90, row.crps, pit});
  }
  if (o.format == Format::kTable) {
    out << "Calibration of " << r.model << " sample paths from " << r.origins.size() << " origins ("
        << (r.origins.empty() ? "" : r.origins.front().str() + ".." + r.origins.back().str()) << "), " << r.paths
        << " paths, " << r.horizon << " months, level " << r.level << "; h total = each area's sum over the horizon;"
        << " pit = 10-bin PIT histogram (flat at 0.1 when calibrated)\n";
  }
  Json doc = detail::document("simulate_backtest");
  doc["target"] = forecast::target_name(r.target);
  doc["model"] = r.model;
  doc["level"] = r.level;
  doc["areas"] = r.areas;
  Json origins = Json::array();
  for (const auto& m : r.origins) origins.push_back(m.str());
  doc["origins"] = origins;
  doc["horizon"] = r.horizon;
  doc["paths"] = r.paths;
  doc["seed"] = r.seed;
  if (o.format == Format::kJson) {
    Json rows = Json::array();
    for (const auto& row : r.result.rows) {
      Json x;
      x["h"] = row.h == 0 ? Json("total") : Json(row.h);
      x["n"] = row.n;
      x["cover_50"] = row.cover50;
      x["cover_80"] = row.cover80;
      x["cover_90"] = row.cover90;
      x["crps"] = row.crps;
      x["pit"] = row.pit;
      rows.push_back(x);
    }
    doc["rows"] = rows;
    detail::write_json(out, doc);
    return;
  }
  detail::write_table(out, t, o, doc, "rows");
}

}  // namespace endstate::io
