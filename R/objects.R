# R faces of the core's Loss objects and stateful metrics.

py_class_name <- function(py) {
  reticulate::py_to_r(reticulate::py_get_attr(reticulate::py_get_attr(py, "__class__"), "__name__"))
}

# `flags`: what the core's registry says of the object (see r_flags_of());
# looked up from the object when not given.
new_loss_object <- function(py, flags = object_flags(py)) {
  force(flags)
  loss <- function(y_true, y_pred, sample_weight = NULL) {
    to_r(rk_call(py, coerce_y_true(flags, y_true), as_array(y_pred, "y_pred"),
                 sample_weight = as_array(sample_weight, "sample_weight"), call = sys.call()))
  }
  structure(loss, class = c("rkeraslosses_loss", "function"), py_object = py)
}

#' @export
print.rkeraslosses_loss <- function(x, ...) {
  cat("<rkeraslosses loss> ", reticulate::py_str(attr(x, "py_object")), "\n", sep = "")
  cat("Call it as loss(y_true, y_pred, sample_weight = NULL) for the reduced loss.\n")
  invisible(x)
}

new_metric_object <- function(py, flags = object_flags(py)) {
  force(flags)
  update <- function(y_true, y_pred = NULL, sample_weight = NULL, call = sys.call(-1)) {
    if (isTRUE(flags$values)) {
      # update_state(values, sample_weight): the first argument holds the values,
      # the weights come by name or second.
      weights <- if (is.null(sample_weight)) y_pred else sample_weight
      rk_method(py, "update_state", as_array(y_true, "values"), sample_weight = as_array(weights, "sample_weight"), call = call)
    } else {
      rk_method(py, "update_state", coerce_y_true(flags, y_true), as_array(y_pred, "y_pred"),
                sample_weight = as_array(sample_weight, "sample_weight"), call = call)
    }
    invisible(NULL)
  }
  metric <- function(y_true, y_pred = NULL, sample_weight = NULL) {
    update(y_true, y_pred, sample_weight, call = sys.call())
    to_r(rk_method(py, "result"))
  }
  structure(metric, class = c("rkeraslosses_metric", "function"), py_object = py, update = update)
}

#' Methods of a stateful metric
#'
#' A metric made by a `metric_*()` function without data is an R function
#' (calling it updates the state with one batch and returns the result) with
#' these methods:
#'
#' * `m$update_state(y_true, y_pred, sample_weight = NULL)` adds a batch
#'   (for `metric_mean()` and `metric_sum()`: `m$update_state(values, sample_weight = NULL)`);
#' * `m$result()` returns the current value, a `numeric(1)`;
#' * `m$reset_state()` (and R keras 2's `m$reset_states()`) starts again;
#' * `m$merge_state(other, ...)` adds the state of other metrics of the same kind;
#' * `m$get_config()` returns the metric's configuration as a list;
#' * `m$name` is its name.
#'
#' @param x A metric.
#' @param name The method's name.
#' @returns The method, an R function.
#' @family metrics
#' @export
#' @examplesIf core_available()
#' m <- metric_mean_absolute_error()
#' m$update_state(c(1, 2), c(1, 4))
#' m$update_state(c(0, 0), c(1, 1))
#' m$result()
#' m$reset_state()
`$.rkeraslosses_metric` <- function(x, name) {
  py <- attr(x, "py_object")
  switch(name,
    update_state = function(y_true, y_pred = NULL, sample_weight = NULL) {
      attr(x, "update")(y_true, y_pred, sample_weight, call = sys.call())
    },
    result = function() to_r(rk_method(py, "result")),
    reset_state = ,
    reset_states = function() invisible(rk_method(py, "reset_state")),
    merge_state = function(...) {
      others <- lapply(list(...), function(m) attr(m, "py_object"))
      invisible(rk_method(py, "merge_state", others))
    },
    get_config = function() {
      config <- reticulate::py_to_r(rk_method(py, "get_config"))
      # axis back to R's 1-based counting (negative values are the same in both)
      if (is.numeric(config$axis) && config$axis >= 0) config$axis <- config$axis + 1L
      config
    },
    name = reticulate::py_to_r(reticulate::py_get_attr(py, "name")),
    py_object = py,
    rk_abort(sprintf("A metric has no method `%s`; it has update_state(), result(), reset_state(), merge_state(), get_config() and name.", name), call = NULL)
  )
}

#' @export
print.rkeraslosses_metric <- function(x, ...) {
  py <- attr(x, "py_object")
  cat(sprintf("<rkeraslosses metric> %s (%s): result %s\n", py_class_name(py), x$name, format(x$result())))
  invisible(x)
}
