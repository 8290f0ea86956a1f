#' Mean squared error loss
#'
#' `mean((y_true - y_pred)^2)` over the last axis. Like every `loss_*()`
#' function, it has R keras' two modes: given `y_true` and `y_pred` it returns
#' the per-sample losses (no reduction); given neither it returns a loss
#' object, to call as `loss(y_true, y_pred, sample_weight = NULL)` for the
#' reduced loss, or to use compile-style.
#'
#' @param y_true Ground truth: a numeric vector, matrix, array or numeric
#'   data.frame, shape `(batch, ..., d)`.
#' @param y_pred Predictions, the same shape (a trailing dimension of size 1
#'   may differ).
#' @param ... Further options for the Python core (none needed).
#' @param reduction For the loss object: `"sum_over_batch_size"` (the
#'   default; `"auto"` and `"mean"` mean the same), `"sum"`, `"none"` or `NULL`
#'   (per-sample losses, weighted), or `"mean_with_sample_weight"`.
#' @param name For the loss object: its name.
#' @param dtype For the loss object: the floating type it computes in,
#'   `"float32"` when `NULL` (as Keras).
#' @returns With data, a numeric vector (or array) of per-sample losses: the
#'   input's shape without its last dimension. Without data, a loss object
#'   (an R function of class `rkeraslosses_loss`) returning `numeric(1)`.
#' @family losses
#' @export
#' @examplesIf core_available()
#' y_true <- rbind(c(0, 1), c(0, 0))
#' y_pred <- rbind(c(1, 1), c(1, 0))
#' loss_mean_squared_error(y_true, y_pred)
#' mse <- loss_mean_squared_error()
#' mse(y_true, y_pred)
#' mse(y_true, y_pred, sample_weight = c(1, 0))
loss_mean_squared_error <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                                    name = "mean_squared_error", dtype = NULL) {
  r_keras_loss("loss_mean_squared_error", environment(), list(...))
}

#' Mean absolute error loss
#'
#' `mean(abs(y_true - y_pred))` over the last axis.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_mean_absolute_error(rbind(c(0, 1)), rbind(c(1, 1)))
loss_mean_absolute_error <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                                     name = "mean_absolute_error", dtype = NULL) {
  r_keras_loss("loss_mean_absolute_error", environment(), list(...))
}

#' Mean absolute percentage error loss
#'
#' `100 * mean(abs((y_true - y_pred) / max(abs(y_true), 1e-7)))` over the last axis.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_mean_absolute_percentage_error(rbind(c(2, 4)), rbind(c(1, 5)))
loss_mean_absolute_percentage_error <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                                                name = "mean_absolute_percentage_error", dtype = NULL) {
  r_keras_loss("loss_mean_absolute_percentage_error", environment(), list(...))
}

#' Mean squared logarithmic error loss
#'
#' `mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))^2)` over the last axis.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_mean_squared_logarithmic_error(rbind(c(0, 1)), rbind(c(1, 1)))
loss_mean_squared_logarithmic_error <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                                                name = "mean_squared_logarithmic_error", dtype = NULL) {
  r_keras_loss("loss_mean_squared_logarithmic_error", environment(), list(...))
}

#' Squared hinge loss
#'
#' `mean(max(1 - y_true * y_pred, 0)^2)` over the last axis; labels of 0 and 1
#' (when every label is one of them) are mapped to -1 and 1 first.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_squared_hinge(rbind(c(0, 1)), rbind(c(0.5, 0.5)))
loss_squared_hinge <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                               name = "squared_hinge", dtype = NULL) {
  r_keras_loss("loss_squared_hinge", environment(), list(...))
}

#' Hinge loss
#'
#' `mean(max(1 - y_true * y_pred, 0))` over the last axis; labels of 0 and 1
#' (when every label is one of them) are mapped to -1 and 1 first.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_hinge(rbind(c(0, 1)), rbind(c(0.5, 0.5)))
loss_hinge <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                       name = "hinge", dtype = NULL) {
  r_keras_loss("loss_hinge", environment(), list(...))
}

#' Categorical hinge loss
#'
#' `max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` over the last axis.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_categorical_hinge(rbind(c(0, 1)), rbind(c(0.3, 0.6)))
loss_categorical_hinge <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                                   name = "categorical_hinge", dtype = NULL) {
  r_keras_loss("loss_categorical_hinge", environment(), list(...))
}

#' Log-cosh loss
#'
#' The mean of `log(cosh(y_pred - y_true))` over the last axis, computed
#' stably: `log(cosh(x))` is about `x^2 / 2` for small `x` and `abs(x) - log(2)`
#' for large `x`, where the naive formula overflows (at `x` of about 710 in
#' double precision); this one stays finite, and keeps full precision for
#' small residuals. `loss_log_cosh()` is keras3's name for the same loss.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_logcosh(rbind(c(0, 0)), rbind(c(1000, -1000)))  # log(cosh(1000)) is Inf in R
loss_logcosh <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                         name = "log_cosh", dtype = NULL) {
  r_keras_loss("loss_logcosh", environment(), list(...))
}

#' @rdname loss_logcosh
#' @export
loss_log_cosh <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                          name = "log_cosh", dtype = NULL) {
  r_keras_loss("loss_log_cosh", environment(), list(...))
}

#' Categorical crossentropy loss
#'
#' Crossentropy between one-hot (or soft) labels and predicted probabilities
#' (or logits). Probabilities are renormalised along `axis` and clipped to
#' `[1e-7, 1 - 1e-7]`; with `label_smoothing = ls` and `C` classes the labels
#' become `y_true * (1 - ls) + ls / C`.
#' @inheritParams loss_mean_squared_error
#' @param y_true One-hot labels, shape `(batch, ..., classes)`; see [to_categorical()].
#' @param from_logits Whether `y_pred` holds logits rather than probabilities.
#' @param label_smoothing A number in `[0, 1]`.
#' @param axis The class dimension, 1-based as in R keras; negative values
#'   count from the end (`-1`, the default, is the last).
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' y_true <- rbind(c(0, 1, 0), c(0, 0, 1))
#' y_pred <- rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1))
#' loss_categorical_crossentropy(y_true, y_pred)        # 0.0513 2.3026
#' cce <- loss_categorical_crossentropy()
#' cce(y_true, y_pred)                                  # 1.177
#' cce(y_true, y_pred, sample_weight = c(0.3, 0.7))     # 0.814
#' loss_categorical_crossentropy(reduction = "sum")(y_true, y_pred)   # 2.354
loss_categorical_crossentropy <- function(y_true, y_pred, from_logits = FALSE, label_smoothing = 0, axis = -1L, ...,
                                          reduction = "sum_over_batch_size", name = "categorical_crossentropy",
                                          dtype = NULL) {
  r_keras_loss("loss_categorical_crossentropy", environment(), list(...))
}

#' Sparse categorical crossentropy loss
#'
#' Categorical crossentropy with integer class labels, 0-based as in R keras
#' (a factor is used as `as.integer(f) - 1`). A label out of range or `NA` is
#' an error naming it.
#' @inheritParams loss_categorical_crossentropy
#' @param y_true Class labels: integers `0, ..., classes - 1`, or a factor;
#'   shape `(batch, ...)` (a trailing dimension of size 1 is dropped).
#' @param y_pred Probabilities (or logits), shape `(batch, ..., classes)`.
#' @param ignore_class A label value to leave out (loss 0, and left out of the
#'   mean), or `NULL`.
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' y_pred <- rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1))
#' loss_sparse_categorical_crossentropy(c(1, 2), y_pred)
#' loss_sparse_categorical_crossentropy(factor(c("b", "c"), levels = c("a", "b", "c")), y_pred)
loss_sparse_categorical_crossentropy <- function(y_true, y_pred, from_logits = FALSE, ignore_class = NULL, axis = -1L,
                                                 ..., reduction = "sum_over_batch_size",
                                                 name = "sparse_categorical_crossentropy", dtype = NULL) {
  r_keras_loss("loss_sparse_categorical_crossentropy", environment(), list(...), labels = TRUE)
}

#' Kullback-Leibler divergence loss
#'
#' `sum(y_true * log(y_true / y_pred))` over the last axis, both clipped to
#' `[1e-7, 1]`. `loss_kl_divergence()` is keras3's name for the same loss.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_kullback_leibler_divergence(rbind(c(0.5, 0.5)), rbind(c(0.9, 0.1)))
loss_kullback_leibler_divergence <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                                             name = "kl_divergence", dtype = NULL) {
  r_keras_loss("loss_kullback_leibler_divergence", environment(), list(...))
}

#' @rdname loss_kullback_leibler_divergence
#' @export
loss_kl_divergence <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                               name = "kl_divergence", dtype = NULL) {
  r_keras_loss("loss_kl_divergence", environment(), list(...))
}

#' Poisson loss
#'
#' `mean(y_pred - y_true * log(y_pred + 1e-7))` over the last axis.
#' @inheritParams loss_mean_squared_error
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_poisson(rbind(c(1, 0)), rbind(c(1, 2)))
loss_poisson <- function(y_true, y_pred, ..., reduction = "sum_over_batch_size",
                         name = "poisson", dtype = NULL) {
  r_keras_loss("loss_poisson", environment(), list(...))
}

#' Cosine similarity loss
#'
#' Minus the cosine similarity along `axis`: -1 when the vectors point the
#' same way, 0 for a zero vector. `loss_cosine_proximity()` is its deprecated
#' R keras 2 name: it warns (once per session) and forwards.
#' @inheritParams loss_mean_squared_error
#' @param axis The dimension along which the similarity is computed,
#'   1-based; negative values count from the end.
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_cosine_similarity(rbind(c(0, 1), c(1, 1)), rbind(c(1, 0), c(1, 1)))
loss_cosine_similarity <- function(y_true, y_pred, axis = -1L, ..., reduction = "sum_over_batch_size",
                                   name = "cosine_similarity", dtype = NULL) {
  r_keras_loss("loss_cosine_similarity", environment(), list(...))
}

#' @rdname loss_cosine_similarity
#' @export
loss_cosine_proximity <- function(...) {
  if (!isTRUE(.rk$warned_cosine_proximity)) {
    .rk$warned_cosine_proximity <- TRUE
    warning("`loss_cosine_proximity()` is deprecated: use `loss_cosine_similarity()` (the same loss).", call. = FALSE)
  }
  loss_cosine_similarity(...)
}

#' Binary crossentropy loss
#'
#' Binary crossentropy, averaged over `axis`. Probabilities are clipped to
#' `[1e-7, 1 - 1e-7]`; logits use a stable form that is finite for every
#' finite logit. With `label_smoothing = ls` the labels become
#' `y_true * (1 - ls) + ls / 2`.
#' @inheritParams loss_categorical_crossentropy
#' @param y_true Labels in `[0, 1]`.
#' @param axis The dimension the mean is taken over, 1-based; negative values
#'   count from the end.
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_binary_crossentropy(rbind(c(0, 1), c(0, 0)), rbind(c(0.6, 0.4), c(0.4, 0.6)))
loss_binary_crossentropy <- function(y_true, y_pred, from_logits = FALSE, label_smoothing = 0, axis = -1L, ...,
                                     reduction = "sum_over_batch_size", name = "binary_crossentropy",
                                     dtype = NULL) {
  r_keras_loss("loss_binary_crossentropy", environment(), list(...))
}

#' Huber loss
#'
#' `0.5 * e^2` where `abs(e) <= delta`, else `delta * abs(e) - 0.5 * delta^2`,
#' with `e = y_pred - y_true`; mean over the last axis.
#' @inheritParams loss_mean_squared_error
#' @param delta Where the loss changes from quadratic to linear; positive.
#' @inherit loss_mean_squared_error return
#' @family losses
#' @export
#' @examplesIf core_available()
#' loss_huber(rbind(c(0, 0)), rbind(c(0.5, 3)))
loss_huber <- function(y_true, y_pred, delta = 1, ..., reduction = "sum_over_batch_size",
                       name = "huber_loss", dtype = NULL) {
  r_keras_loss("loss_huber", environment(), list(...))
}
