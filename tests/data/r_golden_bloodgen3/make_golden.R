#!/usr/bin/env Rscript
# Golden tables for modmap's BloodGen3Module preset, Student t-test and gtools fold change.
#
# Made with R 4.2.2, BloodGen3Module 0.99.42 (installed from
# /work/shared/reference/bloodgen3module/BloodGen3Module_0.99.42_source.tar.gz after removing the
# unused randomcoloR and V8 Imports from DESCRIPTION and NAMESPACE), gtools 3.9.4,
# SummarizedExperiment from Debian's r-bioc-summarizedexperiment.
# Regenerate (R is needed only for this; the product and the tests do not need R):
#   cd tests/data/r_golden_bloodgen3 && Rscript make_golden.R
#
# Writes, next to this script:
#   groupcomparison_fc1.5.tsv  BloodGen3Module::Groupcomparison on the shipped GSE13015 subset
#   groupcomparison_fc0.tsv    (resources/gse13015) with the shipped module list
#                              (resources/modules/bloodgen3_modules.tsv, checked identical to the
#                              package's own Module_listGen3), Sepsis vs Control, FDR = TRUE,
#                              pval = 0.1, FC = 1.5 and FC = 0: one row per module, its % score.
#   student_t.tsv              t.test(x, y, var.equal = TRUE) on a small grid (ties, NAs, sizes).
#   foldchange.tsv             gtools::foldchange(num, denom) on a small grid.
# Numbers are written with sprintf("%.17g") so that they read back as the very same doubles;
# vectors are joined by ";", missing = NA.

suppressMessages({
  library(SummarizedExperiment)
  library(gtools)
  library(BloodGen3Module)
})

num <- function(v) paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ";")
VERSIONS <- sprintf(
  "%s, BloodGen3Module %s, gtools %s", R.version.string,
  packageVersion("BloodGen3Module"), packageVersion("gtools")
)

write_golden <- function(path, df, what) {
  header <- c(
    sprintf("# %s: golden values from %s", path, VERSIONS),
    sprintf("# %s", what),
    "# Made by tests/data/r_golden_bloodgen3/make_golden.R; do not edit by hand.",
    "# Vectors are ';'-joined, numbers sprintf('%.17g'), missing = NA."
  )
  body <- c(
    paste(names(df), collapse = "\t"),
    apply(df, 1, function(r) paste(trimws(r), collapse = "\t"))
  )
  writeLines(c(header, body), path)
}

# ---------------------------------------------------------------------------------------------
# Groupcomparison on GSE13015 with the BloodGen3 repertoire
# ---------------------------------------------------------------------------------------------
repo <- normalizePath(file.path("..", "..", ".."))
expr <- read.delim(
  gzfile(file.path(repo, "resources", "gse13015", "expression_symbols.tsv.gz")),
  check.names = FALSE, stringsAsFactors = FALSE
)
matrix <- as.matrix(expr[, -1])
rownames(matrix) <- expr[[1]]
sheet <- read.delim(
  file.path(repo, "resources", "gse13015", "samples.tsv"),
  colClasses = "character", strip.white = TRUE
)
rownames(sheet) <- sheet$GEO_ID
shipped <- read.delim(
  file.path(repo, "resources", "modules", "bloodgen3_modules.tsv"),
  colClasses = "character"
)
builtin <- BloodGen3Module:::Module_listGen3
stopifnot(identical(
  paste(builtin$Module, builtin$Gene), paste(shipped$module_id, shipped$feature_id)
))

for (fc in c(1.5, 0)) {
  res <- Groupcomparison(
    matrix,
    sample_info = sheet, FC = fc, pval = 0.1, FDR = TRUE,
    Group_column = "Group_test", Test_group = "Sepsis", Ref_group = "Control",
    SummarizedExperiment = FALSE
  )
  present <- table(builtin$Module[builtin$Gene %in% rownames(matrix)])
  out <- data.frame(
    module_id = rownames(res),
    n_present = as.integer(present[rownames(res)]),
    pct = vapply(res[, 1], num, ""),
    stringsAsFactors = FALSE
  )
  write_golden(
    sprintf("groupcomparison_fc%s.tsv", fc), out,
    sprintf(paste(
      "Groupcomparison(GSE13015, FC = %s, pval = 0.1, FDR = TRUE, Sepsis vs Control);",
      "pct = 100 * (n_up - n_down) / n_present; n_present = module genes in the matrix"
    ), fc)
  )
}

# ---------------------------------------------------------------------------------------------
# Student t-test: t.test(x, y, var.equal = TRUE)
# ---------------------------------------------------------------------------------------------
set.seed(20261203)
cases <- list(
  list(x = c(1.2, 3.4, 2.2, 5.1), y = c(0.3, 1.1, 0.9)),
  list(x = c(5, 5, 6, 7, 7, 8), y = c(1, 2, 2, 3, 3)),
  list(x = c(2, 2, 2), y = c(1, 2, 3, 4)),
  list(x = c(1, 2, 3, NA, 4), y = c(NA, 2.5, 3.5, 4.5)),
  list(x = rnorm(30, 1), y = rnorm(25)),
  list(x = rnorm(8, 10, 3), y = rnorm(12, 10, 0.1)),
  list(x = c(1, 2, 3), y = c(1, 2, 3)),
  list(x = c(-3.5, -1, 0.25), y = c(4, 8, 15, 16, 23, 42)),
  list(x = round(rnorm(50, 7, 2), 1), y = round(rnorm(60, 7.5, 2), 1)),
  list(x = c(1e6 + 1, 1e6 + 2, 1e6 + 4), y = c(1e6, 1e6 + 1, 1e6 + 1))
)
rows <- lapply(cases, function(c) {
  r <- t.test(c$x, c$y, var.equal = TRUE)
  data.frame(
    x = num(c$x), y = num(c$y), statistic = num(unname(r$statistic)),
    df = num(unname(r$parameter)), p_value = num(r$p.value),
    mean_x = num(mean(c$x, na.rm = TRUE)), mean_y = num(mean(c$y, na.rm = TRUE)),
    stringsAsFactors = FALSE
  )
})
write_golden(
  "student_t.tsv", do.call(rbind, rows),
  "t.test(x, y, var.equal = TRUE): statistic = t, df, two-sided p_value; NAs dropped"
)

# ---------------------------------------------------------------------------------------------
# gtools::foldchange(num, denom)
# ---------------------------------------------------------------------------------------------
grid <- expand.grid(num = c(0.5, 1, 1.5, 2, 10, 37.25, 100), denom = c(0.25, 1, 1.5, 3, 40))
grid$foldchange <- foldchange(grid$num, grid$denom)
write_golden(
  "foldchange.tsv",
  data.frame(
    num = vapply(grid$num, num, ""), denom = vapply(grid$denom, num, ""),
    foldchange = vapply(grid$foldchange, num, "")
  ),
  "gtools::foldchange(num, denom): num/denom when >= 1, else -denom/num"
)
