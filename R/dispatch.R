# R keras' two modes, in one place: with y_true and y_pred a `loss_*()` or
# `metric_*()` returns per-sample values; with neither, an object.

r_keras_call <- function(py_name, env, dots, wrap, labels, fun, call) {
  defaults <- option_defaults(py_name, fun)
  # Only options that differ from their defaults (which are the core's too)
  # cross to Python: each one converted costs microseconds on every call.
  options <- list()
  for (name in names(defaults)) {
    value <- env[[name]]
    if (!identical(value, defaults[[name]])) options[name] <- list(value)
  }
  if (length(dots)) options <- c(options, dots)
  if (length(options)) options <- coerce_options(options)
  has_true <- !eval(missing_y_true, env)
  has_pred <- !eval(missing_y_pred, env)
  if (!has_true && !has_pred) {
    return(wrap(do.call(rk_call, c(list(py_name), options, list(call = call)), quote = TRUE)))
  }
  if (!has_true || !has_pred) {
    rk_abort(sprintf("`%s()` takes both `y_true` and `y_pred` (per-sample values) or neither (an object); `%s` is missing.",
                     py_name, if (has_true) "y_pred" else "y_true"), call = call)
  }
  y_true <- get("y_true", envir = env)
  y_true <- if (labels) as_labels(y_true, "y_true") else as_array(y_true, "y_true")
  y_pred <- as_array(get("y_pred", envir = env), "y_pred")
  to_r(do.call(rk_call, c(list(py_name, y_true, y_pred), options, list(call = call)), quote = TRUE))
}

missing_y_true <- quote(missing(y_true))
missing_y_pred <- quote(missing(y_pred))

# `env` is the environment of the calling `loss_*()` / `metric_*()`, whose
# formals name the options; `dots` its `...`.
r_keras_loss <- function(py_name, env, dots, labels = FALSE) {
  r_keras_call(py_name, env, dots, new_loss_object, labels, sys.function(sys.parent()), sys.call(sys.parent()))
}

r_keras_metric <- function(py_name, env, dots, labels = FALSE) {
  r_keras_call(py_name, env, dots, new_metric_object, labels, sys.function(sys.parent()), sys.call(sys.parent()))
}

# The evaluated default of every option of a `loss_*()` / `metric_*()`, once per session.
option_defaults <- function(py_name, fun) {
  defaults <- .rk$defaults[[py_name]]
  if (is.null(defaults)) {
    forms <- formals(fun)
    forms <- forms[setdiff(names(forms), c("y_true", "y_pred", "..."))]
    defaults <- lapply(forms, eval, envir = baseenv())
    .rk$defaults[[py_name]] <- defaults
  }
  defaults
}
