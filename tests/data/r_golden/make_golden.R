#!/usr/bin/env Rscript
# Golden tables for modmap's per-gene tests, computed by R's own stats package.
#
# Regenerate (R is needed only for this; the product and the tests do not need R):
#   cd tests/data/r_golden && Rscript make_golden.R
#
# Writes, next to this script:
#   wilcox_unpaired.tsv  wilcox.test(x, y)                   (exact = NULL, correct = TRUE)
#   wilcox_paired.tsv    wilcox.test(x, y, paired = TRUE)    (exact = NULL, correct = TRUE)
#   t_test.tsv           t.test(x, y) and t.test(x, y, paired = TRUE)
# One row per case. Values are written with sprintf("%.17g") so that they read back as the
# very same doubles; missing values are "NA"; vectors are joined by ";".
# Column `exact`: TRUE when R used the exact null distribution (read from R's own `method`
# string, and cross-checked against R's rule: n < 50 for every group and, for the rank tests,
# no ties (and no zero differences when paired)).

set.seed(20240611)

num <- function(v) paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ";")
one <- function(v) if (is.null(v) || is.na(v)) "NA" else sprintf("%.17g", v)
RVERSION <- R.version.string

write_golden <- function(path, rows, what) {
  df <- do.call(rbind, lapply(rows, as.data.frame, stringsAsFactors = FALSE))
  header <- c(
    sprintf("# %s: golden values from %s", path, RVERSION),
    sprintf("# %s", what),
    "# Made by tests/data/r_golden/make_golden.R (set.seed(20240611)); do not edit by hand.",
    "# Vectors are ';'-joined, numbers sprintf('%.17g'), missing = NA."
  )
  body <- c(
    paste(names(df), collapse = "\t"),
    apply(df, 1, function(r) paste(trimws(r), collapse = "\t"))
  )
  writeLines(c(header, body), path)
}

# ---------------------------------------------------------------------------------------------
# Unpaired: wilcox.test(x, y)
# ---------------------------------------------------------------------------------------------
unpaired <- list()
add_u <- function(id, x, y) unpaired[[length(unpaired) + 1]] <<- list(id = id, x = x, y = y)

add_u("u_3x3", rnorm(3), rnorm(3))
add_u("u_5x7", rnorm(5), rnorm(7, 0.5))
add_u("u_10x12", rnorm(10, 1), rnorm(12))
add_u("u_49x49_exact", rnorm(49, 0.3), rnorm(49))
add_u("u_49x50_asymptotic", rnorm(49, 0.3), rnorm(50))
add_u("u_50x49_asymptotic", rnorm(50), rnorm(49, 0.2))
add_u("u_50x50_asymptotic", rnorm(50), rnorm(50, 0.4))
add_u("u_30x70_asymptotic", rnorm(30, 0.5), rnorm(70))
add_u("u_60x45_asymptotic", rnorm(60), rnorm(45, -0.3))
add_u("u_1x4_exact", rnorm(1), rnorm(4))
add_u("u_2x2_exact", rnorm(2), rnorm(2))
add_u("u_2x6_exact", rnorm(2, 2), rnorm(6))
add_u("u_center_exact_p1", c(1, 4), c(2, 3))
add_u("u_ties_6x8", round(rnorm(6), 1), round(rnorm(8), 1))
add_u("u_ties_heavy_15x12", as.numeric(sample(1:3, 15, TRUE)), as.numeric(sample(1:4, 12, TRUE)))
add_u("u_ties_center_p1", c(1, 2, 2, 3), c(1, 2, 2, 3))
add_u("u_ties_single_pair", c(0.5, 1.5, 2.5), c(1.5, 3.5, 4.5, 5.5))
add_u("u_ties_49x49", round(rnorm(49), 1), round(rnorm(49, 0.3), 1))
add_u("u_ties_60x60", round(rnorm(60), 0), round(rnorm(60, 0.5), 0))
add_u("u_constant_vs_shifted", rep(1, 5), rep(2, 6))
add_u("u_constant_vs_shifted_down", rep(3.25, 4), rep(7, 4))
add_u("u_all_equal_nan", rep(2, 4), rep(2, 5))
add_u("u_na_exact", c(rnorm(4), NA, rnorm(2)), c(NA, rnorm(5), NA))
add_u("u_na_ties", c(1, NA, 2, 2, 5, 7), c(3, 2, NA, NA, 8, 1, 9))
add_u("u_sep_5x5_up", 10 + 1:5, 1:5)
add_u("u_sep_5x5_down", 1:5, 10 + 1:5)
add_u("u_sep_49x49_up", 100 + rnorm(49), rnorm(49))
add_u("u_sep_49x49_down", rnorm(49), 100 + rnorm(49))
add_u("u_sep_48x49_up", 100 + rnorm(48), rnorm(49))
add_u("u_sep_50x50_up", 100 + rnorm(50), rnorm(50))
add_u("u_sep_200x200_up", 100 + rnorm(200), rnorm(200))
add_u("u_near_sep_20x25", c(rnorm(19, 10), -5), rnorm(25))
add_u("u_large_magnitude", 1e8 + rnorm(6), 1e8 + rnorm(7))
add_u("u_tiny_values", 1e-12 * rnorm(6), 1e-12 * rnorm(5))
for (i in 1:30) {
  nx <- sample(3:25, 1); ny <- sample(3:25, 1)
  add_u(sprintf("u_rand_%02d", i), rnorm(nx, runif(1, -1, 1)), rnorm(ny))
}
for (i in 1:20) {
  nx <- sample(3:30, 1); ny <- sample(3:30, 1)
  add_u(sprintf("u_rand_ties_%02d", i), round(rnorm(nx, runif(1, -1, 1)), 1), round(rnorm(ny), 1))
}

u_rows <- lapply(unpaired, function(cs) {
  r <- suppressWarnings(wilcox.test(cs$x, cs$y))
  x <- cs$x[!is.na(cs$x)]; y <- cs$y[!is.na(cs$y)]
  pooled <- c(x, y)
  rule_exact <- length(x) < 50 && length(y) < 50 && !any(duplicated(pooled))
  r_exact <- grepl("exact", r$method)
  stopifnot(identical(rule_exact, r_exact))
  list(
    case_id = cs$id, test = "wilcox_unpaired", n_x = length(x), n_y = length(y),
    x = num(cs$x), y = num(cs$y), statistic = one(unname(r$statistic)),
    p_value = one(r$p.value), exact = r_exact, r_method = r$method, r_version = RVERSION
  )
})
write_golden("wilcox_unpaired.tsv", u_rows, "wilcox.test(x, y) with defaults (two-sided, exact = NULL, correct = TRUE)")

# ---------------------------------------------------------------------------------------------
# Paired: wilcox.test(x, y, paired = TRUE)
# ---------------------------------------------------------------------------------------------
paired <- list()
add_p <- function(id, x, y) {
  stopifnot(length(x) == length(y))
  paired[[length(paired) + 1]] <<- list(id = id, x = x, y = y)
}
pair_shift <- function(n, shift, sd = 1) { y <- rnorm(n); list(x = y + rnorm(n, shift, sd), y = y) }
addp <- function(id, xy) add_p(id, xy$x, xy$y)

addp("p_3_exact", pair_shift(3, 0.5))
addp("p_5_exact", pair_shift(5, 0.5))
addp("p_10_exact", pair_shift(10, 0.5))
addp("p_20_exact", pair_shift(20, -0.3))
addp("p_49_exact", pair_shift(49, 0.3))
addp("p_50_asymptotic", pair_shift(50, 0.3))
addp("p_80_asymptotic", pair_shift(80, -0.2))
addp("p_1_exact", pair_shift(1, 0))
addp("p_2_exact", pair_shift(2, 0))
add_p("p_center_exact_p1", c(2, 4, 1), c(1, 2, 4))  # d = 1, 2, -3: V = 3 = n(n + 1) / 4
add_p("p_zero_small", c(1, 2, 3, 4, 5, 6), c(1, 1.5, 2, 4, 3, 7))
add_p("p_zero_ties", c(5, 5, 6, 7, 2, 9, 4), c(5, 4, 5, 5, 4, 6, 4))
add_p("p_ties_absd", c(3, 1, 5, 2, 7, 6, 10, 4), c(2, 2, 3, 4, 4, 9, 7, 4.5))
add_p("p_ties_center_p1", c(1, 3, 5, 7), c(2, 2, 6, 6))
add_p("p_all_zero_nan", c(1, 2, 3, 4), c(1, 2, 3, 4))
add_p("p_one_nonzero", c(1, 2, 3, 4), c(1, 2, 3, 5))
local({
  xy <- pair_shift(50, 0.4); xy$x[7] <- xy$y[7]       # 49 non-zero, one zero -> asymptotic
  addp("p_50pairs_1zero_asymptotic", xy)
})
local({
  xy <- pair_shift(30, 0.4); xy$x[c(3, 9)] <- xy$y[c(3, 9)]
  addp("p_30pairs_2zero_asymptotic", xy)
})
local({
  y <- rnorm(25); d <- sample(c(-3, -2, -1, 1, 2, 3), 25, TRUE)
  add_p("p_ties_25", y + d, y)                           # |d| ties; y + d - y may not equal d
})
local({
  d <- round(rnorm(49, 0.3), 1); d[d == 0] <- 0.05
  add_p("p_ties_49_dyadic", d, rep(0, 49))
})
add_p("p_na_exact", c(rnorm(3), NA, rnorm(3), 1), c(rnorm(5), 2, rnorm(1), NA))
add_p("p_na_zero", c(1, NA, 3, 4, 6, 2, 8), c(1, 5, NA, 2, 2, 3, 5))
local({ y <- rnorm(49); add_p("p_sep_49_up", y + 10 + runif(49), y) })
local({ y <- rnorm(49); add_p("p_sep_49_down", y, y + 10 + runif(49)) })
local({ y <- rnorm(12); add_p("p_sep_12_up", y + 5 + runif(12), y) })
local({ y <- rnorm(50); add_p("p_sep_50_up", y + 10 + runif(50), y) })
local({ y <- rnorm(300); add_p("p_sep_300_up", y + 10 + runif(300), y) })
for (i in 1:20) addp(sprintf("p_rand_%02d", i), pair_shift(sample(3:40, 1), runif(1, -1, 1)))
for (i in 1:15) {
  n <- sample(4:40, 1)
  add_p(sprintf("p_rand_ties_%02d", i), round(rnorm(n, runif(1, -1, 1)), 1), round(rnorm(n), 1))
}

p_rows <- lapply(paired, function(cs) {
  r <- suppressWarnings(wilcox.test(cs$x, cs$y, paired = TRUE))
  ok <- complete.cases(cs$x, cs$y)
  d <- cs$x[ok] - cs$y[ok]
  nz <- d[d != 0]
  rule_exact <- length(nz) < 50 && !any(d == 0) && !any(duplicated(abs(nz)))
  r_exact <- grepl("exact", r$method)
  stopifnot(identical(rule_exact, r_exact))
  list(
    case_id = cs$id, test = "wilcox_paired", n_pairs = sum(ok), n_nonzero = length(nz),
    x = num(cs$x), y = num(cs$y), statistic = one(unname(r$statistic)),
    p_value = one(r$p.value), exact = r_exact, r_method = r$method, r_version = RVERSION
  )
})
write_golden("wilcox_paired.tsv", p_rows, "wilcox.test(x, y, paired = TRUE) with defaults (two-sided, exact = NULL, correct = TRUE)")

# ---------------------------------------------------------------------------------------------
# t-tests: t.test(x, y) (Welch) and t.test(x, y, paired = TRUE)
# ---------------------------------------------------------------------------------------------
tt <- list()
add_t <- function(id, test, x, y) tt[[length(tt) + 1]] <<- list(id = id, test = test, x = x, y = y)

add_t("w_3x3", "welch", rnorm(3), rnorm(3))
add_t("w_2x2", "welch", rnorm(2), rnorm(2))
add_t("w_5x7_unequal_var", "welch", rnorm(5, 1, 3), rnorm(7, 0, 0.5))
add_t("w_10x12", "welch", rnorm(10, 1), rnorm(12))
add_t("w_50x60", "welch", rnorm(50, 0.2), rnorm(60))
add_t("w_na", "welch", c(rnorm(4), NA, 3), c(NA, rnorm(5)))
add_t("w_sep", "welch", 100 + rnorm(8, 0, 0.1), rnorm(9, 0, 0.1))
add_t("w_sep_huge", "welch", 1000 + rnorm(30, 0, 0.01), rnorm(30, 0, 0.01))
add_t("w_one_group_constant", "welch", rep(2, 4), rnorm(5))
add_t("w_large_magnitude", "welch", 1e6 + rnorm(6), 1e6 + rnorm(6))
add_t("w_constant_error", "welch", rep(1, 3), rep(1, 4))
for (i in 1:15) add_t(sprintf("w_rand_%02d", i), "welch",
                      rnorm(sample(3:30, 1), runif(1, -1, 1), runif(1, 0.3, 3)),
                      rnorm(sample(3:30, 1), 0, runif(1, 0.3, 3)))
local({ y <- rnorm(3); add_t("t_paired_3", "paired", y + rnorm(3, 1), y) })
local({ y <- rnorm(12); add_t("t_paired_12", "paired", y + rnorm(12, 0.4), y) })
local({ y <- rnorm(60); add_t("t_paired_60", "paired", y + rnorm(60, -0.2), y) })
add_t("t_paired_na", "paired", c(1.2, NA, 3.1, 4.4, 2.0, 6.5), c(1.0, 2.0, NA, 3.9, 2.2, 5.1))
add_t("t_paired_constant_error", "paired", c(2, 3, 4, 5), c(1, 2, 3, 4))
local({ y <- rnorm(20); add_t("t_paired_sep", "paired", y + 50 + rnorm(20, 0, 0.01), y) })
for (i in 1:10) local({
  n <- sample(3:30, 1); y <- rnorm(n)
  add_t(sprintf("t_paired_rand_%02d", i), "paired", y + rnorm(n, runif(1, -1, 1)), y)
})

t_rows <- lapply(tt, function(cs) {
  r <- tryCatch(t.test(cs$x, cs$y, paired = cs$test == "paired"), error = function(e) e)
  err <- inherits(r, "error")
  list(
    case_id = cs$id, test = cs$test,
    x = num(cs$x), y = num(cs$y),
    statistic = if (err) "NA" else one(unname(r$statistic)),
    df = if (err) "NA" else one(unname(r$parameter)),
    p_value = if (err) "NA" else one(r$p.value),
    r_method = if (err) paste("error:", conditionMessage(r)) else r$method,
    r_version = RVERSION
  )
})
write_golden("t_test.tsv", t_rows, "t.test(x, y) (Welch, var.equal = FALSE) and t.test(x, y, paired = TRUE); two-sided; R errors recorded in r_method")
