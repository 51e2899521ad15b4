#pragma once
// Negative binomial (NB2) regression: Var(y) = mu + alpha mu^2, log link.
// Coefficients by iteratively reweighted least squares (Fisher scoring;
// McCullagh & Nelder 1989, Generalized Linear Models, ch. 2) with an L2
// (ridge) penalty on the slopes, solved by a small dense Cholesky; the
// dispersion by Newton steps on log(1/alpha) of the profile log-likelihood
// (Cameron & Trivedi 2013, Regression Analysis of Count Data, 2nd ed., 3.3),
// alternating with the IRLS steps until both settle. Step halving keeps the
// penalised log-likelihood from decreasing. Optionally the dispersion itself
// depends on covariates, log alpha_i = gamma . z_i with z_i a subset of the
// columns of X (the NB-H model of Cameron & Trivedi 2013, 3.3.3), fitted by
// Newton steps on gamma.

#include <cstddef>
#include <vector>

namespace endstate::forecast {

/// Digamma psi(x) for x > 0 (recurrence to x >= 10, then the asymptotic series).
double digamma(double x);
/// Trigamma psi'(x) for x > 0.
double trigamma(double x);

/// NB2 log-likelihood of one count y with mean mu and dispersion alpha > 0.
double nb2_loglik(double y, double mu, double alpha);

/// Solves A x = b in place for symmetric positive definite A (p x p,
/// row-major); b becomes x. False when A is not positive definite.
bool cholesky_solve(std::vector<double>& a, std::vector<double>& b, std::size_t p);

struct NbFitOptions {
  double ridge = 1.0;     ///< penalty ridge/2 * |beta[1..]|^2 (intercept unpenalised)
  int max_iter = 100;
  double tol = 1e-7;      ///< on max |change| of beta and log(1/alpha)
  bool fit_alpha = true;  ///< false: keep alpha at its start value (Poisson-like when tiny)
  /// Columns of X that enter log alpha (must include 0, the intercept);
  /// empty = {0}, one alpha for every row.
  std::vector<std::size_t> dispersion_columns;
};

struct NbFit {
  std::vector<double> beta;
  double alpha = 1.0;  ///< exp(gamma[0]): the dispersion where the other z are 0
  std::vector<std::size_t> dispersion_columns;  ///< as in the options ({0} when constant)
  std::vector<double> gamma;  ///< log alpha = sum gamma[k] * x[dispersion_columns[k]]
  /// Mean exp(offset + x . beta) (eta clamped to +-25) and dispersion of one row of X.
  [[nodiscard]] double mean_at(const double* x, double offset = 0) const;
  [[nodiscard]] double alpha_at(const double* x) const;
  int iterations = 0;
  bool converged = false;
  double loglik = 0;  ///< unpenalised log-likelihood at the estimate
};

/// Fits NB2 to rows of X (n x p, row-major; column 0 is the intercept) and
/// counts y. `start` (same p and dispersion columns) warm-starts beta and
/// gamma, otherwise beta = (log mean y, 0, ...) and alpha = 1.
/// `offset` (empty, or one per row) enters the linear predictor with
/// coefficient 1: log mu_i = offset_i + x_i . beta.
NbFit fit_nb2(const std::vector<double>& x, const std::vector<double>& y, std::size_t p, const NbFitOptions& opt,
              const NbFit* start = nullptr, const std::vector<double>& offset = {});

}  // namespace endstate::forecast
