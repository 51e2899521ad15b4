// Non-event indicators of Carana per province and month, driven by the same
// trajectory multiplier m_p(t) as the events (so they agree with them), with
// AR(1) noise (phi = 0.8) or log-normal noise. With L(m) = 1 - exp(-m / 1.2):
//
//   state_authority_presence  0-100 index        90 - 60 L(m) + AR(1) noise (sd 2.5)
//   courts_functioning        % of courts open   95 - 70 (1 - exp(-mbar6 / 1.5)) + AR(1) noise (sd 2),
//                                                mbar6 = mean m over the past 6 months (courts lag)
//   ddr_caseload              people enrolled    stock S' = 0.94 S + intake,
//                                                intake = pop_M (8 + 400 max(0, m(t-6mo) - m(t))) LN(0.3)
//   idp_returns               people per month   pop_M * 900 * max(0.02, 1 - 0.5 m) * min(1, 0.2 + mbar24) * LN(0.4)
//   police_per_100k           officers           25 + 45 / (1 + m) + AR(1) noise (sd 1)
//
// so that a stabilising province gains authority, courts, returns and police
// and sees its DDR caseload swell as fighters demobilise; a deteriorating or
// escalating one loses them. Values are written with fixed decimals.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "detail/format.hpp"
#include "detail/model.hpp"
#include "detail/random.hpp"
#include "endstate/core/error.hpp"

namespace endstate::scenario::detail {

std::int64_t write_observations(const std::string& path, const CaranaConfig& config, std::uint64_t seed,
                                const Geography& geo, const std::vector<double>& phases) {
  Rng rng(seed, kStreamObservations);
  const Date start = *Date::from_ymd(config.first_year, 1, 1);
  const Date end = *Date::from_ymd(config.first_year + config.years, 1, 1);
  const double horizon = end.days() - start.days();
  const Month first = Month::of(start);
  const int months = 12 * config.years;
  const int P = static_cast<int>(geo.provinces.size());

  struct Series {
    std::string indicator;
    std::string source;
    int decimals;
    std::vector<std::vector<double>> values;  // [province][month]
  };
  std::vector<Series> series = {
      {"state_authority_presence", "UNMIC Civil Affairs", 1, {}},
      {"courts_functioning", "Ministry of Justice", 1, {}},
      {"ddr_caseload", "UNMIC DDR section", 0, {}},
      {"idp_returns", "OCHA", 0, {}},
      {"police_per_100k", config.country_name + " National Police", 1, {}},
  };
  for (auto& s : series)
    s.values.assign(static_cast<std::size_t>(P), std::vector<double>(static_cast<std::size_t>(months)));

  for (int p = 0; p < P; ++p) {
    const Province& prov = geo.provinces[p];
    const double pop_m = static_cast<double>(prov.population) / 1e6;
    auto m_at = [&](double t) { return trajectory_multiplier(prov.trajectory, std::max(0.0, t), horizon, phases[p]); };
    auto mean_m = [&](double t, double span_days) {
      double s = 0;
      for (int k = 0; k < 12; ++k) s += m_at(t - span_days * (k + 0.5) / 12);
      return s / 12;
    };
    double ar_sap = 0, ar_court = 0, ar_pol = 0, stock = -1;
    for (int i = 0; i < months; ++i) {
      const Month mo = first.plus(i);
      const double t = (mo.first_day().days() - start.days()) + 15;
      const double m = m_at(t);
      ar_sap = 0.8 * ar_sap + 2.5 * std::sqrt(1 - 0.64) * normal(rng);
      ar_court = 0.8 * ar_court + 2.0 * std::sqrt(1 - 0.64) * normal(rng);
      ar_pol = 0.8 * ar_pol + 1.0 * std::sqrt(1 - 0.64) * normal(rng);
      const double level = 1 - std::exp(-m / 1.2);
      series[0].values[p][i] = std::clamp(90 - 60 * level + ar_sap, 0.0, 100.0);
      series[1].values[p][i] = std::clamp(95 - 70 * (1 - std::exp(-mean_m(t, 182) / 1.5)) + ar_court, 0.0, 100.0);
      const double intake = pop_m * (8 + 400 * std::max(0.0, m_at(t - 182) - m)) * std::exp(0.3 * normal(rng));
      stock = stock < 0 ? intake / 0.06 : 0.94 * stock + intake;
      series[2].values[p][i] = std::round(stock);
      const double displaced = std::min(1.0, 0.2 + mean_m(t, 730));
      series[3].values[p][i] =
          std::round(pop_m * 900 * std::max(0.02, 1 - 0.5 * m) * displaced * std::exp(0.4 * normal(rng)));
      series[4].values[p][i] = std::max(0.0, 25 + 45 / (1 + m) + ar_pol);
    }
  }

  std::ofstream out(path, std::ios::binary);
  if (!out) throw detail::write_error(path);
  out << "indicator,area,month,value,source\n";
  std::int64_t rows = 0;
  for (const auto& s : series)
    for (int p = 0; p < P; ++p)
      for (int i = 0; i < months; ++i) {
        out << s.indicator << "," << csv_field(geo.provinces[p].name) << "," << first.plus(i).str() << ","
            << fixed(s.values[p][i], s.decimals) << "," << csv_field(s.source) << "\n";
        ++rows;
      }
  if (!out) throw detail::write_error(path);
  return rows;
}

}  // namespace endstate::scenario::detail
