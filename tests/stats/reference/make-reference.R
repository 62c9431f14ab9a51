# Reference values for src/stats, computed with base R only.
#
#   cd tests/stats/reference && Rscript make-reference.R
#
# Writes CSVs (all numbers as sprintf('%.17g'), so inputs round-trip exactly and outputs
# carry full double precision). The TypeScript tests read these files; R is not needed
# at test time. Re-run only when the grid changes.

f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
out <- function(df, file) {
  df[] <- lapply(df, function(col) if (is.numeric(col)) f17(col) else col)
  write.csv(df, file, row.names = FALSE, quote = FALSE)
  cat(sprintf("%-22s %5d rows\n", file, nrow(df)))
}
confs <- c(0.9, 0.95, 0.99)

# --- qnorm --------------------------------------------------------------------------
p <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05,
       0.075, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.925, 0.95, 0.975, 0.99,
       0.995, 0.999, 0.9995, 1 - 1e-10, (1 + confs) / 2)
out(data.frame(p = p, q = qnorm(p)), "qnorm.csv")

# --- qt -----------------------------------------------------------------------------
tp <- c(0.0005, 0.005, 0.025, 0.05, 0.1, 0.25, 0.4, 0.6, 0.75, 0.9, 0.95, 0.975,
        0.995, 0.9995)
tdf <- c(1:60, 0.5, 1.5, 2.5, 7.25, 75, 100, 120, 200, 500, 1000, 1e4, 1e5, 1e6, 1e7)
g <- expand.grid(p = tp, df = tdf)
g$q <- qt(g$p, g$df)
out(g, "qt.csv")

# --- qchisq -------------------------------------------------------------------------
cp <- c(0, 1e-10, 0.0005, 0.005, 0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975, 0.995, 0.9995)
cdf <- c(0, 0.1, 0.5, 1, 1.5, 2, 2.7, 3, 4, 5, 7.3, 10, 20, 30.5, 50, 100, 100.25,
         200, 402, 1000, 20000, 200002)
g <- expand.grid(p = cp, df = cdf)
g$q <- qchisq(g$p, g$df)
out(g, "qchisq.csv")

# --- Wilson (prop.test without continuity correction) -------------------------------
ns <- c(1, 2, 3, 5, 10, 20, 37, 50, 100, 250, 1000, 12345, 1e5, 1e6)
rows <- list()
for (n in ns) {
  ks <- unique(c(0, 1, 2, 3, round(n * c(0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99)), n - 1, n))
  ks <- ks[ks >= 0 & ks <= n]
  for (k in ks) rows[[length(rows) + 1]] <- c(k, n)
}
# non-integer counts (Jahresdurchschnitte)
rows <- c(rows, list(c(2.5, 10), c(0.4, 3), c(17.75, 120), c(1234.5, 1e6), c(0.5, 1),
                     c(99.5, 100)))
rows <- do.call(rbind, rows)
w <- NULL
for (cf in confs) {
  ci <- t(apply(rows, 1, function(r)
    suppressWarnings(prop.test(r[1], r[2], correct = FALSE, conf.level = cf)$conf.int)))
  w <- rbind(w, data.frame(k = rows[, 1], n = rows[, 2], conf = cf, low = ci[, 1], high = ci[, 2]))
}
out(w, "wilson.csv")

# --- exact Poisson (Garwood) --------------------------------------------------------
pk <- c(0:200, 250, 500, 1000, 5000, 10000, 50000, 100000)
w <- NULL
for (cf in confs) {
  ci <- t(sapply(pk, function(k) poisson.test(k, conf.level = cf)$conf.int))
  w <- rbind(w, data.frame(k = pk, conf = cf, low = ci[, 1], high = ci[, 2]))
}
out(w, "poisson.csv")
# non-integer k: poisson.test refuses, the same gamma formula it uses
nk <- c(0.5, 1.25, 2.5, 7.75, 33.3, 1000.5)
w <- NULL
for (cf in confs) {
  a <- (1 - cf) / 2
  w <- rbind(w, data.frame(k = nk, conf = cf, low = qgamma(a, nk), high = qgamma(1 - a, nk + 1)))
}
out(w, "poisson_nonint.csv")

# --- weighted trend (lm with weights + confint) --------------------------------------
set.seed(20240601)
pts <- NULL
fits <- NULL
ncase <- 32
for (case in 1:ncase) {
  n <- if (case == ncase) 2 else sample(3:12, 1)
  years <- sort(sample(2013:2024, n))
  base <- runif(1, 5, 300)                      # rate per 1,000
  slope <- rnorm(1, 0, base * 0.03)
  den <- round(runif(n, 40, 6000))              # denominators as weights
  y <- pmax(0, base + slope * (years - 2019) + rnorm(n, 0, base * 0.08))
  w <- den
  if (case %% 11 == 0) w[1] <- 0                # a zero weight does not count
  pts <- rbind(pts, data.frame(case = case, x = years, y = y, w = w))
  fit <- lm(y ~ x, weights = w, data = data.frame(x = years, y = y, w = w))
  for (cf in confs) {
    ci <- suppressWarnings(confint(fit, level = cf))
    se <- if (fit$df.residual > 0) summary(fit)$coefficients[2, 2] else NA
    fits <- rbind(fits, data.frame(case = case, conf = cf, slope = coef(fit)[[2]],
      intercept = coef(fit)[[1]], se = se, df = fit$df.residual,
      low = if (fit$df.residual > 0) ci[2, 1] else NA, high = if (fit$df.residual > 0) ci[2, 2] else NA))
  }
}
out(pts, "trend_points.csv")
out(fits, "trend_fit.csv")
cat(R.version.string, "\n")
