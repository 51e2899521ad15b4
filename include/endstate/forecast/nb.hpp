#pragma once
// Negative binomial (NB2) regression: Var(y) = mu + alpha mu^2, log link.
// Penalised maximum likelihood by Newton-Raphson on all parameters at once
// (the slopes beta and the dispersion coefficients gamma) with the observed
// information, so that a warm start from a nearby fit settles in 2-4 steps;
// where the information is not positive definite the diagonal is damped
// (Levenberg-Marquardt), and step halving keeps the penalised log-likelihood
// from decreasing. An L2 (ridge) penalty pulls the slopes (not the
// intercept) to 0. The dispersion may depend on covariates,
// log alpha_i = gamma . z_i with z_i a subset of the columns of X (the NB-H
// model of Cameron & Trivedi 2013, Regression Analysis of Count Data, 2nd
// ed., 3.3.3); one alpha for all rows is the case z = {intercept}. Rows carry
// optional frequency weights, so identical rows can be merged.

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
  double ridge = 1.0;  ///< penalty ridge/2 * |beta[1..]|^2 (intercept unpenalised)
  int max_iter = 100;
  double tol = 1e-7;      ///< on max |change| of beta and log(1/alpha)
  bool fit_alpha = true;  ///< false: keep alpha at its start value (Poisson-like when tiny)
  /// Columns of X that enter log alpha (must include 0, the intercept);
  /// empty = {0}, one alpha for every row.
  std::vector<std::size_t> dispersion_columns;
  /// Penalty dispersion_ridge/2 * |gamma[1..]|^2 on the dispersion slopes.
  /// Without it the estimate need not exist: where log alpha reaches its
  /// bound for the busiest rows, the likelihood can keep rising as a slope
  /// runs to infinity.
  double dispersion_ridge = 0.0;
};

struct NbFit {
  std::vector<double> beta;
  double alpha = 1.0;                           ///< exp(gamma[0]): the dispersion where the other z are 0
  std::vector<std::size_t> dispersion_columns;  ///< as in the options ({0} when constant)
  std::vector<double> gamma;                    ///< log alpha = sum gamma[k] * x[dispersion_columns[k]]
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
/// `weights` (empty, or one per row) are frequency weights: a row with weight
/// k counts as k identical rows (so duplicate rows can be merged).
NbFit fit_nb2(const std::vector<double>& x, const std::vector<double>& y, std::size_t p, const NbFitOptions& opt,
              const NbFit* start = nullptr, const std::vector<double>& offset = {},
              const std::vector<double>& weights = {});

}  // namespace endstate::forecast
