// Ridge logistic and heteroscedastic lognormal regressions; see hurdle.hpp.
#include "endstate/forecast/hurdle.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "endstate/forecast/nb.hpp"

namespace endstate::forecast {

namespace {

constexpr double kMaxLogVar = 12.0;  // sigma <= e^6 on the log scale: exp(N) stays finite

double dot(const std::vector<double>& b, const double* x) {
  double e = 0;
  for (std::size_t j = 0; j < b.size(); ++j) e += b[j] * x[j];
  return e;
}

// log(1 + e^z) without overflow.
double log1p_exp(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

}  // namespace

double LogitFit::prob_at(const double* x) const {
  const double e = dot(beta, x);
  return e >= 0 ? 1 / (1 + std::exp(-e)) : std::exp(e) / (1 + std::exp(e));
}

LogitFit fit_logit(const std::vector<double>& x, const std::vector<double>& y, std::size_t p, const GlmOptions& opt,
                   const LogitFit* start, const std::vector<double>& weights) {
  const std::size_t n = y.size();
  if (x.size() != n * p) throw std::invalid_argument("fit_logit: x is not n x p");
  if (!weights.empty() && weights.size() != n) throw std::invalid_argument("fit_logit: weights size differs from y");
  const auto w = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  LogitFit fit;
  if (start != nullptr && start->beta.size() == p) {
    fit.beta = start->beta;
  } else {
    fit.beta.assign(p, 0.0);
    double s = 0, sw = 0;
    for (std::size_t i = 0; i < n; ++i) {
      s += w(i) * y[i];
      sw += w(i);
    }
    const double m = std::clamp(sw > 0 ? s / sw : 0.5, 1e-9, 1 - 1e-9);
    fit.beta[0] = std::log(m / (1 - m));
  }
  std::vector<double> eta(n), eta_new(n);
  const auto objective = [&](const std::vector<double>& b, std::vector<double>& e) {
    double l = 0;
    for (std::size_t i = 0; i < n; ++i) {
      e[i] = dot(b, &x[i * p]);
      if (w(i) != 0) l += w(i) * (y[i] * e[i] - log1p_exp(e[i]));
    }
    for (std::size_t j = 1; j < p; ++j) l -= 0.5 * opt.ridge * b[j] * b[j];
    return l;
  };
  double value = objective(fit.beta, eta);
  std::vector<double> a(p * p), g(p), next(p);
  for (int it = 1; it <= opt.max_iter; ++it) {
    fit.iterations = it;
    std::fill(a.begin(), a.end(), 0.0);
    std::fill(g.begin(), g.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (w(i) == 0) continue;
      const double pr = 1 / (1 + std::exp(-eta[i]));
      const double u = w(i) * (y[i] - pr), h = w(i) * pr * (1 - pr);
      const double* xi = &x[i * p];
      for (std::size_t j = 0; j < p; ++j) {
        g[j] += u * xi[j];
        const double hx = h * xi[j];
        double* aj = &a[j * p];
        for (std::size_t k = 0; k <= j; ++k) aj[k] += hx * xi[k];
      }
    }
    for (std::size_t j = 0; j < p; ++j) {
      for (std::size_t k = 0; k < j; ++k) a[k * p + j] = a[j * p + k];
      if (j > 0) {
        a[j * p + j] += opt.ridge;
        g[j] -= opt.ridge * fit.beta[j];
      }
      a[j * p + j] += 1e-9;
    }
    if (!cholesky_solve(a, g, p)) break;
    double step = 1, taken = 0, dmax = 0;
    for (double v : g) dmax = std::max(dmax, std::abs(v));
    for (int half = 0; half < 40; ++half) {
      for (std::size_t j = 0; j < p; ++j) next[j] = fit.beta[j] + step * g[j];
      const double v = objective(next, eta_new);
      if (v >= value - 1e-12 * (1 + std::abs(value))) {
        taken = step;
        value = v;
        fit.beta = next;
        eta.swap(eta_new);
        break;
      }
      step *= 0.5;
    }
    if (taken * dmax < opt.tol) {
      fit.converged = true;
      break;
    }
  }
  return fit;
}

double LogNormalFit::mean_at(const double* x) const { return dot(beta, x); }

double LogNormalFit::sd_at(const double* x) const {
  double e = 0;
  for (std::size_t k = 0; k < variance_columns.size(); ++k) e += v[k] * x[variance_columns[k]];
  return std::exp(0.5 * std::clamp(e, -kMaxLogVar, kMaxLogVar));
}

LogNormalFit fit_lognormal(const std::vector<double>& x, const std::vector<double>& log_y, std::size_t p,
                           const GlmOptions& opt, const std::vector<std::size_t>& variance_columns,
                           const std::vector<double>& weights) {
  const std::size_t n = log_y.size();
  if (x.size() != n * p) throw std::invalid_argument("fit_lognormal: x is not n x p");
  if (!weights.empty() && weights.size() != n) throw std::invalid_argument("fit_lognormal: weights size differs");
  if (variance_columns.empty() || variance_columns[0] != 0) {
    throw std::invalid_argument("fit_lognormal: the variance columns must start with the intercept");
  }
  const auto w = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  LogNormalFit fit;
  fit.variance_columns = variance_columns;
  // Mean: weighted ridge least squares.
  std::vector<double> a(p * p, 0.0), g(p, 0.0);
  double sw = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double wi = w(i);
    sw += wi;
    const double* xi = &x[i * p];
    for (std::size_t j = 0; j < p; ++j) {
      g[j] += wi * xi[j] * log_y[i];
      for (std::size_t k = 0; k <= j; ++k) a[j * p + k] += wi * xi[j] * xi[k];
    }
  }
  for (std::size_t j = 0; j < p; ++j) {
    for (std::size_t k = 0; k < j; ++k) a[k * p + j] = a[j * p + k];
    a[j * p + j] += (j > 0 ? opt.ridge : 0.0) + 1e-9;
  }
  fit.beta = g;
  if (!cholesky_solve(a, fit.beta, p)) fit.beta.assign(p, 0.0);
  // Log variance: Fisher scoring on the normal likelihood of the residuals.
  const std::size_t q = variance_columns.size();
  std::vector<double> r2(n);
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double e = log_y[i] - dot(fit.beta, &x[i * p]);
    r2[i] = e * e;
    ss += w(i) * r2[i];
  }
  fit.v.assign(q, 0.0);
  fit.v[0] = std::log(std::max(sw > 0 ? ss / sw : 1.0, 1e-4));
  std::vector<double> aa(q * q), gg(q);
  for (int it = 0; it < opt.max_iter && q > 1; ++it) {
    std::fill(aa.begin(), aa.end(), 0.0);
    std::fill(gg.begin(), gg.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double* xi = &x[i * p];
      double e = 0;
      for (std::size_t k = 0; k < q; ++k) e += fit.v[k] * xi[variance_columns[k]];
      const double s2 = std::exp(std::clamp(e, -kMaxLogVar, kMaxLogVar));
      const double u = 0.5 * w(i) * (r2[i] / s2 - 1);  // d loglik / d e
      for (std::size_t k = 0; k < q; ++k) {
        gg[k] += u * xi[variance_columns[k]];
        for (std::size_t l = 0; l <= k; ++l)
          aa[k * q + l] += 0.5 * w(i) * xi[variance_columns[k]] * xi[variance_columns[l]];
      }
    }
    for (std::size_t k = 0; k < q; ++k) {
      for (std::size_t l = 0; l < k; ++l) aa[l * q + k] = aa[k * q + l];
      if (k > 0) {
        aa[k * q + k] += opt.variance_ridge;
        gg[k] -= opt.variance_ridge * fit.v[k];
      }
      aa[k * q + k] += 1e-9;
    }
    if (!cholesky_solve(aa, gg, q)) break;
    double dmax = 0;
    for (std::size_t k = 0; k < q; ++k) {
      fit.v[k] += gg[k];
      dmax = std::max(dmax, std::abs(gg[k]));
    }
    if (dmax < opt.tol) break;
  }
  return fit;
}

}  // namespace endstate::forecast
