#!/usr/bin/env Rscript
# Golden values for modmap's module enrichment (modmap.stats.enrichment): tmod's CERNO and U tests.
#
# tmod (CRAN) is not installed where modmap is developed, so this script RE-IMPLEMENTS tmod's
# formulas in base R, line for line from tmod 0.50 R/statisticaltests.R (tmodCERNOtest,
# tmodUtest with useR = FALSE, .tmodTest's p.adjust(method = "fdr")), with one documented change:
# tied p-values get average ranks (rank(ties.method = "average")) where tmod uses the row order of
# its input. For the U test the tie-corrected variance is used (identical to tmod's without ties)
# and every p-value is cross-checked here against R's own wilcox.test (normal approximation with
# continuity correction, one-sided = half the two-sided p-value).
#
# Regenerate (base R >= 4.2 only):
#   cd tests/data/r_golden_enrichment && Rscript make_golden.R
#
# Input: the shipped GSE13015 subset (../../../resources/gse13015/) and the BloodGen3 modules
# (../../../resources/modules/bloodgen3_modules.tsv). Gene list: Welch t-test (t.test defaults)
# of log2 intensities, Sepsis vs Control, per gene.
# Writes (gzip TSV, numbers sprintf("%.17g"), missing = NA):
#   genes.tsv.gz       feature_id, p_value (Welch), p_rounded (signif(p, 1): many ties),
#                      direction (up/down: sign of t)
#   enrichment.tsv.gz  ranking (p_value | p_rounded), module_id, n_genes, n_ranked, cerno, ces,
#                      p_cerno, q_cerno, u, auc, p_utest, q_utest

res <- file.path("..", "..", "..", "resources")
expr <- read.delim(gzfile(file.path(res, "gse13015", "expression_symbols.tsv.gz")),
                   check.names = FALSE, stringsAsFactors = FALSE)
genes <- expr$Gene
x <- log2(as.matrix(expr[, -1]))
info <- read.delim(file.path(res, "gse13015", "samples.tsv"), stringsAsFactors = FALSE)
group <- trimws(info$Group_test[match(colnames(x), info$GEO_ID)])
stopifnot(!anyNA(group))
mods <- read.delim(file.path(res, "modules", "bloodgen3_modules.tsv"), stringsAsFactors = FALSE)
mods <- unique(mods[, c("module_id", "feature_id")])

# Genes constant in both groups (floored at 10) cannot be tested: p = NA, direction "none".
tt <- lapply(seq_len(nrow(x)), function(k)
  tryCatch(t.test(x[k, group == "Sepsis"], x[k, group == "Control"]),
           error = function(e) list(p.value = NA_real_, statistic = NA_real_)))
p <- vapply(tt, function(t) t$p.value, 0)
tstat <- vapply(tt, function(t) unname(t$statistic), 0)
dirn <- ifelse(is.na(tstat), "none", ifelse(tstat > 0, "up", "down"))

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
write_golden <- function(name, df, what) {
  header <- c(
    sprintf("# %s: golden values from %s", name, R.version.string),
    sprintf("# %s", what),
    "# Made by tests/data/r_golden_enrichment/make_golden.R; do not edit by hand."
  )
  for (col in names(df)) if (is.numeric(df[[col]])) df[[col]] <- num(df[[col]])
  con <- gzfile(name, "w")
  writeLines(c(header, paste(names(df), collapse = "\t"),
               apply(df, 1, paste, collapse = "\t")), con)
  close(con)
}

# tmod's tests on one ranked list (rank 1 = smallest p).
enrich <- function(pv, ids) {
  ok <- !is.na(pv)
  pv <- pv[ok]
  ids <- ids[ok]
  N <- length(pv)
  r <- rank(pv, ties.method = "average")
  tcount <- table(r)
  tie <- sum(as.numeric(tcount)^3 - as.numeric(tcount))
  out <- lapply(unique(mods$module_id), function(m) {
    x <- ids %in% mods$feature_id[mods$module_id == m]
    n <- sum(x)
    if (n == 0) return(NULL)
    R1 <- sum(r[x])
    cerno <- -2 * sum(log(r[x] / N))
    N2 <- N - n
    U <- n * N2 + n * (n + 1) / 2 - R1
    Su <- sqrt(n * N2 / 12 * ((N + 1) - tie / (N * (N - 1))))
    pu <- pnorm((-abs(U - n * N2 / 2) + 0.5) / Su)
    w <- wilcox.test(r[x], r[!x], exact = FALSE, correct = TRUE)$p.value / 2
    stopifnot(abs(pu - w) <= 1e-12 * max(1, w) || (pu > 0.5 && w >= 0.5))
    data.frame(module_id = m, n_genes = n, n_ranked = N, cerno = cerno, ces = cerno / (2 * n),
               p_cerno = pchisq(cerno, 2 * n, lower.tail = FALSE), u = U, auc = U / (n * N2),
               p_utest = pu, stringsAsFactors = FALSE)
  })
  out <- do.call(rbind, out)
  out$q_cerno <- p.adjust(out$p_cerno, method = "fdr")
  out$q_utest <- p.adjust(out$p_utest, method = "fdr")
  out
}

prounded <- signif(p, 1)
gene_table <- data.frame(feature_id = genes, p_value = p, p_rounded = prounded, direction = dirn,
                         stringsAsFactors = FALSE)
a <- cbind(ranking = "p_value", enrich(p, genes))
b <- cbind(ranking = "p_rounded", enrich(prounded, genes))
cols <- c("ranking", "module_id", "n_genes", "n_ranked", "cerno", "ces", "p_cerno", "q_cerno",
          "u", "auc", "p_utest", "q_utest")
write_golden("genes.tsv.gz", gene_table, "Welch t-test per gene, log2 GSE13015, Sepsis vs Control")
write_golden("enrichment.tsv.gz", rbind(a, b)[, cols],
             "tmod CERNO and U test formulas (average ranks for ties), BH over modules")
cat("wrote", nrow(a) + nrow(b), "enrichment rows\n")
