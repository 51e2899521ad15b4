// endstate forecast run | backtest
#include <fstream>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/forecast/backtest.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/store/database.hpp"
#include "panel_loader.hpp"

namespace endstate::cli {
namespace {

using forecast::Target;

Target target_flag(const Args& a) {
  const auto t = forecast::parse_target(a.get("target"));
  if (!t) throw usage_error("--target must be fatalities, vac-events or vac-fatalities (got '" + a.get("target") + "')");
  return *t;
}

forecast::NbParams nb_flags(const Args& a) {
  forecast::NbParams p;
  p.neighbours = static_cast<int>(int_flag(a, "neighbours", 0, 64));
  p.train_months = static_cast<int>(int_flag(a, "train-months", 0, 10000));
  p.ridge = number_flag(a, "ridge", 0.0);
  const std::string disp = a.get("dispersion");
  if (disp != "level" && disp != "constant") throw usage_error("--dispersion must be level or constant (got '" + disp + "')");
  p.dispersion_by_level = disp == "level";
  const std::string off = a.get("offset");
  if (off != "level" && off != "none") throw usage_error("--offset must be level or none (got '" + off + "')");
  p.offset_level = off == "level";
  return p;
}

std::vector<FlagSpec> model_flags() {
  return {{"target", "T", "fatalities | vac-events | vac-fatalities (violence against civilians)", "fatalities"},
          {"horizon", "H", "months ahead", "12"},
          {"seed", "N", "random seed (same seed, same draws, any --threads)", "1"},
          {"threads", "N", "worker threads (0 = all cores)", "0"},
          {"neighbours", "K", "nb: k nearest area centroids in the spatial lag", "4"},
          {"train-months", "N", "nb: fit on the latest N months of targets only (0 = all)", "0"},
          {"ridge", "X", "nb: L2 penalty on the slopes (towards the recent level)", "100"},
          {"dispersion", "D", "nb: level (log alpha on the area's 12-month level and share of active months) | constant", "level"},
          {"offset", "O", "nb: level (log of the 12-month mean + 0.5 as offset) | none", "level"}};
}

int forecast_run(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  forecast::ForecastOptions o;
  o.model = a.get("model");
  (void)forecast::resolve_model(o.model);
  o.horizon = static_cast<int>(int_flag(a, "horizon", 1, 120));
  o.samples = static_cast<int>(int_flag(a, "samples", 1, 100000));
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0, INT64_MAX));
  o.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  o.nb = nb_flags(a);
  const Target target = target_flag(a);
  auto db = store::Database::open_read_only(a.db_path());
  const std::string level = a.has("level") ? a.get("level") : default_level(db);
  const Panel panel = load_panel(db, level, std::nullopt, month_flag(a, "to"));
  const forecast::Forecast fc = forecast::run_forecast(panel, target, o);

  if (a.has("samples-out")) {
    const std::string path = a.get("samples-out");
    std::ofstream f(path, std::ios::binary);
    if (!f) throw bad_input("cannot write --samples-out " + path);
    f << "area_id,month,h,draw,value\n";
    for (std::size_t ar = 0; ar < fc.areas; ++ar) {
      for (std::size_t h = 0; h < fc.horizon; ++h) {
        const std::string m = fc.first_month.plus(static_cast<std::int32_t>(h)).str();
        for (std::size_t s = 0; s < fc.samples; ++s) {
          f << csv_field(panel.areas()[ar].id) << ',' << m << ',' << h + 1 << ',' << s + 1 << ','
            << static_cast<std::int64_t>(fc.draw(ar, h, s)) << '\n';
        }
      }
    }
    if (!f) throw bad_input("writing --samples-out " + path + " failed");
  }

  const std::vector<std::string> header{"area_id", "area_name", "month", "h", "mean", "q05", "q25", "q50",
                                        "q75", "q95", "p_ge_1", "p_ge_10", "p_ge_25"};
  if (format == Format::kJson) {
    nlohmann::ordered_json j;
    j["target"] = forecast::target_name(target);
    j["model"] = fc.model;
    j["level"] = level;
    j["history_from"] = panel.first().str();
    j["history_to"] = panel.last().str();
    j["first_month"] = fc.first_month.str();
    j["horizon"] = fc.horizon;
    j["samples"] = fc.samples;
    j["seed"] = o.seed;
    j["forecasts"] = nlohmann::ordered_json::array();
    for (std::size_t ar = 0; ar < fc.areas; ++ar) {
      for (std::size_t h = 0; h < fc.horizon; ++h) {
        const auto s = forecast::summarize(&fc.draws[(ar * fc.horizon + h) * fc.samples], fc.samples);
        nlohmann::ordered_json r;
        r["area_id"] = panel.areas()[ar].id;
        r["area_name"] = panel.areas()[ar].name;
        r["month"] = fc.first_month.plus(static_cast<std::int32_t>(h)).str();
        r["h"] = h + 1;
        r["mean"] = s.mean;
        r["q05"] = s.q05;
        r["q25"] = s.q25;
        r["q50"] = s.q50;
        r["q75"] = s.q75;
        r["q95"] = s.q95;
        r["p_ge_1"] = s.p_ge_1;
        r["p_ge_10"] = s.p_ge_10;
        r["p_ge_25"] = s.p_ge_25;
        j["forecasts"].push_back(std::move(r));
      }
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  Table t{header, {}};
  for (std::size_t ar = 0; ar < fc.areas; ++ar) {
    for (std::size_t h = 0; h < fc.horizon; ++h) {
      const auto s = forecast::summarize(&fc.draws[(ar * fc.horizon + h) * fc.samples], fc.samples);
      t.rows.push_back({panel.areas()[ar].id, panel.areas()[ar].name,
                        fc.first_month.plus(static_cast<std::int32_t>(h)).str(), std::to_string(h + 1),
                        fmt_double(s.mean, 3), fmt_double(s.q05, 1), fmt_double(s.q25, 1), fmt_double(s.q50, 1),
                        fmt_double(s.q75, 1), fmt_double(s.q95, 1), fmt_double(s.p_ge_1, 3),
                        fmt_double(s.p_ge_10, 3), fmt_double(s.p_ge_25, 3)});
    }
  }
  if (format == Format::kTable) {
    out << "Forecast of " << forecast::target_name(target) << " by " << fc.model << " (" << fc.samples
        << " draws, seed " << o.seed << ") from history " << panel.first().str() << ".." << panel.last().str()
        << ", level " << level << "\n";
  }
  t.print(out, format);
  return 0;
}

std::vector<std::string> score_cells(const forecast::ScoreRow& r) {
  return {std::to_string(r.n),       fmt_double(r.crps, 4),     fmt_double(r.mse, 3),      fmt_double(r.msle, 4),
          fmt_double(r.brier_1, 4),  fmt_double(r.brier_10, 4), fmt_double(r.brier_25, 4), fmt_double(r.cover_50, 3),
          fmt_double(r.cover_90, 3)};
}

nlohmann::ordered_json score_json(const forecast::ScoreRow& r) {
  nlohmann::ordered_json j;
  j["model"] = r.model;
  if (r.year != 0) j["year"] = r.year;
  j["n"] = r.n;
  j["crps"] = r.crps;
  j["mse"] = r.mse;
  j["msle"] = r.msle;
  j["brier_1"] = r.brier_1;
  j["brier_10"] = r.brier_10;
  j["brier_25"] = r.brier_25;
  j["cover_50"] = r.cover_50;
  j["cover_90"] = r.cover_90;
  return j;
}

int forecast_backtest(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  forecast::BacktestOptions o;
  o.horizon = static_cast<int>(int_flag(a, "horizon", 1, 120));
  o.samples = static_cast<int>(int_flag(a, "samples", 1, 100000));
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0, INT64_MAX));
  o.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  o.nb = nb_flags(a);
  o.incremental = !a.has("straightforward");
  if (a.has("models")) {
    for (const auto& m : split(a.get("models"), ',')) {
      if (!trim(m).empty()) o.models.push_back(forecast::resolve_model(std::string(trim(m))));
    }
  }
  const Target target = target_flag(a);
  auto db = store::Database::open_read_only(a.db_path());
  const std::string level = a.has("level") ? a.get("level") : default_level(db);
  const Panel panel = load_panel(db, level, std::nullopt, std::nullopt);
  o.to = month_flag(a, "to").value_or(panel.last());
  o.from = month_flag(a, "from").value_or(o.to.plus(-35));
  Progress progress("backtest " + level, 0);
  const auto res = forecast::run_backtest(panel, target, o, [&](std::int64_t done, std::int64_t) { progress.update(done); });
  progress.finish();

  if (format == Format::kJson) {
    nlohmann::ordered_json j;
    j["target"] = forecast::target_name(target);
    j["level"] = level;
    j["areas"] = panel.area_count();
    j["from"] = o.from.str();
    j["to"] = o.to.str();
    j["origins"] = res.origins;
    j["horizon"] = o.horizon;
    j["samples"] = o.samples;
    j["seed"] = o.seed;
    j["by_year"] = nlohmann::ordered_json::array();
    for (const auto& r : res.by_year) j["by_year"].push_back(score_json(r));
    j["overall"] = nlohmann::ordered_json::array();
    int rank = 1;
    for (const auto& r : res.overall) {
      auto s = score_json(r);
      s["rank"] = rank++;
      j["overall"].push_back(std::move(s));
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  const std::vector<std::string> cols{"n", "crps", "mse", "msle", "brier_1", "brier_10", "brier_25", "cover_50", "cover_90"};
  if (format == Format::kCsv) {
    Table t{{"model", "year", "rank"}, {}};
    t.header.insert(t.header.end(), cols.begin(), cols.end());
    for (const auto& r : res.by_year) {
      std::vector<std::string> row{r.model, std::to_string(r.year), ""};
      const auto c = score_cells(r);
      row.insert(row.end(), c.begin(), c.end());
      t.rows.push_back(std::move(row));
    }
    int rank = 1;
    for (const auto& r : res.overall) {
      std::vector<std::string> row{r.model, "all", std::to_string(rank++)};
      const auto c = score_cells(r);
      row.insert(row.end(), c.begin(), c.end());
      t.rows.push_back(std::move(row));
    }
    t.print(out, format);
    return 0;
  }
  out << "Backtest of " << forecast::target_name(target) << " at level " << level << " (" << panel.area_count()
      << " areas): " << res.origins << " origins " << o.from.str() << ".." << o.to.str() << ", horizon " << o.horizon
      << ", " << o.samples << " draws, seed " << o.seed << "\n\nBy model and year of origin:\n";
  Table t{{"model", "year"}, {}};
  t.header.insert(t.header.end(), cols.begin(), cols.end());
  for (const auto& r : res.by_year) {
    std::vector<std::string> row{r.model, std::to_string(r.year)};
    const auto c = score_cells(r);
    row.insert(row.end(), c.begin(), c.end());
    t.rows.push_back(std::move(row));
  }
  t.print(out, format);
  out << "\nOverall ranking (by CRPS):\n";
  Table rk{{"rank", "model"}, {}};
  rk.header.insert(rk.header.end(), cols.begin(), cols.end());
  int rank = 1;
  for (const auto& r : res.overall) {
    std::vector<std::string> row{std::to_string(rank++), r.model};
    const auto c = score_cells(r);
    row.insert(row.end(), c.begin(), c.end());
    rk.rows.push_back(std::move(row));
  }
  rk.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> forecast_commands() {
  std::vector<FlagSpec> run_flags{{"level", "L", "area level (default: province when present)", ""},
                                  {"to", "YYYY-MM", "last month of history (default: month of the last event)", ""},
                                  {"model", "M", "zero | last | bootstrap | conflictology | nb | best (= nb)", "best"},
                                  {"samples", "N", "draws per area and month", "1000"},
                                  {"samples-out", "FILE", "write every draw as CSV (area_id,month,h,draw,value)", ""}};
  for (auto& f : model_flags()) run_flags.push_back(f);
  run_flags.push_back(format_flag(false));
  std::vector<FlagSpec> bt_flags{
      {"level", "L", "area level (default: province when present)", ""},
      {"from", "YYYY-MM", "first forecast origin (default: 36 months before --to)", ""},
      {"to", "YYYY-MM", "last forecast origin (default: month of the last event)", ""},
      {"models", "LIST", "comma-separated models (default: zero,last,bootstrap,conflictology,nb)", ""},
      {"samples", "N", "draws per area and month", "500"},
      {"straightforward", "", "nb: rebuild features and cold-start every fit (for speed comparisons)", ""}};
  for (auto& f : model_flags()) bt_flags.push_back(f);
  bt_flags.push_back(format_flag(false));
  return {
      {"forecast",
       "run",
       "Forecast distribution (samples, quantiles, P(>=1/10/25)) of fatalities or violence against civilians for "
       "every area and month 1..H after the history.",
       {},
       run_flags,
       forecast_run},
      {"forecast",
       "backtest",
       "Rolling-origin backtest (fit strictly before each origin) of the benchmark and learned models: CRPS, MSE, "
       "MSLE, Brier of >=1/10/25, interval coverage, per year and overall ranking.",
       {},
       bt_flags,
       forecast_backtest},
  };
}

}  // namespace endstate::cli
