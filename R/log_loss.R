#' TensorFlow 1.x log loss
#'
#' `tf.losses.log_loss`: `-labels * log(predictions + epsilon) -
#' (1 - labels) * log(1 - predictions + epsilon)`, weighted, then reduced.
#'
#' With `S = sum(losses * weights)`, the reductions are
#' `"weighted_sum_by_nonzero_weights"` (the default, `S` over the number of
#' non-zero weights), `"weighted_sum"` (`S`), `"weighted_mean"` (`S` over the
#' sum of the weights), `"weighted_sum_over_batch_size"` (`S` over the number
#' of losses) and `"none"` (the weighted losses). TensorFlow's constant names
#' (`"SUM_BY_NONZERO_WEIGHTS"`, `"SUM"`, `"MEAN"`, `"SUM_OVER_BATCH_SIZE"`,
#' `"NONE"`, `"SUM_OVER_NONZERO_WEIGHTS"`) are accepted too. A zero
#' denominator gives 0.
#'
#' @param labels The ground truth, the same shape as `predictions`.
#' @param predictions Predicted probabilities.
#' @param weights A number; an array of the losses' shape, or with some
#'   dimensions of size 1; or one weight per sample (a vector as long as the
#'   first dimension).
#' @param epsilon Added inside the logarithms.
#' @param reduction See Details.
#' @returns `numeric(1)`, or with `reduction = "none"` the weighted losses in
#'   the shape of `labels`.
#' @family losses
#' @export
#' @examplesIf core_available()
#' log_loss(c(0, 1, 1), c(0.1, 0.8, 0.6))
#' log_loss(c(0, 1, 1), c(0.1, 0.8, 0.6), weights = c(1, 0, 1))
#' log_loss(c(0, 1, 1), c(0.1, 0.8, 0.6), reduction = "SUM")
log_loss <- function(labels, predictions, weights = 1, epsilon = 1e-7, reduction = "weighted_sum_by_nonzero_weights") {
  if (is.null(labels) || is.null(predictions)) {
    rk_abort(sprintf("`%s` must not be NULL.", if (is.null(labels)) "labels" else "predictions"))
  }
  to_r(rk_call("log_loss", as_array(labels, "labels"), as_array(predictions, "predictions"),
               weights = as_weights(weights),
               epsilon = epsilon, reduction = reduction))
}
