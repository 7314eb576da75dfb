#!/usr/bin/env Rscript
# Golden tables for modmap's longitudinal stage, computed by R's own stats and survival packages.
#
# Regenerate (R is needed only for this; the product and the tests do not need R):
#   cd tests/data/r_golden_longitudinal && Rscript make_golden.R
#
# Writes, next to this script (inputs as the workflow reads them, and R's answers):
#   analytes_input.tsv     long analyte table: subject_id, visit, analyte, value, arm
#   analytes_expected.tsv  per analyte and arm, M6 vs D1 within subjects:
#                          t.test(M6, D1, paired = TRUE) and wilcox.test(M6, D1, paired = TRUE)
#   labs_input.tsv         clinical-style wide table: subject_id, visit, arm, saa, crp
#   labs_summary.tsv       per variable, arm and visit: n, median, q1, q3 (quantile type = 7)
#   labs_tests.tsv         per variable, arm and visit: wilcox.test(visit, D1, paired = TRUE)
#   km_input.tsv           withdrawal tables: case_id, subject_id, days_to_flare, flared
#   km_curve.tsv           survfit(Surv(days_to_flare, flared) ~ 1) at every distinct time
#   km_median.tsv          the median of each curve as print(survfit) gives it (NA = not reached)
# Values are written with sprintf("%.17g") so that they read back as the very same doubles;
# missing values are "NA" (the input tables use empty cells, as modmap's inputs do).

suppressPackageStartupMessages(library(survival))
set.seed(20261203)

RVERSION <- paste(R.version.string, "/ survival", as.character(packageVersion("survival")))
one <- function(v) if (is.null(v) || length(v) == 0 || is.na(v)) "NA" else sprintf("%.17g", v)

write_golden <- function(path, df, what) {
  header <- c(
    sprintf("# %s: golden values from %s", path, RVERSION),
    sprintf("# %s", what),
    "# Made by tests/data/r_golden_longitudinal/make_golden.R (set.seed(20261203)); do not edit by hand."
  )
  body <- c(
    paste(names(df), collapse = "\t"),
    apply(df, 1, function(r) paste(trimws(r), collapse = "\t"))
  )
  writeLines(c(header, body), path)
}

write_input <- function(path, df) {
  out <- df
  for (k in names(out)) {
    if (is.numeric(out[[k]])) {
      out[[k]] <- ifelse(is.na(out[[k]]), "", sprintf("%.17g", out[[k]]))
    }
  }
  write.table(out, path, sep = "\t", quote = FALSE, row.names = FALSE, na = "")
}

paired_rows <- function(x, y) {
  ok <- !is.na(x) & !is.na(y)
  x <- x[ok]; y <- y[ok]
  tt <- tryCatch(t.test(x, y, paired = TRUE), error = function(e) e)
  ww <- suppressWarnings(wilcox.test(x, y, paired = TRUE))
  terr <- inherits(tt, "error")
  list(
    list(n_pairs = length(x), mean_difference = one(mean(x - y)), test = "paired_t",
         statistic = if (terr) "NA" else one(unname(tt$statistic)),
         df = if (terr) "NA" else one(unname(tt$parameter)),
         p_value = if (terr) "NA" else one(tt$p.value),
         exact = "NA",
         r_method = if (terr) paste("error:", conditionMessage(tt)) else tt$method),
    list(n_pairs = length(x), mean_difference = one(mean(x - y)), test = "signed_rank",
         statistic = one(unname(ww$statistic)), df = "NA", p_value = one(ww$p.value),
         exact = if (grepl("exact", ww$method) || !grepl("continuity", ww$method)) "TRUE" else "FALSE",
         r_method = ww$method)
  )
}

# ---------------------------------------------------------------------------------------------
# 1. Analytes: M6 vs D1 within subjects, per analyte and arm
# ---------------------------------------------------------------------------------------------
subjects <- sprintf("S%02d", 1:18)
arm <- rep(c("anakinra", "placebo"), each = 9)
rows <- list()
add <- function(s, v, a, val, g) rows[[length(rows) + 1]] <<- data.frame(
  subject_id = s, visit = v, analyte = a, value = val, arm = g, stringsAsFactors = FALSE)
for (i in seq_along(subjects)) {
  s <- subjects[i]; g <- arm[i]
  # IP10 (pg/ml): rises after anakinra, not in placebo; S09 has no M6 (unpaired, dropped)
  d1 <- exp(rnorm(1, 5, 0.4))
  add(s, "D1", "IP10", round(d1, 3), g)
  if (s != "S09") add(s, "M6", "IP10", round(d1 * exp(rnorm(1, if (g == "anakinra") 0.8 else 0, 0.3)), 3), g)
  # TRAIL: integer-rounded, ties in |d| -> R's normal approximation for the signed-rank test
  t1 <- round(rnorm(1, 60, 8))
  add(s, "D1", "TRAIL", t1, g)
  add(s, "M6", "TRAIL", t1 + sample(c(-4, -2, 2, 4, 6, 8), 1) + if (g == "anakinra") 6 else 0, g)
  # ZEROS: some subjects unchanged (zero differences are dropped by the signed-rank test)
  z1 <- round(rnorm(1, 3, 1), 1)
  add(s, "D1", "ZEROS", z1, g)
  add(s, "M6", "ZEROS", if (i %% 3 == 0) z1 else round(z1 + rnorm(1, 0.5, 0.5), 1), g)
}
# S18 has only an M6 value of IP10 (unpaired, dropped): remove its D1 row
an <- do.call(rbind, rows)
an <- an[!(an$subject_id == "S18" & an$visit == "D1" & an$analyte == "IP10"), ]
write_input("analytes_input.tsv", an)

exp_rows <- list()
for (a in unique(an$analyte)) for (g in unique(an$arm)) {
  sub <- an[an$analyte == a & an$arm == g, ]
  w <- reshape(sub[, c("subject_id", "visit", "value")], idvar = "subject_id",
               timevar = "visit", direction = "wide")
  w <- w[!is.na(w$value.D1) & !is.na(w$value.M6), ]
  for (r in paired_rows(w$value.M6, w$value.D1)) {
    exp_rows[[length(exp_rows) + 1]] <- c(list(analyte = a, group = g), r, list(r_version = RVERSION))
  }
}
write_golden("analytes_expected.tsv",
             do.call(rbind, lapply(exp_rows, as.data.frame, stringsAsFactors = FALSE)),
             "x = M6, y = D1 within subjects of one arm; t.test(x, y, paired = TRUE), wilcox.test(x, y, paired = TRUE) with defaults")

# ---------------------------------------------------------------------------------------------
# 2. Lab endpoints: median (IQR) per visit and arm, signed-rank vs D1
# ---------------------------------------------------------------------------------------------
lab <- expand.grid(visit = c("D1", "M1", "M6"), subject_id = sprintf("P%02d", 1:14),
                   stringsAsFactors = FALSE)[, c("subject_id", "visit")]
lab$arm <- ifelse(as.integer(sub("P", "", lab$subject_id)) <= 7, "anakinra", "placebo")
fall <- c(D1 = 0, M1 = -1.5, M6 = -2.5)
base_saa <- setNames(exp(rnorm(14, 5, 0.6)), sprintf("P%02d", 1:14))
lab$saa <- round(base_saa[lab$subject_id] *
                   exp(ifelse(lab$arm == "anakinra", fall[lab$visit], 0) + rnorm(nrow(lab), 0, 0.3)), 1)
lab$crp <- round(rgamma(nrow(lab), 2, 0.1) * ifelse(lab$visit == "D1", 2, 1))  # ties
lab$saa[lab$subject_id == "P03" & lab$visit == "M1"] <- NA     # missing visit value
lab$crp[lab$subject_id == "P10" & lab$visit == "D1"] <- NA     # missing baseline
lab <- lab[!(lab$subject_id == "P05" & lab$visit == "M6"), ]    # missing visit row
write_input("labs_input.tsv", lab)

sum_rows <- list(); test_rows <- list()
for (v in c("saa", "crp")) for (g in c("anakinra", "placebo")) for (vis in c("D1", "M1", "M6")) {
  x <- lab[[v]][lab$arm == g & lab$visit == vis]
  x <- x[!is.na(x)]
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  sum_rows[[length(sum_rows) + 1]] <- data.frame(
    variable = v, group = g, visit = vis, n = length(x), median = one(q[2]), q1 = one(q[1]),
    q3 = one(q[3]), stringsAsFactors = FALSE)
  if (vis != "D1") {
    b <- lab[lab$arm == g & lab$visit == "D1", c("subject_id", v)]
    f <- lab[lab$arm == g & lab$visit == vis, c("subject_id", v)]
    m <- merge(f, b, by = "subject_id", suffixes = c(".x", ".y"))
    m <- m[!is.na(m[[paste0(v, ".x")]]) & !is.na(m[[paste0(v, ".y")]]), ]
    ww <- suppressWarnings(wilcox.test(m[[paste0(v, ".x")]], m[[paste0(v, ".y")]], paired = TRUE))
    test_rows[[length(test_rows) + 1]] <- data.frame(
      variable = v, group = g, visit = vis, n_pairs = nrow(m), statistic = one(unname(ww$statistic)),
      p_value = one(ww$p.value),
      exact = if (grepl("continuity", ww$method)) "FALSE" else "TRUE",
      r_method = ww$method, stringsAsFactors = FALSE)
  }
}
write_golden("labs_summary.tsv", do.call(rbind, sum_rows),
             "median, q1, q3 = quantile(x, c(0.25, 0.5, 0.75), type = 7) of non-missing values per variable, arm, visit")
write_golden("labs_tests.tsv", do.call(rbind, test_rows),
             "wilcox.test(value at visit, value at D1, paired = TRUE) over subjects with both values, per variable and arm")

# ---------------------------------------------------------------------------------------------
# 3. Kaplan-Meier: time from withdrawal to flare
# ---------------------------------------------------------------------------------------------
km_cases <- list(
  # NOMID-like: every patient flares within days, two censored, tied times (event + censor at 5)
  km_nomid = data.frame(days_to_flare = c(1, 2, 2, 3, 3, 4, 5, 5, 6, 8, 14),
                        flared = c(1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1)),
  # survival exactly 0.5 on an interval: R reports the midpoint of the plateau
  km_plateau = data.frame(days_to_flare = c(2, 4, 6, 8, 10, 12),
                          flared = c(1, 1, 1, 1, 1, 1)),
  # survival 0.5 from a flare to a later flare with a censoring in between: midpoint of the flares
  km_plateau_censored = data.frame(days_to_flare = c(1, 2, 3, 4, 5, 6),
                                   flared = c(1, 1, 1, 0, 1, 1)),
  # survival stays at 0.5 to the end (censored): the time it reached 0.5
  km_plateau_end = data.frame(days_to_flare = c(1, 2, 3, 4), flared = c(1, 1, 0, 0)),
  # median not reached
  km_not_reached = data.frame(days_to_flare = c(3, 5, 20, 30, 30, 30, 30),
                              flared = c(1, 1, 0, 0, 0, 0, 0)),
  # random with censoring
  km_random = data.frame(days_to_flare = round(rexp(25, 1 / 20)) + 1,
                         flared = rbinom(25, 1, 0.7))
)
inp <- list(); curve <- list(); med <- list()
for (id in names(km_cases)) {
  d <- km_cases[[id]]
  d$subject_id <- sprintf("%s_%02d", id, seq_len(nrow(d)))
  inp[[id]] <- data.frame(case_id = id, subject_id = d$subject_id,
                          days_to_flare = d$days_to_flare, flared = d$flared)
  fit <- survfit(Surv(days_to_flare, flared) ~ 1, data = d)
  curve[[id]] <- data.frame(case_id = id, time = sapply(fit$time, one),
                            n_risk = fit$n.risk, n_event = fit$n.event, n_censored = fit$n.censor,
                            survival = sapply(fit$surv, one), stringsAsFactors = FALSE)
  tab <- summary(fit)$table
  med[[id]] <- data.frame(case_id = id, n = unname(tab["records"]), events = unname(tab["events"]),
                          median = one(unname(tab["median"])), stringsAsFactors = FALSE)
}
write_input("km_input.tsv", do.call(rbind, inp))
write_golden("km_curve.tsv", do.call(rbind, curve),
             "survfit(Surv(days_to_flare, flared) ~ 1): time, n.risk, n.event, n.censor, surv at each distinct time")
write_golden("km_median.tsv", do.call(rbind, med),
             "summary(survfit(...))$table: records, events, median (NA = not reached)")
