set.seed(20261123)
fmt <- function(v) paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ",")
rows <- list()
add <- function(case, x, y, paired) {
  r <- suppressWarnings(wilcox.test(x, y, paired = paired))
  tt <- if (paired) t.test(x, y, paired = TRUE) else t.test(x, y)
  rows[[length(rows) + 1]] <<- data.frame(case = case, paired = paired, x = fmt(x), y = fmt(y),
    statistic = sprintf("%.17g", r$statistic), p_value = sprintf("%.17g", r$p.value),
    method = r$method, t_statistic = sprintf("%.17g", tt$statistic),
    t_p_value = sprintf("%.17g", tt$p.value))
}
add("small_exact", round(rnorm(5), 3), round(rnorm(7, 1), 3), FALSE)
add("exact_4_9", round(rnorm(4), 4), round(rnorm(9, 0.5), 4), FALSE)
add("ties_small", c(1, 2, 2, 3, 5), c(2, 3, 4, 4, 6, 7), FALSE)
add("exact_49_49", round(rnorm(49), 6), round(rnorm(49, 0.3), 6), FALSE)
add("asymp_50_49", round(rnorm(50), 6), round(rnorm(49, 0.3), 6), FALSE)
add("asymp_49_50", round(rnorm(49), 6), round(rnorm(50, -0.2), 6), FALSE)
add("ties_49_49", round(rnorm(49), 1), round(rnorm(49, 0.3), 1), FALSE)
add("asymp_large_ties", round(rnorm(120), 1), round(rnorm(80, 0.4), 1), FALSE)
add("missing", c(NA, round(rnorm(6), 3)), c(round(rnorm(5, 1), 3), NA, NA), FALSE)
add("extreme", 101:130 + 0.5, 1:40 + 0.25, FALSE)
x <- round(rnorm(8), 3); add("paired_exact", x, round(x + rnorm(8, 0.5), 3), TRUE)
x <- round(rnorm(49), 5); add("paired_exact_49", x, round(x + rnorm(49, 0.2), 5), TRUE)
x <- round(rnorm(50), 5); add("paired_asymp_50", x, round(x + rnorm(50, 0.2), 5), TRUE)
add("paired_zero", c(1, 2, 3, 4, 5, 6.5), c(1, 1.5, 2, 3.25, 4, 5), TRUE)
add("paired_ties", c(1, 2, 3, 4, 5, 6, 7), c(0, 1, 2, 2, 3, 4, 6.5), TRUE)
x <- round(rnorm(30), 1); add("paired_ties_zeros_30", x, round(x + rnorm(30, 0.2), 1), TRUE)
add("paired_missing", c(1.1, NA, 3.2, 4.7, 5.3, 2.2, 8.1), c(0.5, 2, NA, 3.1, 6.0, 0.1, 7.0), TRUE)
out <- do.call(rbind, rows)

write.table(out, sep = "\t", quote = FALSE, row.names = FALSE)
