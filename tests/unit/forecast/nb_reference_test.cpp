// fit_nb2 against R's MASS::glm.nb, and the hurdle model's fit_logit and
// fit_lognormal against R's glm (binomial), lm and glm (Gamma, log link), on
// a fixed dataset: the reference values in tests/cases/forecast/*_fits.csv
// were produced once by scripts/nb_reference.R (the file headers name the R
// and MASS versions and the tolerances used here).
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/forecast/hurdle.hpp"
#include "endstate/forecast/nb.hpp"
#include "test_config.hpp"

namespace endstate::forecast {
namespace {

/// Non-comment lines of a case file, header first, split at commas.
std::vector<std::vector<std::string>> read_case(const std::string& name) {
  const auto path = testing::source_dir() / "tests" / "cases" / "forecast" / name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    rows.push_back(std::move(f));
  }
  return rows;
}

struct Data {
  std::vector<double> y, x1, x2, x3, offset, weight;
};

Data read_data() {
  const auto rows = read_case("nb2_glm_nb_data.csv");
  Data d;
  EXPECT_EQ(rows.at(0), (std::vector<std::string>{"y", "x1", "x2", "x3", "offset", "weight"}));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    d.y.push_back(std::stod(rows[i].at(0)));
    d.x1.push_back(std::stod(rows[i].at(1)));
    d.x2.push_back(std::stod(rows[i].at(2)));
    d.x3.push_back(std::stod(rows[i].at(3)));
    d.offset.push_back(std::stod(rows[i].at(4)));
    d.weight.push_back(std::stod(rows[i].at(5)));
  }
  return d;
}

// case -> term -> value
std::map<std::string, std::map<std::string, double>> read_fits(const std::string& file = "nb2_glm_nb_fits.csv") {
  const auto rows = read_case(file);
  std::map<std::string, std::map<std::string, double>> out;
  EXPECT_EQ(rows.at(0), (std::vector<std::string>{"case", "term", "value"}));
  for (std::size_t i = 1; i < rows.size(); ++i) out[rows[i].at(0)][rows[i].at(1)] = std::stod(rows[i].at(2));
  return out;
}

void check(const std::string& name, const NbFit& f, const std::vector<std::string>& terms,
           const std::map<std::string, double>& ref) {
  ASSERT_TRUE(f.converged) << name;
  ASSERT_EQ(f.beta.size(), terms.size());
  for (std::size_t j = 0; j < terms.size(); ++j)
    EXPECT_NEAR(f.beta[j], ref.at(terms[j]), 1e-6) << name << " " << terms[j];
  EXPECT_NEAR(-std::log(f.alpha), std::log(ref.at("theta")), 1e-6) << name << " theta";
  EXPECT_NEAR(f.loglik, ref.at("loglik"), 1e-9 * std::abs(ref.at("loglik"))) << name << " loglik";
}

TEST(NbReference, MatchesMassGlmNb) {
  const Data d = read_data();
  const auto ref = read_fits();
  ASSERT_EQ(d.y.size(), 400u);
  ASSERT_EQ(ref.size(), 4u);
  const std::size_t n = d.y.size();
  std::vector<double> x(n * 4), ones(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    x[i * 4] = 1;
    x[i * 4 + 1] = d.x1[i];
    x[i * 4 + 2] = d.x2[i];
    x[i * 4 + 3] = d.x3[i];
  }
  NbFitOptions o;
  o.ridge = 0;  // maximum likelihood, as glm.nb
  o.tol = 1e-10;
  const std::vector<std::string> terms{"(Intercept)", "x1", "x2", "x3"};
  check("plain", fit_nb2(x, d.y, 4, o), terms, ref.at("plain"));
  check("offset", fit_nb2(x, d.y, 4, o, nullptr, d.offset), terms, ref.at("offset"));
  check("weighted", fit_nb2(x, d.y, 4, o, nullptr, d.offset, d.weight), terms, ref.at("weighted"));
  check("intercept", fit_nb2(ones, d.y, 1, o), {"(Intercept)"}, ref.at("intercept"));
}

TEST(NbReference, HurdlePartsMatchGlmAndLm) {
  const Data d = read_data();
  const auto ref = read_fits("hurdle_glm_fits.csv");
  const std::size_t n = d.y.size();
  std::vector<double> x, any, xp, log_y;
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<double> row{1, d.x1[i], d.x2[i], d.x3[i]};
    x.insert(x.end(), row.begin(), row.end());
    any.push_back(d.y[i] > 0 ? 1 : 0);
    if (d.y[i] > 0) {
      xp.insert(xp.end(), row.begin(), row.end());
      log_y.push_back(std::log(d.y[i]));
    }
  }
  GlmOptions o;
  o.ridge = 0;
  o.variance_ridge = 0;
  o.tol = 1e-12;
  const std::vector<std::string> terms{"(Intercept)", "x1", "x2", "x3"};
  const LogitFit lg = fit_logit(x, any, 4, o);
  ASSERT_TRUE(lg.converged);
  for (std::size_t j = 0; j < 4; ++j) EXPECT_NEAR(lg.beta[j], ref.at("logit").at(terms[j]), 1e-6) << terms[j];
  const LogNormalFit ln = fit_lognormal(xp, log_y, 4, o, {0, 1, 3});
  for (std::size_t j = 0; j < 4; ++j) {
    EXPECT_NEAR(ln.beta[j], ref.at("lognormal_mean").at(terms[j]), 1e-6) << terms[j];
  }
  const std::vector<std::string> vterms{"(Intercept)", "x1", "x3"};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_NEAR(ln.v[k], ref.at("lognormal_logvar").at(vterms[k]), 1e-6) << vterms[k];
  }
}

}  // namespace
}  // namespace endstate::forecast
