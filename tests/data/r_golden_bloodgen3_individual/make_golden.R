#!/usr/bin/env Rscript
# Golden tables for modmap's per-sample fingerprints (modmap.stats.fingerprints), computed on the
# shipped GSE13015 subset by BloodGen3Module 0.99.42's own Individualcomparison().
#
# Regenerate (R is needed only for this; the product and the tests do not need R). Needs R >= 4.2
# with BloodGen3Module 0.99.42 and gtools installed (see /work/shared/reference/bloodgen3module):
#   cd tests/data/r_golden_bloodgen3_individual && Rscript make_golden.R
#
# Writes, next to this script (gzip-compressed TSV, values sprintf("%.17g"), missing = NA):
#   individual.tsv.gz  one row per (cut-offs, module, sample):
#       fc, diff       the FC and DIFF arguments of Individualcomparison (1.5/10 = its defaults)
#       module_id, sample_id
#       n_genes        module genes present in the matrix (Individualcomparison's denominator)
#       net            Individualcomparison(..., SummarizedExperiment = FALSE)[module, sample]
#                      (the package function itself: 100 * (n up - n down) / n_genes)
#       pct_up, pct_down
#                      the same calls split by direction (Individualcomparison returns only the
#                      difference), computed below with gtools::foldchange exactly as the
#                      package's mod.up / mod.down lines do; the script stops if
#                      pct_up - pct_down differs from the package's net anywhere.
#   distance.tsv.gz    molecular distance to health per sample (modmap's definition, written
#                      independently here in base R): on log2 intensities, with the mean and the
#                      SD (n - 1 denominator) of the 19 Control samples per gene, z = (x - mean) / SD;
#                      distance = sum of |z| over genes with |z| > 2 and SD > 0; n_beyond = their
#                      number; n_features = genes with SD > 0.
# Input: ../../../resources/gse13015/ (expression_symbols.tsv.gz: non-log intensities;
# samples.tsv: Group_test Control / Sepsis).

# SummarizedExperiment must be attached: Individualcomparison calls DataFrame() unqualified (its
# own example attaches it too).
suppressMessages({
  library(SummarizedExperiment)
  library(BloodGen3Module)
  library(gtools)
})

here <- "."
res <- file.path("..", "..", "..", "resources", "gse13015")
expr <- read.delim(gzfile(file.path(res, "expression_symbols.tsv.gz")), check.names = FALSE,
                   stringsAsFactors = FALSE)
rownames(expr) <- expr$Gene
expr$Gene <- NULL
expr <- as.matrix(expr)
info <- read.delim(file.path(res, "samples.tsv"), stringsAsFactors = FALSE, check.names = FALSE)
info$Group_test <- trimws(info$Group_test)
rownames(info) <- info$GEO_ID
info <- info[colnames(expr), ]
stopifnot(identical(rownames(info), colnames(expr)))

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
RVERSION <- R.version.string
PKG <- as.character(packageVersion("BloodGen3Module"))

write_golden <- function(name, df, what) {
  header <- c(
    sprintf("# %s: golden values from %s, BloodGen3Module %s", name, RVERSION, PKG),
    sprintf("# %s", what),
    "# Made by tests/data/r_golden_bloodgen3_individual/make_golden.R; do not edit by hand."
  )
  for (col in names(df)) if (is.numeric(df[[col]])) df[[col]] <- num(df[[col]])
  body <- c(paste(names(df), collapse = "\t"), apply(df, 1, paste, collapse = "\t"))
  con <- gzfile(file.path(here, name), "w")
  writeLines(c(header, body), con)
  close(con)
}

# Module membership as Individualcomparison sees it: its own Module_listGen3 merged on Gene.
mods <- BloodGen3Module:::Module_listGen3
mods <- mods[mods$Gene %in% rownames(expr), c("Module", "Gene")]
ref <- info$Group_test == "Control"

rows <- list()
for (cut in list(c(1.5, 10), c(2, 50))) {
  fc_cut <- cut[1]
  diff_cut <- cut[2]
  net <- Individualcomparison(expr, sample_info = info, FC = fc_cut, DIFF = diff_cut,
                              Group_column = "Group_test", Ref_group = "Control",
                              SummarizedExperiment = FALSE)
  net <- as.matrix(net)
  # The package's calls, gene by gene on the linear scale (Diff and gtools::foldchange of each
  # value against the mean of the reference group).
  m <- rowMeans(expr[, ref, drop = FALSE])
  diffs <- expr - m
  fcs <- expr
  for (k in seq_len(nrow(expr))) fcs[k, ] <- foldchange(expr[k, ], m[k])
  up <- (fcs > fc_cut) & (diffs > diff_cut)
  down <- (fcs < -fc_cut) & (diffs < -diff_cut)
  for (module in unique(mods$Module)) {
    genes <- mods$Gene[mods$Module == module]
    n <- length(genes)
    pu <- 100 * colSums(up[genes, , drop = FALSE]) / n
    pd <- 100 * colSums(down[genes, , drop = FALSE]) / n
    pkg <- net[module, colnames(expr)]
    stopifnot(max(abs((pu - pd) - pkg)) < 1e-9)
    rows[[length(rows) + 1]] <- data.frame(
      fc = fc_cut, diff = diff_cut, module_id = module, sample_id = colnames(expr),
      n_genes = n, net = unname(pkg), pct_up = unname(pu), pct_down = unname(pd),
      stringsAsFactors = FALSE
    )
  }
}
individual <- do.call(rbind, rows)
write_golden("individual.tsv.gz", individual,
             "Individualcomparison(GSE13015 subset, Group_column = Group_test, Ref_group = Control)")

# Molecular distance to health on log2 intensities.
lg <- log2(expr)
mu <- rowMeans(lg[, ref, drop = FALSE])
s <- apply(lg[, ref, drop = FALSE], 1, sd)
ok <- is.finite(s) & s > 0
z <- abs((lg[ok, , drop = FALSE] - mu[ok]) / s[ok])
beyond <- z > 2
distance <- data.frame(
  sample_id = colnames(expr),
  distance = colSums(z * beyond),
  n_beyond = colSums(beyond),
  n_features = sum(ok),
  stringsAsFactors = FALSE
)
write_golden("distance.tsv.gz", distance,
             "distance to health: sum |z| over genes with |z| > 2, z from Control mean and SD (log2)")
cat("wrote", nrow(individual), "fingerprint rows and", nrow(distance), "distances\n")
