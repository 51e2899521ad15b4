#pragma once
// The two parts of the hurdle model (Mullahy 1986, "Specification and
// testing of some modified count data models", Journal of Econometrics
// 33(3); Cameron & Trivedi 2013, Regression Analysis of Count Data, 4.5):
// whether there is any violence, P(y > 0) by ridge logistic regression, and
// how much when there is, log y | y > 0 ~ Normal(x . c, sigma^2) with
// log sigma^2 = v . z (a lognormal severity, heteroscedastic in the area's
// level). Both fits take frequency weights (merged identical rows) and
// return the penalised maximum likelihood estimate; the intercepts are not
// penalised.

#include <cstddef>
#include <vector>

namespace endstate::forecast {

struct GlmOptions {
  double ridge = 10.0;          ///< penalty ridge/2 * |coef[1..]|^2
  double variance_ridge = 1.0;  ///< fit_lognormal: the same on the log-variance slopes v[1..]
  int max_iter = 100;
  double tol = 1e-7;  ///< on max |change| of the coefficients
};

/// Ridge logistic regression.
struct LogitFit {
  std::vector<double> beta;
  int iterations = 0;
  bool converged = false;
  /// P(y = 1) for one row of X.
  [[nodiscard]] double prob_at(const double* x) const;
};

/// Fits P(y = 1) = 1 / (1 + exp(-x . beta)) to rows of X (n x p, row-major,
/// column 0 the intercept) and outcomes y in {0, 1} by Newton-Raphson with
/// step halving; `weights` empty or one per row; `start` warm-starts.
LogitFit fit_logit(const std::vector<double>& x, const std::vector<double>& y, std::size_t p, const GlmOptions& opt,
                   const LogitFit* start = nullptr, const std::vector<double>& weights = {});

/// Normal regression with a log-linear variance: the mean coefficients by
/// weighted ridge least squares, then log sigma^2 = v . z_i (z_i the columns
/// `variance_columns` of X, column 0 first) by Fisher scoring of the normal
/// likelihood of the residuals (a gamma GLM with log link on the squared
/// residuals; Harvey 1976, "Estimating regression models with multiplicative
/// heteroscedasticity", Econometrica 44(3)), ridge opt.variance_ridge on v[1..].
struct LogNormalFit {
  std::vector<double> beta;  ///< mean of log y
  std::vector<std::size_t> variance_columns;
  std::vector<double> v;  ///< log variance coefficients
  [[nodiscard]] double mean_at(const double* x) const;
  [[nodiscard]] double sd_at(const double* x) const;
};

LogNormalFit fit_lognormal(const std::vector<double>& x, const std::vector<double>& log_y, std::size_t p,
                           const GlmOptions& opt, const std::vector<std::size_t>& variance_columns,
                           const std::vector<double>& weights = {});

/// A fitted hurdle model for one horizon.
struct HurdleFit {
  LogitFit any;           ///< P(y > 0)
  LogNormalFit size;      ///< log y given y > 0
  bool has_size = false;  ///< false when the training rows had no y > 0 (then every draw is 0)
};

}  // namespace endstate::forecast
