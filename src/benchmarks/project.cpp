#include "endstate/benchmarks/project.hpp"

#include <algorithm>
#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"

namespace endstate::benchmarks {
namespace {

double normal(Rng& rng) {
  // Box-Muller; u1 in (0, 1].
  const double u1 = 1.0 - rng.uniform();
  const double u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// Nearest-rank q-quantile of sorted values.
int quantile(const std::vector<int>& sorted, double q) {
  const auto n = sorted.size();
  auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)));
  k = std::clamp<std::size_t>(k, 1, n);
  return sorted[k - 1];
}

}  // namespace

FuturePaths trend_paths(const std::vector<double>& history, std::size_t trend_months, std::size_t samples,
                        std::size_t horizon, std::uint64_t seed, std::uint64_t stream) {
  FuturePaths out;
  out.method = "trend";
  const std::size_t T = history.size();
  const std::size_t from = T > trend_months ? T - trend_months : 0;
  double n = 0, sx = 0, sy = 0;
  for (std::size_t t = from; t < T; ++t)
    if (!is_missing(history[t])) {
      n += 1;
      sx += static_cast<double>(t);
      sy += history[t];
    }
  if (n < 3) return out;
  const double xbar = sx / n, ybar = sy / n;
  double sxx = 0, sxy = 0;
  for (std::size_t t = from; t < T; ++t)
    if (!is_missing(history[t])) {
      sxx += (static_cast<double>(t) - xbar) * (static_cast<double>(t) - xbar);
      sxy += (static_cast<double>(t) - xbar) * (history[t] - ybar);
    }
  const double slope = sxx > 0 ? sxy / sxx : 0.0;
  double sse = 0;
  for (std::size_t t = from; t < T; ++t)
    if (!is_missing(history[t])) {
      const double r = history[t] - (ybar + slope * (static_cast<double>(t) - xbar));
      sse += r * r;
    }
  const double s = std::sqrt(sse / (n - 2));
  out.paths = samples;
  out.horizon = horizon;
  out.v.resize(samples * horizon);
  Rng rng(seed, stream);
  for (std::size_t p = 0; p < samples; ++p) {
    // Level at xbar and slope are independent under OLS: draw each from its sampling distribution.
    const double level = ybar + s / std::sqrt(n) * normal(rng);
    const double b = slope + (sxx > 0 ? s / std::sqrt(sxx) * normal(rng) : 0.0);
    for (std::size_t h = 0; h < horizon; ++h) {
      const double x = static_cast<double>(T + h);
      out.v[p * horizon + h] = level + b * (x - xbar) + s * normal(rng);
    }
  }
  return out;
}

FuturePaths bootstrap_paths(const std::vector<double>& history, std::size_t window, std::size_t samples,
                            std::size_t horizon, std::uint64_t seed, std::uint64_t stream) {
  FuturePaths out;
  out.method = "bootstrap";
  std::vector<double> pool;
  const std::size_t T = history.size();
  for (std::size_t t = T > window ? T - window : 0; t < T; ++t)
    if (!is_missing(history[t])) pool.push_back(history[t]);
  if (pool.empty()) return out;
  out.paths = samples;
  out.horizon = horizon;
  out.v.resize(samples * horizon);
  Rng rng(seed, stream);
  for (double& v : out.v) v = pool[rng.below(pool.size())];
  return out;
}

std::vector<Projection> project_area(const Framework& fw, const AreaProjectionInput& in, std::size_t area_stream,
                                     const ProjectionOptions& o) {
  const std::size_t I = fw.indicators.size();
  if (in.raw.size() != I) throw internal_error("project_area: raw series per indicator expected");
  const std::size_t T = in.raw.empty() ? 0 : in.raw.front().size();
  const std::size_t H = o.horizon_months;
  if (T == 0 || H == 0) return {};

  // History: values and the assessment of its last month.
  std::vector<double> hist(I * T);
  for (std::size_t i = 0; i < I; ++i) {
    if (in.raw[i].size() != T) throw internal_error("project_area: raw series of different lengths");
    const auto v = derive_values(in.raw[i], fw.indicators[i].derivation, in.population);
    std::copy(v.begin(), v.end(), hist.begin() + static_cast<std::ptrdiff_t>(i * T));
  }
  const AreaTrajectory tr = assess_area(fw, in.area_id, hist.data(), T);

  // Future raw paths of every indicator, then their values over the horizon.
  std::size_t S = 0;
  for (const auto& ind : fw.indicators) {
    if (ind.source != IndicatorSource::kEvents) continue;
    const auto it = in.future.find(ind.id);
    if (it == in.future.end()) throw usage_error("no future paths for event-derived indicator '" + ind.id + "'");
    if (it->second.horizon < H) throw usage_error("future paths of '" + ind.id + "' shorter than the horizon");
    if (S != 0 && it->second.paths != S) throw usage_error("future paths of '" + ind.id + "' differ in number");
    S = it->second.paths;
  }
  if (S == 0) S = o.samples;
  std::vector<double> fut(I * S * H, kMissing);  // [indicator][path][h]
  std::vector<bool> has_paths(I, false);
  std::vector<std::string> method(I);
  for (std::size_t i = 0; i < I; ++i) {
    const auto& ind = fw.indicators[i];
    FuturePaths paths;
    if (ind.source == IndicatorSource::kEvents) {
      paths = in.future.at(ind.id);
    } else {
      paths = trend_paths(in.raw[i], o.trend_months, S, H, o.seed, area_stream * 4096 + i);
    }
    method[i] = paths.method;
    if (paths.paths == 0) continue;  // no data to project from: stays no data
    has_paths[i] = true;
    const std::size_t W = static_cast<std::size_t>(ind.derivation.window_months);
    const std::size_t tail = std::min(T, W > 0 ? W - 1 : 0);
    std::vector<double> ext(tail + H);
    for (std::size_t p = 0; p < S; ++p) {
      std::copy(in.raw[i].end() - static_cast<std::ptrdiff_t>(tail), in.raw[i].end(), ext.begin());
      std::copy(paths.v.begin() + static_cast<std::ptrdiff_t>(p * paths.horizon),
                paths.v.begin() + static_cast<std::ptrdiff_t>(p * paths.horizon + H),
                ext.begin() + static_cast<std::ptrdiff_t>(tail));
      const auto v = derive_values(ext, ind.derivation, in.population);
      // Windows reaching before the history start cannot be complete: leave them missing.
      for (std::size_t h = 0; h < H; ++h) fut[(i * S + p) * H + h] = v[tail + h];
    }
  }

  std::vector<Projection> out;
  for (std::size_t s = 0; s < fw.stakeholders.size(); ++s) {
    const auto& sh = fw.stakeholders[s];
    for (std::size_t b = 0; b < fw.benchmarks.size(); ++b) {
      const Status now = tr.benchmark(T - 1, s, b);
      if (now == Status::kMet) continue;
      const auto& bm = fw.benchmarks[b];
      std::vector<std::size_t> ix;
      std::vector<double> thr;
      std::vector<int> sustain;
      for (const auto& id : bm.indicators) {
        ix.push_back(*fw.indicator_index(id));
        thr.push_back(sh.thresholds.at(id).for_area(in.area_id));
        sustain.push_back(sh.sustain_for(id));
      }
      std::vector<int> first(S, static_cast<int>(H) + 1);  // H + 1 = not within horizon
      for (std::size_t p = 0; p < S; ++p) {
        std::vector<std::int32_t> run(ix.size());
        for (std::size_t k = 0; k < ix.size(); ++k) run[k] = tr.run(T - 1, s, ix[k]);
        for (std::size_t h = 0; h < H; ++h) {
          bool all = true;
          for (std::size_t k = 0; k < ix.size(); ++k) {
            const double v = fut[(ix[k] * S + p) * H + h];
            run[k] = meets(v, thr[k], fw.indicators[ix[k]].direction) ? run[k] + 1 : 0;
            all = all && run[k] >= sustain[k];
          }
          if (all) {
            first[p] = static_cast<int>(h) + 1;
            break;
          }
        }
      }
      std::sort(first.begin(), first.end());
      Projection pr;
      pr.area_id = in.area_id;
      pr.stakeholder = sh.id;
      pr.benchmark_id = bm.id;
      pr.current = now;
      for (std::size_t i : ix) {
        if (method[i].empty() || ("+" + pr.method + "+").find("+" + method[i] + "+") != std::string::npos) continue;
        pr.method += (pr.method.empty() ? "" : "+") + method[i];
      }
      pr.projectable = std::all_of(ix.begin(), ix.end(), [&](std::size_t i) { return has_paths[i]; });
      const auto within = static_cast<double>(
          std::count_if(first.begin(), first.end(), [&](int m) { return m <= static_cast<int>(H); }));
      pr.share_within_horizon = within / static_cast<double>(S);
      const auto q = [&](double level) -> std::optional<int> {
        const int m = quantile(first, level);
        return m <= static_cast<int>(H) ? std::optional<int>(m) : std::nullopt;
      };
      pr.median = q(0.5);
      pr.low = q(0.1);
      pr.high = q(0.9);
      out.push_back(std::move(pr));
    }
  }
  return out;
}

}  // namespace endstate::benchmarks
