// NB2 regression by penalised IRLS + Newton on log(1/alpha); see nb.hpp.
#include "endstate/forecast/nb.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace endstate::forecast {

double digamma(double x) {
  double r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const double f = 1 / (x * x);
  return r + std::log(x) - 0.5 / x -
         f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

double trigamma(double x) {
  double r = 0;
  while (x < 10) {
    r += 1 / (x * x);
    x += 1;
  }
  const double f = 1 / (x * x);
  return r + 1 / x + f / 2 +
         f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66)))));
}

double nb2_loglik(double y, double mu, double alpha) {
  const double r = 1 / alpha;
  return std::lgamma(y + r) - std::lgamma(r) - std::lgamma(y + 1) + r * std::log(r / (r + mu)) +
         (y > 0 ? y * std::log(mu / (r + mu)) : 0.0);
}

bool cholesky_solve(std::vector<double>& a, std::vector<double>& b, std::size_t p) {
  for (std::size_t j = 0; j < p; ++j) {
    double d = a[j * p + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * p + k] * a[j * p + k];
    if (!(d > 0)) return false;
    d = std::sqrt(d);
    a[j * p + j] = d;
    for (std::size_t i = j + 1; i < p; ++i) {
      double s = a[i * p + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / d;
    }
  }
  for (std::size_t i = 0; i < p; ++i) {  // L z = b
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) s -= a[i * p + k] * b[k];
    b[i] = s / a[i * p + i];
  }
  for (std::size_t ii = p; ii-- > 0;) {  // L' x = z
    double s = b[ii];
    for (std::size_t k = ii + 1; k < p; ++k) s -= a[k * p + ii] * b[k];
    b[ii] = s / a[ii * p + ii];
  }
  return true;
}

namespace {

constexpr double kMaxEta = 25.0;
constexpr double kMinLogR = -7.0;  // alpha <= e^7
constexpr double kMaxLogR = 12.0;  // alpha >= e^-12 (practically Poisson)

double clamp_eta(double e) { return std::clamp(e, -kMaxEta, kMaxEta); }

struct Problem {
  const std::vector<double>& x;
  const std::vector<double>& y;
  std::size_t n, p;
  double ridge;
  const std::vector<std::size_t>& zc;  // dispersion columns
  const std::vector<double>& off;      // empty or n

  void linear(const std::vector<double>& beta, std::vector<double>& eta) const {
    for (std::size_t i = 0; i < n; ++i) {
      const double* xi = &x[i * p];
      double e = off.empty() ? 0.0 : off[i];
      for (std::size_t j = 0; j < p; ++j) e += xi[j] * beta[j];
      eta[i] = clamp_eta(e);
    }
  }
  // r_i = 1/alpha_i = exp(-gamma . z_i), log clamped.
  void shapes(const std::vector<double>& gamma, std::vector<double>& r) const {
    for (std::size_t i = 0; i < n; ++i) {
      double g = 0;
      for (std::size_t k = 0; k < zc.size(); ++k) g += gamma[k] * x[i * p + zc[k]];
      r[i] = std::exp(std::clamp(-g, kMinLogR, kMaxLogR));
    }
  }
  // Penalised log-likelihood in beta for fixed r (terms constant in beta dropped).
  double ll_beta(const std::vector<double>& eta, const std::vector<double>& r, const std::vector<double>& beta) const {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double mu = std::exp(eta[i]);
      s += y[i] * eta[i] - (r[i] + y[i]) * std::log(r[i] + mu);
    }
    double pen = 0;
    for (std::size_t j = 1; j < p; ++j) pen += beta[j] * beta[j];
    return s - 0.5 * ridge * pen;
  }
  // Log-likelihood in r for fixed mu (terms constant in r dropped).
  double ll_r(const std::vector<double>& eta, const std::vector<double>& r) const {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double mu = std::exp(eta[i]);
      s += r[i] * std::log(r[i]) - (r[i] + y[i]) * std::log(r[i] + mu);
      if (y[i] > 0) s += std::lgamma(y[i] + r[i]) - std::lgamma(r[i]);
    }
    return s;
  }
};

double dot_z(const std::vector<double>& gamma, const std::vector<std::size_t>& zc, const double* x) {
  double g = 0;
  for (std::size_t k = 0; k < zc.size(); ++k) g += gamma[k] * x[zc[k]];
  return g;
}

}  // namespace

double NbFit::mean_at(const double* x, double offset) const {
  double e = offset;
  for (std::size_t j = 0; j < beta.size(); ++j) e += x[j] * beta[j];
  return std::exp(clamp_eta(e));
}

double NbFit::alpha_at(const double* x) const {
  if (gamma.empty()) return alpha;
  return std::exp(-std::clamp(-dot_z(gamma, dispersion_columns, x), kMinLogR, kMaxLogR));
}

NbFit fit_nb2(const std::vector<double>& x, const std::vector<double>& y, std::size_t p, const NbFitOptions& opt,
              const NbFit* start, const std::vector<double>& offset) {
  const std::size_t n = y.size();
  NbFit fit;
  fit.dispersion_columns = opt.dispersion_columns.empty() ? std::vector<std::size_t>{0} : opt.dispersion_columns;
  const std::vector<std::size_t>& zc = fit.dispersion_columns;
  const std::size_t q = zc.size();
  if (!offset.empty() && offset.size() != n) throw std::invalid_argument("fit_nb2: offset size differs from y");
  Problem pr{x, y, n, p, opt.ridge, zc, offset};
  if (start != nullptr && start->beta.size() == p && start->dispersion_columns == zc && start->gamma.size() == q) {
    fit.beta = start->beta;
    fit.gamma = start->gamma;
  } else {
    fit.beta.assign(p, 0.0);
    double my = 0, me = 0;
    for (double v : y) my += v;
    for (double v : offset) me += std::exp(v);
    my = n > 0 ? my / static_cast<double>(n) : 0;
    me = offset.empty() || n == 0 ? 1.0 : me / static_cast<double>(n);
    fit.beta[0] = std::log(std::max(my, 1e-6) / std::max(me, 1e-12));
    fit.gamma.assign(q, 0.0);  // alpha = 1
  }
  fit.alpha = std::exp(fit.gamma[0]);
  if (n == 0) return fit;
  std::vector<double> eta(n), eta_new(n), r(n), r_new(n), xtwx(p * p), xtwz(p), beta_new(p);
  std::vector<double> zz(q * q), gz(q), gamma_new(q);
  pr.linear(fit.beta, eta);
  pr.shapes(fit.gamma, r);
  for (int it = 1; it <= opt.max_iter; ++it) {
    fit.iterations = it;
    // --- IRLS step for beta (penalised Fisher scoring) ---
    std::fill(xtwx.begin(), xtwx.end(), 0.0);
    std::fill(xtwz.begin(), xtwz.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double mu = std::exp(eta[i]);
      const double w = mu * r[i] / (r[i] + mu);
      const double z = eta[i] - (offset.empty() ? 0.0 : offset[i]) + (y[i] - mu) / mu;
      const double* xi = &x[i * p];
      for (std::size_t j = 0; j < p; ++j) {
        const double wx = w * xi[j];
        xtwz[j] += wx * z;
        for (std::size_t k = 0; k <= j; ++k) xtwx[j * p + k] += wx * xi[k];
      }
    }
    for (std::size_t j = 0; j < p; ++j) {
      for (std::size_t k = 0; k < j; ++k) xtwx[k * p + j] = xtwx[j * p + k];
      xtwx[j * p + j] += (j == 0 ? 1e-9 : opt.ridge) + 1e-12;
    }
    beta_new = xtwz;
    double max_step = 0;
    if (cholesky_solve(xtwx, beta_new, p)) {
      const double ll0 = pr.ll_beta(eta, r, fit.beta);
      std::vector<double> dir(p);
      for (std::size_t j = 0; j < p; ++j) dir[j] = beta_new[j] - fit.beta[j];
      double step = 1.0;
      for (int half = 0; half < 30; ++half) {
        for (std::size_t j = 0; j < p; ++j) beta_new[j] = fit.beta[j] + step * dir[j];
        pr.linear(beta_new, eta_new);
        if (pr.ll_beta(eta_new, r, beta_new) >= ll0 - 1e-10 * (1 + std::abs(ll0))) break;
        step *= 0.5;
      }
      for (std::size_t j = 0; j < p; ++j) max_step = std::max(max_step, std::abs(step * dir[j]));
      fit.beta = beta_new;
      eta.swap(eta_new);
    }
    // --- Newton step for gamma (log alpha_i = gamma . z_i, r_i = 1/alpha_i) ---
    if (opt.fit_alpha) {
      std::fill(zz.begin(), zz.end(), 0.0);
      std::fill(gz.begin(), gz.end(), 0.0);
      for (std::size_t i = 0; i < n; ++i) {
        const double mu = std::exp(eta[i]);
        const double ri = r[i];
        const double rm = ri + mu;
        double g = std::log(ri / rm) + 1 - (ri + y[i]) / rm;
        double h = 1 / ri - 1 / rm - (mu - y[i]) / (rm * rm);
        if (y[i] > 0) {
          g += digamma(y[i] + ri) - digamma(ri);
          h += trigamma(y[i] + ri) - trigamma(ri);
        }
        // d l / d gamma = -g r z ; d2 l / d gamma2 = (h r^2 + g r) z z'
        const double d1 = -g * ri;
        const double d2 = -(h * ri * ri + g * ri);  // minus the Hessian weight
        const double* xi = &x[i * p];
        for (std::size_t k = 0; k < q; ++k) {
          gz[k] += d1 * xi[zc[k]];
          for (std::size_t l = 0; l <= k; ++l) zz[k * q + l] += d2 * xi[zc[k]] * xi[zc[l]];
        }
      }
      for (std::size_t k = 0; k < q; ++k) {
        for (std::size_t l = 0; l < k; ++l) zz[l * q + k] = zz[k * q + l];
        zz[k * q + k] += 1e-9;
      }
      std::vector<double> dir = gz;
      if (!cholesky_solve(zz, dir, q)) {  // not concave here: a short gradient step
        double norm = 0;
        for (double v : gz) norm += v * v;
        norm = std::sqrt(norm);
        for (std::size_t k = 0; k < q; ++k) dir[k] = norm > 0 ? 0.5 * gz[k] / norm : 0.0;
      }
      double dmax = 0;
      for (double v : dir) dmax = std::max(dmax, std::abs(v));
      if (dmax > 2) {
        for (double& v : dir) v *= 2 / dmax;
      }
      const double ll0 = pr.ll_r(eta, r);
      double step = 1.0, taken = 0;
      for (int half = 0; half < 30; ++half) {
        for (std::size_t k = 0; k < q; ++k) gamma_new[k] = fit.gamma[k] + step * dir[k];
        pr.shapes(gamma_new, r_new);
        if (pr.ll_r(eta, r_new) >= ll0 - 1e-10 * (1 + std::abs(ll0))) {
          taken = step;
          fit.gamma = gamma_new;
          r.swap(r_new);
          break;
        }
        step *= 0.5;
      }
      for (std::size_t k = 0; k < q; ++k) max_step = std::max(max_step, std::abs(taken * dir[k]));
    }
    fit.alpha = std::exp(fit.gamma[0]);
    if (max_step < opt.tol) {
      fit.converged = true;
      break;
    }
  }
  double ll = 0;
  for (std::size_t i = 0; i < n; ++i) ll += nb2_loglik(y[i], std::exp(eta[i]), 1 / r[i]);
  fit.loglik = ll;
  return fit;
}

}  // namespace endstate::forecast
