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
  return r + 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66)))));
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

double dot_z(const std::vector<double>& gamma, const std::vector<std::size_t>& zc, const double* x) {
  double g = 0;
  for (std::size_t k = 0; k < zc.size(); ++k) g += gamma[k] * x[zc[k]];
  return g;
}

// The weighted, penalised NB2 log-likelihood and the per-row quantities its
// derivatives reuse (mu, r = 1/alpha, log r, log(r + mu)), at one parameter point.
struct State {
  std::vector<double> eta, mu, r, logr, lrm;
  std::vector<unsigned char> clamped;  // log r at a bound: r does not move with gamma here
  double value = 0;                    // penalised log-likelihood (terms constant in the parameters dropped)
};

struct Problem {
  const std::vector<double>& x;
  const std::vector<double>& y;
  const std::vector<double>& w;    // empty = 1
  const std::vector<double>& off;  // empty = 0
  std::size_t n, p;
  double ridge;
  double dispersion_ridge;
  const std::vector<std::size_t>& zc;

  [[nodiscard]] double weight(std::size_t i) const { return w.empty() ? 1.0 : w[i]; }

  void evaluate(const std::vector<double>& beta, const std::vector<double>& gamma, State& s) const {
    s.eta.resize(n);
    s.mu.resize(n);
    s.r.resize(n);
    s.logr.resize(n);
    s.lrm.resize(n);
    s.clamped.resize(n);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double* xi = &x[i * p];
      double e = off.empty() ? 0.0 : off[i];
      for (std::size_t j = 0; j < p; ++j) e += xi[j] * beta[j];
      e = clamp_eta(e);
      const double lr_raw = -dot_z(gamma, zc, xi);
      const double lr = std::clamp(lr_raw, kMinLogR, kMaxLogR);
      const double mu = std::exp(e), r = std::exp(lr), lrm = std::log(r + mu);
      s.eta[i] = e;
      s.mu[i] = mu;
      s.r[i] = r;
      s.logr[i] = lr;
      s.lrm[i] = lrm;
      s.clamped[i] = lr != lr_raw ? 1 : 0;
      const double yi = y[i];
      double li = r * lr - (r + yi) * lrm + yi * e;
      if (yi > 0) li += std::lgamma(yi + r) - std::lgamma(r);
      total += weight(i) * li;
    }
    double pen = 0, pen_gamma = 0;
    for (std::size_t j = 1; j < p; ++j) pen += beta[j] * beta[j];
    for (std::size_t k = 1; k < gamma.size(); ++k) pen_gamma += gamma[k] * gamma[k];
    s.value = total - 0.5 * ridge * pen - 0.5 * dispersion_ridge * pen_gamma;
  }
};

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
              const NbFit* start, const std::vector<double>& offset, const std::vector<double>& weights) {
  const std::size_t n = y.size();
  NbFit fit;
  fit.dispersion_columns = opt.dispersion_columns.empty() ? std::vector<std::size_t>{0} : opt.dispersion_columns;
  const std::vector<std::size_t>& zc = fit.dispersion_columns;
  const std::size_t q = zc.size();
  if (!offset.empty() && offset.size() != n) throw std::invalid_argument("fit_nb2: offset size differs from y");
  if (!weights.empty() && weights.size() != n) throw std::invalid_argument("fit_nb2: weights size differs from y");
  if (x.size() != n * p) throw std::invalid_argument("fit_nb2: x is not n x p");
  if (q > 16) throw std::invalid_argument("fit_nb2: more than 16 dispersion columns");
  const Problem pr{x, y, weights, offset, n, p, opt.ridge, opt.fit_alpha ? opt.dispersion_ridge : 0.0, zc};
  if (start != nullptr && start->beta.size() == p && start->dispersion_columns == zc && start->gamma.size() == q) {
    fit.beta = start->beta;
    fit.gamma = start->gamma;
  } else {
    fit.beta.assign(p, 0.0);
    double my = 0, me = 0, sw = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double wi = pr.weight(i);
      sw += wi;
      my += wi * y[i];
      me += wi * (offset.empty() ? 1.0 : std::exp(offset[i]));
    }
    my = sw > 0 ? my / sw : 0;
    me = sw > 0 ? me / sw : 1;
    fit.beta[0] = std::log(std::max(my, 1e-6) / std::max(me, 1e-12));
    fit.gamma.assign(q, 0.0);  // alpha = 1
  }
  fit.alpha = std::exp(fit.gamma[0]);
  if (n == 0) return fit;
  // Joint Newton-Raphson on theta = (beta, gamma) with the observed
  // information (quadratic convergence near the optimum, so a warm start
  // settles in 2-3 steps), Levenberg-Marquardt damping where the information
  // is not positive definite, and step halving on the penalised likelihood.
  const std::size_t d = p + (opt.fit_alpha ? q : 0);
  State cur, trial;
  pr.evaluate(fit.beta, fit.gamma, cur);
  std::vector<double> a(d * d), g(d), sys(d * d), dir(d), beta_new(p), gamma_new(q);
  for (int it = 1; it <= opt.max_iter; ++it) {
    fit.iterations = it;
    std::fill(a.begin(), a.end(), 0.0);
    std::fill(g.begin(), g.end(), 0.0);
    double hz[16];  // q <= 16 dispersion columns
    for (std::size_t i = 0; i < n; ++i) {
      const double wi = pr.weight(i);
      if (wi == 0) continue;
      const double yi = y[i], mu = cur.mu[i], r = cur.r[i], rm = r + mu;
      const double* xi = &x[i * p];
      const double u = wi * r * (yi - mu) / rm;              // d l / d eta
      const double hb = wi * (yi + r) * mu * r / (rm * rm);  // - d2 l / d eta2 (> 0)
      for (std::size_t j = 0; j < p; ++j) {
        g[j] += u * xi[j];
        const double hx = hb * xi[j];
        double* aj = &a[j * d];
        for (std::size_t k = 0; k <= j; ++k) aj[k] += hx * xi[k];
      }
      if (!opt.fit_alpha || cur.clamped[i]) continue;
      // d l / d r and d2 l / d r2; rho = log r = -gamma . z.
      double gr = cur.logr[i] - cur.lrm[i] + 1 - (r + yi) / rm;
      double hr = 1 / r - 1 / rm - (mu - yi) / (rm * rm);
      if (yi > 0) {
        gr += digamma(yi + r) - digamma(r);
        hr += trigamma(yi + r) - trigamma(r);
      }
      const double gg = -wi * r * gr;                         // d l / d gamma = gg z
      const double hg = -wi * (r * gr + r * r * hr);          // - d2 l / d gamma2 = hg z z'
      const double hc = wi * r * (yi - mu) * mu / (rm * rm);  // - d2 l / d beta d gamma' = hc x z'
      for (std::size_t k = 0; k < q; ++k) hz[k] = xi[zc[k]];
      for (std::size_t k = 0; k < q; ++k) {
        g[p + k] += gg * hz[k];
        double* ak = &a[(p + k) * d];
        for (std::size_t j = 0; j < p; ++j) ak[j] += hc * hz[k] * xi[j];
        for (std::size_t l = 0; l <= k; ++l) ak[p + l] += hg * hz[k] * hz[l];
      }
    }
    for (std::size_t j = 1; j < p; ++j) {
      g[j] -= opt.ridge * fit.beta[j];
      a[j * d + j] += opt.ridge;
    }
    if (opt.fit_alpha) {
      for (std::size_t k = 1; k < q; ++k) {
        g[p + k] -= opt.dispersion_ridge * fit.gamma[k];
        a[(p + k) * d + p + k] += opt.dispersion_ridge;
      }
    }
    for (std::size_t j = 0; j < d; ++j) {
      for (std::size_t k = 0; k < j; ++k) a[k * d + j] = a[j * d + k];
    }
    // Solve A dir = g; damp the diagonal until A is positive definite.
    bool solved = false;
    for (double tau = 0; !solved && tau < 1e12; tau = tau == 0 ? 1e-6 : tau * 10) {
      sys = a;
      for (std::size_t j = 0; j < d; ++j) sys[j * d + j] += tau * std::max(std::abs(a[j * d + j]), 1e-9) + 1e-12;
      dir = g;
      solved = cholesky_solve(sys, dir, d);
    }
    if (!solved) break;
    double dmax = 0;
    for (double v : dir) dmax = std::max(dmax, std::abs(v));
    if (dmax > 5) {
      for (double& v : dir) v *= 5 / dmax;
    }
    double step = 1.0, taken = 0;
    const double before = cur.value;
    for (int half = 0; half < 40; ++half) {
      for (std::size_t j = 0; j < p; ++j) beta_new[j] = fit.beta[j] + step * dir[j];
      for (std::size_t k = 0; k < q; ++k) gamma_new[k] = fit.gamma[k] + (opt.fit_alpha ? step * dir[p + k] : 0.0);
      pr.evaluate(beta_new, gamma_new, trial);
      if (trial.value >= cur.value - 1e-12 * (1 + std::abs(cur.value))) {
        taken = step;
        fit.beta = beta_new;
        fit.gamma = gamma_new;
        std::swap(cur, trial);
        break;
      }
      step *= 0.5;
    }
    fit.alpha = std::exp(fit.gamma[0]);
    // Converged when the step is below tol, or when the likelihood no longer
    // moves (relative change < 1e-12): where log alpha reaches its bound for
    // some rows, the surface has kinks and is flat to rounding, and Newton
    // steps can cycle between points of the same likelihood.
    if (taken * dmax < opt.tol || std::abs(cur.value - before) <= 1e-12 * (1 + std::abs(cur.value))) {
      fit.converged = true;
      break;
    }
  }
  double ll = 0;
  for (std::size_t i = 0; i < n; ++i) ll += pr.weight(i) * nb2_loglik(y[i], cur.mu[i], 1 / cur.r[i]);
  fit.loglik = ll;
  return fit;
}

}  // namespace endstate::forecast
