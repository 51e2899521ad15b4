#!/usr/bin/env Rscript
# Writes the regression reference cases of the forecast module:
#   tests/cases/forecast/nb2_glm_nb_data.csv  (400 simulated rows)
#   tests/cases/forecast/nb2_glm_nb_fits.csv  (MASS::glm.nb estimates)
#   tests/cases/forecast/hurdle_glm_fits.csv  (glm binomial, lm, glm Gamma(log))
# Run once from the repository root: Rscript scripts/nb_reference.R
# (Debian: apt-get install r-cran-mass). The test
# tests/unit/forecast/nb_reference_test.cpp fits the same data with
# endstate::forecast::fit_nb2 / fit_logit / fit_lognormal and compares. Regenerating changes nothing
# unless R's RNG or MASS change; the files record the versions used.
suppressPackageStartupMessages(library(MASS))
set.seed(20240601)
n <- 400
x1 <- round(runif(n, -1, 1), 6)
x2 <- as.numeric(runif(n) < 0.3)
x3 <- round(rnorm(n), 6)
offset <- round(log(runif(n, 0.5, 2)), 6)
weight <- sample(1:3, n, replace = TRUE)
mu <- exp(0.5 + 0.8 * x1 - 0.6 * x2 + 0.3 * x3 + offset)
y <- rnbinom(n, mu = mu, size = 1.5)
d <- data.frame(y, x1, x2, x3, offset, weight)

dir <- file.path("tests", "cases", "forecast")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
versions <- sprintf("%s, MASS %s", R.version.string, as.character(packageVersion("MASS")))

data_file <- file.path(dir, "nb2_glm_nb_data.csv")
con <- file(data_file, "w")
writeLines(c(
  "# Data of the NB2 reference fits in nb2_glm_nb_fits.csv: 400 rows simulated by",
  "# scripts/nb_reference.R (set.seed(20240601); y ~ rnbinom(mu = exp(0.5 + 0.8 x1 - 0.6 x2",
  "# + 0.3 x3 + offset), size = 1.5); weight = frequency weight 1..3.",
  paste0("# Generated with ", versions, ".")), con)
write.csv(d, con, row.names = FALSE, quote = FALSE)
close(con)

ctl <- glm.control(epsilon = 1e-12, maxit = 200)
fits <- list(
  plain = glm.nb(y ~ x1 + x2 + x3, data = d, control = ctl),
  offset = glm.nb(y ~ x1 + x2 + x3 + offset(offset), data = d, control = ctl),
  weighted = glm.nb(y ~ x1 + x2 + x3 + offset(offset), data = d, weights = weight, control = ctl),
  intercept = glm.nb(y ~ 1, data = d, control = ctl)
)
rows <- character(0)
for (name in names(fits)) {
  f <- fits[[name]]
  co <- coef(f)
  for (term in names(co)) rows <- c(rows, sprintf("%s,%s,%.15g", name, term, co[[term]]))
  rows <- c(rows, sprintf("%s,theta,%.15g", name, f$theta))
  rows <- c(rows, sprintf("%s,loglik,%.15g", name, f$twologlik / 2))
}
# The hurdle model's parts on the same data: P(y > 0) by logistic regression
# (glm, binomial), log y | y > 0 by least squares (lm), and the log-variance
# regression of the squared residuals by a gamma GLM with log link, whose
# estimating equations are those of the normal likelihood of the residuals.
pos <- d[d$y > 0, ]
lin <- lm(log(y) ~ x1 + x2 + x3, data = pos)
pos$r2 <- residuals(lin)^2
hurdle <- list(
  logit = glm(I(y > 0) ~ x1 + x2 + x3, family = binomial, data = d, control = ctl),
  lognormal_mean = lin,
  lognormal_logvar = glm(r2 ~ x1 + x3, family = Gamma(link = "log"), data = pos, control = ctl)
)
hrows <- character(0)
for (name in names(hurdle)) {
  co <- coef(hurdle[[name]])
  for (term in names(co)) hrows <- c(hrows, sprintf("%s,%s,%.15g", name, term, co[[term]]))
}
hurdle_file <- file.path(dir, "hurdle_glm_fits.csv")
writeLines(c(
  "# Reference fits of the hurdle model's parts on nb2_glm_nb_data.csv (unweighted):",
  "# logit = glm(I(y > 0) ~ x1 + x2 + x3, binomial); lognormal_mean = lm(log(y) ~ x1 + x2 + x3)",
  "# over y > 0; lognormal_logvar = glm(residual^2 ~ x1 + x3, Gamma(link = \"log\")) over y > 0.",
  paste0("# Source: scripts/nb_reference.R, run with ", versions, "."),
  "# Tolerance (nb_reference_test.cpp): 1e-6 absolute.",
  "case,term,value",
  hrows), hurdle_file)

fit_file <- file.path(dir, "nb2_glm_nb_fits.csv")
writeLines(c(
  "# Reference NB2 fits: MASS::glm.nb (maximum likelihood; theta = 1/alpha; loglik = twologlik / 2,",
  "# with the lgamma(y + 1) terms) on nb2_glm_nb_data.csv, glm.control(epsilon = 1e-12, maxit = 200).",
  "# Cases: plain = y ~ x1 + x2 + x3; offset = + offset(offset); weighted = the same with",
  "# weights = weight (frequency weights); intercept = y ~ 1.",
  paste0("# Source: scripts/nb_reference.R, run with ", versions, "."),
  "# Tolerance (nb_reference_test.cpp): coefficients and log(theta) 1e-6 absolute,",
  "# log-likelihood 1e-9 relative.",
  "case,term,value",
  rows), fit_file)
cat("wrote", data_file, fit_file, hurdle_file, "\n")
