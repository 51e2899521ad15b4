#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/simulate/model.hpp"
#include "endstate/simulate/simulate.hpp"
#include "unit/simulate/fixture.hpp"

namespace endstate::simulate {
namespace {

TEST(PathState, WindowsMatchDirectComputation) {
  const std::size_t A = 3, T = 20;
  std::vector<double> y(A * T);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>((i * 7) % 5 == 0 ? 0 : (i * 13) % 11);
  const PathState s(y, A, T);
  for (std::size_t a = 0; a < A; ++a) {
    const double* ya = &y[a * T];
    double m3 = 0, m12 = 0, all = 0, nz = 0;
    for (std::size_t t = T - 3; t < T; ++t) m3 += ya[t];
    for (std::size_t t = T - 12; t < T; ++t) {
      m12 += ya[t];
      nz += ya[t] > 0 ? 1 : 0;
    }
    for (std::size_t t = 0; t < T; ++t) all += ya[t];
    EXPECT_DOUBLE_EQ(s.mean(a, 3), m3 / 3);
    EXPECT_DOUBLE_EQ(s.mean(a, 12), m12 / 12);
    EXPECT_DOUBLE_EQ(s.mean3(a), m3 / 3);
    EXPECT_DOUBLE_EQ(s.mean12(a), m12 / 12);
    EXPECT_DOUBLE_EQ(s.mean_all(a), all / T);
    EXPECT_DOUBLE_EQ(s.active_share(a), nz / 12);
    EXPECT_DOUBLE_EQ(s.recent(a, 0), ya[T - 1]);
  }
}

TEST(StepModel, UnsupportedModelNamesTheField) {
  const Panel p = testing::synthetic_panel(3, 30, 1);
  forecast::ForecastOptions o;
  o.model = "conflictology";
  try {
    (void)fit_step_model(p, forecast::Target::kFatalities, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kUsage);
    EXPECT_EQ(e.where().field, "model");
  }
}

/// Done when: paths reproduce the forecast module's marginal distribution at
/// horizon 1 (same model, same features, same fit; the draws differ only by
/// their random streams).
TEST(StepModel, HorizonOneMatchesTheForecast) {
  const Panel p = testing::synthetic_panel(4, 60, 3);
  for (const std::string model : {"nb", "bootstrap", "last"}) {
    forecast::ForecastOptions fo;
    fo.model = model;
    fo.horizon = 1;
    fo.samples = 4000;
    fo.threads = 1;
    const auto f = forecast::run_forecast(p, forecast::Target::kFatalities, fo);
    const auto step = fit_step_model(p, forecast::Target::kFatalities, fo);
    WorldSpec ws;
    ws.panel = &p;
    ws.area_province.assign(p.area_count(), -1);
    ws.effect = PresenceEffect::off();
    const World w = make_world(ws, 4000, 1, 1);
    SimOptions so;
    so.horizon = 1;
    so.paths = 4000;
    so.keep_area_paths = true;
    so.threads = 2;
    const auto r = simulate(w, *step, {PolicyRule::status_quo(0)}, so);
    for (std::size_t a = 0; a < p.area_count(); ++a) {
      std::vector<float> sim(r.paths), fc(f.samples);
      for (std::size_t i = 0; i < r.paths; ++i) sim[i] = r.area_paths[i * p.area_count() + a];
      for (std::size_t s = 0; s < f.samples; ++s) fc[s] = f.draw(a, 0, s);
      const auto stats = [](std::vector<float>& v) {
        double m = 0, m2 = 0, zero = 0;
        for (float x : v) {
          m += x;
          m2 += static_cast<double>(x) * x;
          zero += x == 0 ? 1 : 0;
        }
        const auto n = static_cast<double>(v.size());
        std::sort(v.begin(), v.end());
        return std::array<double, 4>{m / n, std::sqrt(std::max(0.0, m2 / n - (m / n) * (m / n))), zero / n,
                                     v[v.size() * 9 / 10]};
      };
      const auto s1 = stats(sim), s2 = stats(fc);
      const double se = std::sqrt((s1[1] * s1[1] + s2[1] * s2[1]) / 4000.0) + 1e-9;
      EXPECT_LT(std::abs(s1[0] - s2[0]), 4.5 * se) << model << " area " << a << " means " << s1[0] << " " << s2[0];
      EXPECT_NEAR(s1[2], s2[2], 0.04) << model << " area " << a << " P(0)";
      EXPECT_NEAR(s1[3], s2[3], std::max(2.0, 0.15 * s2[3])) << model << " area " << a << " q90";
      if (model == "nb") {
        EXPECT_NEAR(step->mean(PathState(w.y, w.areas.size(), w.months), a), s2[0], 4.5 * se + 1e-6);
      }
    }
  }
}

}  // namespace
}  // namespace endstate::simulate
