# Golden values for modmap.clinical.contingency: R's fisher.test and chisq.test on 2 x 2 tables.
# Run from this directory with R >= 4.2:  Rscript make_golden.R  -> contingency.tsv
# Table [[a, b], [c, d]] = matrix(c(a, c, b, d), 2). NaN = R's NaN (a zero margin for chisq.test).
grid <- rbind(
  expand.grid(a = 0:4, b = 0:4, c = 0:4, d = 0:4),
  # 12 patients per arm, every split (the SJIA trial's Table 2 design)
  transform(expand.grid(a = 0:12, c = 0:12), b = 12 - a, d = 12 - c)[, c("a", "b", "c", "d")],
  data.frame(
    a = c(30, 7, 100, 1, 0, 45, 3, 250),
    b = c(5, 40, 3, 60, 33, 52, 19, 240),
    c = c(7, 30, 98, 0, 21, 47, 0, 260),
    d = c(40, 5, 2, 59, 0, 50, 22, 250)
  )
)
grid <- grid[rowSums(grid) > 0, ]  # chisq.test refuses an all-zero table
rows <- lapply(seq_len(nrow(grid)), function(i) {
  g <- grid[i, ]
  x <- matrix(c(g$a, g$c, g$b, g$d), 2)
  fisher <- fisher.test(x)$p.value
  plain <- suppressWarnings(chisq.test(x, correct = FALSE))
  yates <- suppressWarnings(chisq.test(x, correct = TRUE))
  data.frame(
    a = g$a, b = g$b, c = g$c, d = g$d,
    fisher_p = fisher,
    chisq_statistic = unname(plain$statistic), chisq_p = plain$p.value,
    yates_statistic = unname(yates$statistic), yates_p = yates$p.value
  )
})
out <- do.call(rbind, rows)
out <- out[!duplicated(out[, c("a", "b", "c", "d")]), ]
num <- c("fisher_p", "chisq_statistic", "chisq_p", "yates_statistic", "yates_p")
out[num] <- lapply(out[num], function(v) sprintf("%.17g", v))
write.table(
  out, "contingency.tsv",
  sep = "\t", quote = FALSE, row.names = FALSE
)
cat(R.version.string, "\n", file = "R_VERSION")
