#' Mean squared error metric
#'
#' A stateful metric, as in R keras. Given `y_true` and `y_pred`, every
#' `metric_*()` returns the per-sample values; given neither, a metric object:
#' call `m(y_true, y_pred, sample_weight = NULL)` (update, then result) or use
#' its methods `m$update_state()`, `m$result()`, `m$reset_state()` and
#' `m$merge_state()` (see [`$.rkeraslosses_metric`]).
#'
#' The running sums are exact in double precision whatever `dtype`, a failed
#' update leaves the state unchanged, and `merge_state()` combines metrics
#' that saw different batches into exactly the single-pass result.
#'
#' @param y_true Ground truth: a numeric vector, matrix, array or numeric data.frame.
#' @param y_pred Predictions, the same shape.
#' @param ... Further options for the Python core (none needed).
#' @param name For the metric object: its name.
#' @param dtype For the metric object: the floating type of its result,
#'   `"float32"` when `NULL`.
#' @returns With data, a numeric vector (or array) of per-sample values.
#'   Without, a metric object (an R function of class `rkeraslosses_metric`).
#' @family metrics
#' @export
#' @examplesIf core_available()
#' m <- metric_mean_squared_error()
#' m$update_state(rbind(c(0, 1)), rbind(c(1, 1)))
#' m$update_state(rbind(c(0, 0)), rbind(c(0, 0)))
#' m$result()
metric_mean_squared_error <- function(y_true, y_pred, ..., name = "mean_squared_error", dtype = NULL) {
  r_keras_metric("metric_mean_squared_error", environment(), list(...))
}

#' Mean absolute error metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_mean_absolute_error()(rbind(c(0, 1)), rbind(c(1, 1)))
metric_mean_absolute_error <- function(y_true, y_pred, ..., name = "mean_absolute_error", dtype = NULL) {
  r_keras_metric("metric_mean_absolute_error", environment(), list(...))
}

#' Mean absolute percentage error metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_mean_absolute_percentage_error()(rbind(c(2, 4)), rbind(c(1, 5)))
metric_mean_absolute_percentage_error <- function(y_true, y_pred, ..., name = "mean_absolute_percentage_error",
                                                  dtype = NULL) {
  r_keras_metric("metric_mean_absolute_percentage_error", environment(), list(...))
}

#' Mean squared logarithmic error metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_mean_squared_logarithmic_error()(rbind(c(0, 1)), rbind(c(1, 1)))
metric_mean_squared_logarithmic_error <- function(y_true, y_pred, ..., name = "mean_squared_logarithmic_error",
                                                  dtype = NULL) {
  r_keras_metric("metric_mean_squared_logarithmic_error", environment(), list(...))
}

#' Hinge metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_hinge()(rbind(c(0, 1)), rbind(c(0.5, 0.5)))
metric_hinge <- function(y_true, y_pred, ..., name = "hinge", dtype = NULL) {
  r_keras_metric("metric_hinge", environment(), list(...))
}

#' Squared hinge metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_squared_hinge()(rbind(c(0, 1)), rbind(c(0.5, 0.5)))
metric_squared_hinge <- function(y_true, y_pred, ..., name = "squared_hinge", dtype = NULL) {
  r_keras_metric("metric_squared_hinge", environment(), list(...))
}

#' Categorical hinge metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_categorical_hinge()(rbind(c(0, 1)), rbind(c(0.3, 0.6)))
metric_categorical_hinge <- function(y_true, y_pred, ..., name = "categorical_hinge", dtype = NULL) {
  r_keras_metric("metric_categorical_hinge", environment(), list(...))
}

#' Log-cosh error metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_logcosh_error()(rbind(c(0, 0)), rbind(c(1, -1000)))
metric_logcosh_error <- function(y_true, y_pred, ..., name = "logcosh", dtype = NULL) {
  r_keras_metric("metric_logcosh_error", environment(), list(...))
}

#' Kullback-Leibler divergence metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_kullback_leibler_divergence()(rbind(c(0.5, 0.5)), rbind(c(0.9, 0.1)))
metric_kullback_leibler_divergence <- function(y_true, y_pred, ..., name = "kl_divergence", dtype = NULL) {
  r_keras_metric("metric_kullback_leibler_divergence", environment(), list(...))
}

#' Poisson metric
#' @inheritParams metric_mean_squared_error
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_poisson()(rbind(c(1, 0)), rbind(c(1, 2)))
metric_poisson <- function(y_true, y_pred, ..., name = "poisson", dtype = NULL) {
  r_keras_metric("metric_poisson", environment(), list(...))
}

#' Cosine similarity metric
#'
#' The cosine similarity along `axis`: 1 when the vectors point the same way
#' (the loss of the same name is its negative).
#' @inheritParams metric_mean_squared_error
#' @param axis The dimension along which the similarity is computed,
#'   1-based; negative values count from the end.
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_cosine_similarity()(rbind(c(1, 1)), rbind(c(2, 2)))
metric_cosine_similarity <- function(y_true, y_pred, axis = -1L, ..., name = "cosine_similarity", dtype = NULL) {
  r_keras_metric("metric_cosine_similarity", environment(), list(...))
}

#' Binary crossentropy metric
#' @inheritParams metric_mean_squared_error
#' @inheritParams loss_binary_crossentropy
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_binary_crossentropy()(rbind(c(0, 1), c(0, 0)), rbind(c(0.6, 0.4), c(0.4, 0.6)))
metric_binary_crossentropy <- function(y_true, y_pred, from_logits = FALSE, label_smoothing = 0, ...,
                                       name = "binary_crossentropy", dtype = NULL) {
  r_keras_metric("metric_binary_crossentropy", environment(), list(...))
}

#' Categorical crossentropy metric
#'
#' The stateful categorical crossentropy of Keras' reference page: with the
#' page's data it gives 1.1769392, and 1.6271976 with sample weights
#' `c(0.3, 0.7)` (the metric divides by the weights' sum, the loss by the
#' batch size).
#' @inheritParams metric_mean_squared_error
#' @inheritParams loss_categorical_crossentropy
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' y_true <- rbind(c(0, 1, 0), c(0, 0, 1))
#' y_pred <- rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1))
#' m <- metric_categorical_crossentropy()
#' m$update_state(y_true, y_pred)
#' m$result()                                              # 1.1769392
#' m$reset_state()
#' m$update_state(y_true, y_pred, sample_weight = c(0.3, 0.7))
#' m$result()                                              # 1.6271976
metric_categorical_crossentropy <- function(y_true, y_pred, from_logits = FALSE, label_smoothing = 0, axis = -1L, ...,
                                            name = "categorical_crossentropy", dtype = NULL) {
  r_keras_metric("metric_categorical_crossentropy", environment(), list(...))
}

#' Sparse categorical crossentropy metric
#' @inheritParams metric_mean_squared_error
#' @inheritParams loss_sparse_categorical_crossentropy
#' @inherit metric_mean_squared_error return
#' @family metrics
#' @export
#' @examplesIf core_available()
#' metric_sparse_categorical_crossentropy()(c(1, 2), rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1)))
metric_sparse_categorical_crossentropy <- function(y_true, y_pred, from_logits = FALSE, ignore_class = NULL,
                                                   axis = -1L, ..., name = "sparse_categorical_crossentropy",
                                                   dtype = NULL) {
  r_keras_metric("metric_sparse_categorical_crossentropy", environment(), list(...), labels = TRUE)
}

#' Mean, sum and wrapped metrics
#'
#' `metric_mean()` keeps the (weighted) mean of the values it is given:
#' `m$update_state(values, sample_weight = NULL)`; `metric_sum()` their sum.
#' `metric_mean_wrapper(fn)` keeps the mean of `fn(y_true, y_pred, ...)` over
#' every sample: `fn` may be a plain R function returning one value per
#' sample.
#' @param fn A function `fn(y_true, y_pred, ...)` returning per-sample values.
#' @param ... For `metric_mean_wrapper()`: further arguments passed to `fn`.
#' @param name The metric's name.
#' @param dtype The floating type of the result, `"float32"` when `NULL`.
#' @returns A metric object (see [`$.rkeraslosses_metric`]).
#' @family metrics
#' @export
#' @examplesIf core_available()
#' m <- metric_mean()
#' m$update_state(c(1, 3, 5, 7))
#' m$result()
#' w <- metric_mean_wrapper(function(y_true, y_pred) abs(y_true - y_pred), name = "abs")
#' w(c(1, 2), c(1.5, 2))
metric_mean <- function(name = "mean", dtype = NULL) {
  new_metric_object(rk_call("metric_mean", name = name, dtype = dtype))
}

#' @rdname metric_mean
#' @export
metric_sum <- function(name = "sum", dtype = NULL) {
  new_metric_object(rk_call("metric_sum", name = name, dtype = dtype))
}

#' @rdname metric_mean
#' @export
metric_mean_wrapper <- function(fn, ..., name = NULL, dtype = NULL) {
  if (!is.function(fn)) rk_abort("`fn` must be a function(y_true, y_pred, ...).")
  new_metric_object(rk_call("metric_mean_wrapper", as_py_function(fn), name = name, dtype = dtype, ...))
}

# An R function called from Python: it receives R arrays and must return
# numbers, which go back as a NumPy array.
as_py_function <- function(fn) {
  if (inherits(fn, "rkeraslosses_loss") || inherits(fn, "rkeraslosses_metric")) return(attr(fn, "py_object"))
  wrapped <- function(y_true, y_pred, ...) {
    value <- fn(y_true, y_pred, ...)
    if (!is.numeric(value) && !is.logical(value)) {
      stop("a custom loss or metric must return numbers, one per sample", call. = FALSE)
    }
    as_array(value, "value")
  }
  reticulate::r_to_py(wrapped, convert = TRUE)
}
