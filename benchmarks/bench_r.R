# Speed of the R package: prints figures, asserts nothing.
#   RETICULATE_PYTHON=.venv/np1/bin/python Rscript benchmarks/bench_r.R
# Per call, for a small (32 x 10) and a large (1e6 x 10) input: rkeraslosses
# next to plain R computing the same formula, and MLmetrics where it has the loss;
# then metric objects (accuracy on the matrices, AUC and Precision on their
# 320 / 1e7 values as vectors) next to plain R and MLmetrics.
suppressPackageStartupMessages(library(rkeraslosses))
stopifnot(core_available())
has_mlmetrics <- requireNamespace("MLmetrics", quietly = TRUE)

time_it <- function(f, min_time = 1) {
  b <- bench::mark(f(), min_time = min_time, check = FALSE, memory = FALSE, filter_gc = FALSE)
  as.numeric(b$median)
}

fmt <- function(seconds) {
  if (seconds < 1e-3) sprintf("%8.1f us", seconds * 1e6) else sprintf("%8.2f ms", seconds * 1e3)
}

set.seed(1)
cat(sprintf("R %s, reticulate %s, Python %s\n", getRversion(), packageVersion("reticulate"),
            reticulate::py_config()$version))
for (n in c(32, 1e6)) {
  y_true <- matrix(runif(n * 10), n)
  y_pred <- matrix(runif(n * 10), n)
  onehot <- diag(10)[sample(10, n, TRUE), ]
  probs <- y_pred / rowSums(y_pred)
  min_time <- if (n > 1000) 3 else 1
  cat(sprintf("\n(%s x 10), median time per call\n", format(n, big.mark = ",", scientific = FALSE)))
  rows <- list(
    "loss_mean_squared_error(t, p)" = function() loss_mean_squared_error(y_true, y_pred),
    "  plain R rowMeans((t - p)^2)" = function() rowMeans((y_true - y_pred)^2),
    "loss_mean_absolute_error(t, p)" = function() loss_mean_absolute_error(y_true, y_pred),
    "  plain R rowMeans(abs(t - p))" = function() rowMeans(abs(y_true - y_pred)),
    "loss_categorical_crossentropy(onehot, p)" = function() loss_categorical_crossentropy(onehot, probs),
    "  plain R -rowSums(t * log(clip(p)))" = function() -rowSums(onehot * log(pmin(pmax(probs, 1e-7), 1 - 1e-7))),
    "loss object: mse(t, p) reduced" = (function() { mse <- loss_mean_squared_error(); function() mse(y_true, y_pred) })(),
    "  plain R mean((t - p)^2)" = function() mean((y_true - y_pred)^2)
  )
  if (has_mlmetrics) {
    rows[["  MLmetrics::MSE(p, t)"]] <- function() MLmetrics::MSE(y_pred, y_true)
  }
  # Metrics: a metric object updated with R's doubles (a matrix is column-major).
  scores <- as.vector(y_pred)
  labels <- as.numeric(runif(length(scores)) < scores)
  rows[["m <- metric_categorical_accuracy(); m(onehot, p)"]] <- (function() { m <- metric_categorical_accuracy(); function() m(onehot, probs) })()
  rows[["  plain R mean(max.col(p) == max.col(t))"]] <- function() mean(max.col(probs, "first") == max.col(onehot, "first"))
  rows[[sprintf("m <- metric_auc(); m(y, s) on %s scores", format(length(scores), big.mark = ",", scientific = FALSE))]] <-
    (function() { m <- metric_auc(); function() m(labels, scores) })()
  rows[["m <- metric_precision(); m(y, s)"]] <- (function() { m <- metric_precision(); function() m(labels, scores) })()
  rows[["  plain R precision: sum(y & s > 0.5) / sum(s > 0.5)"]] <- function() sum(labels == 1 & scores > 0.5) / sum(scores > 0.5)
  if (has_mlmetrics) {
    rows[["  MLmetrics::AUC(s, y) (exact, rank-based)"]] <- function() MLmetrics::AUC(scores, labels)
    rows[["metric_auc(exact = TRUE)(y, s), a new metric each call"]] <- function() metric_auc(exact = TRUE)(labels, scores)
  }
  for (label in names(rows)) {
    f <- rows[[label]]
    cat(sprintf("  %-56s %s\n", label, fmt(time_it(f, min_time))))
  }
}
