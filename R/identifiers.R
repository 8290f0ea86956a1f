#' Resolve a loss or metric identifier, as `compile()` does
#'
#' `get_loss()` accepts what `compile(loss = ...)` accepts: a name (`"mse"`,
#' `"categorical_crossentropy"`, `"CategoricalCrossentropy"`, R keras 2
#' names such as `"logcosh"`; `"crossentropy"` picks binary, sparse or
#' categorical from the shapes), a loss object from a `loss_*()` function, a
#' Keras config list (`list(class_name = ..., config = list(...))`), or a
#' plain R `function(y_true, y_pred)` returning one value per sample.
#' `get_metric()` does the same for metrics. `resolve_compile()` resolves a
#' whole compile-style list, `list(loss = ..., metrics = list(...))`.
#'
#' An unknown name is an error suggesting the closest names.
#'
#' @param identifier A name, object, config list or function.
#' @param config A list with `loss` and optionally `metrics`.
#' @returns `get_loss()`: a loss object (an R function
#'   `loss(y_true, y_pred, sample_weight = NULL)` returning `numeric(1)`).
#'   `get_metric()`: a metric object. `resolve_compile()`: the list with its
#'   `loss` and `metrics` resolved.
#' @family identifiers
#' @export
#' @examplesIf core_available()
#' mse <- get_loss("mse")
#' mse(rbind(c(0, 1)), rbind(c(1, 1)))
#' get_loss(function(y_true, y_pred) apply(abs(y_true - y_pred), 1, max))(rbind(c(0, 0)), rbind(c(1, 3)))
#' spec <- resolve_compile(list(loss = "mse", metrics = list("mae")))
#' spec$metrics[[1]](rbind(c(0, 1)), rbind(c(1, 1)))
get_loss <- function(identifier) {
  if (inherits(identifier, "rkeraslosses_loss")) return(identifier)
  py <- if (is.function(identifier)) {
    rk_call(core_class("losses", "LossFunctionWrapper"), as_py_function(identifier),
            name = deparse_name(substitute(identifier)))
  } else {
    obj <- rk_call("get", identifier)
    if (!is_py_loss(obj)) obj <- rk_call(core_class("losses", "LossFunctionWrapper"), obj)
    obj
  }
  new_loss_object(py)
}

#' @rdname get_loss
#' @export
get_metric <- function(identifier) {
  if (inherits(identifier, "rkeraslosses_metric")) return(identifier)
  if (inherits(identifier, "rkeraslosses_loss")) identifier <- attr(identifier, "py_object")
  if (is.function(identifier)) {
    return(new_metric_object(rk_call(core_class("metrics", "MeanMetricWrapper"), as_py_function(identifier),
                                     name = deparse_name(substitute(identifier)))))
  }
  new_metric_object(rk_call(core_class("metrics", "get"), identifier))
}

#' @rdname get_loss
#' @export
resolve_compile <- function(config) {
  if (!is.list(config) || is.null(config$loss)) {
    rk_abort("`config` must be a list with a `loss` element, as compile() takes it: list(loss = \"mse\", metrics = list(\"mae\")).")
  }
  config$loss <- get_loss(config$loss)
  if (!is.null(config$metrics)) {
    metrics <- if (is.list(config$metrics)) config$metrics else as.list(config$metrics)
    config$metrics <- lapply(metrics, get_metric)
  }
  config
}

is_py_loss <- function(obj) {
  isTRUE(reticulate::py_to_r(rk_call(reticulate::import_builtins(convert = FALSE)$isinstance, obj, core_class("losses", "Loss"))))
}

# An attribute of a submodule of the core (`losses`, `metrics`).
core_class <- function(module, name) {
  reticulate::py_get_attr(reticulate::py_get_attr(core(), module), name)
}

deparse_name <- function(expr) {
  name <- paste(deparse(expr), collapse = "")
  if (is.symbol(expr) && nzchar(name)) name else "custom"
}
