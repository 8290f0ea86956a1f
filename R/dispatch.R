# R keras' two modes, in one place: with y_true and y_pred a `loss_*()` or
# `metric_*()` returns per-sample values; with neither, an object. The
# generated functions of R/losses.R and R/metrics.R all call r_keras_call();
# what differs between them (sparse labels, loss or metric, values-style
# update) comes from the core's registry through r_flags_of(), never from
# the function's or the class's name.

r_keras_call <- function(r_name, env, dots) {
  fun <- sys.function(sys.parent())
  call <- sys.call(sys.parent())
  formals <- option_formals(r_name, fun)
  # Only options that differ from their defaults (which are the core's too)
  # cross to Python: each one converted costs microseconds on every call.
  options <- list()
  for (name in names(formals$defaults)) {
    value <- env[[name]]
    if (!identical(value, formals$defaults[[name]])) options[name] <- list(value)
  }
  for (name in formals$required) {
    if (eval(call("missing", as.name(name)), env)) {
      rk_abort(sprintf("`%s()` needs `%s`: it has no default.", r_name, name), call = call)
    }
    options[name] <- list(get(name, envir = env))
  }
  if (length(dots)) options <- c(options, dots)
  if (length(options)) options <- coerce_options(options)
  flags <- r_flags_of(r_name)
  has_true <- !eval(missing_y_true, env)
  has_pred <- !eval(missing_y_pred, env)
  if (!has_true && !has_pred) {
    py <- do.call(rk_call, c(list(r_name), options, list(call = call)), quote = TRUE)
    return(if (identical(flags$kind, "loss")) new_loss_object(py, flags) else new_metric_object(py, flags))
  }
  if (!has_true || !has_pred) {
    rk_abort(sprintf("`%s()` takes both `y_true` and `y_pred` (per-sample values) or neither (an object); `%s` is missing.",
                     r_name, if (has_true) "y_pred" else "y_true"), call = call)
  }
  y_true <- coerce_y_true(flags, get("y_true", envir = env))
  y_pred <- as_array(get("y_pred", envir = env), "y_pred")
  to_r(do.call(rk_call, c(list(r_name, y_true, y_pred), options, list(call = call)), quote = TRUE))
}

missing_y_true <- quote(missing(y_true))
missing_y_pred <- quote(missing(y_pred))

# The evaluated default of every option of a `loss_*()` / `metric_*()`, and
# the options without a default (`num_classes`, ...), once per session.
option_formals <- function(r_name, fun) {
  if (is.null(.rk$defaults)) .rk$defaults <- list()
  formals <- .rk$defaults[[r_name]]
  if (is.null(formals)) {
    forms <- formals(fun)
    forms <- forms[setdiff(names(forms), c("y_true", "y_pred", "..."))]
    required <- vapply(names(forms), function(n) is.symbol(forms[[n]]) && identical(as.character(forms[[n]]), ""), logical(1))
    formals <- list(defaults = lapply(forms[!required], eval, envir = baseenv()), required = names(forms)[required])
    .rk$defaults[[r_name]] <- formals
  }
  formals
}

# What the core's registry says of an R name (`sparse_labels`, `labels`,
# `kind`, `values`), once per session.
r_flags_of <- function(r_name) {
  if (is.null(.rk$flags)) .rk$flags <- list()
  flags <- .rk$flags[[r_name]]
  if (is.null(flags)) {
    flags <- reticulate::py_to_r(rk_call(core_rstyle("r_flags"), r_name))
    .rk$flags[[r_name]] <- flags
  }
  flags
}

# The same flags for a Python loss or metric object, whatever made it.
object_flags <- function(py) {
  reticulate::py_to_r(rk_call(core_rstyle("object_flags"), py))
}

# A function of the core's R-style module (rkeraslosses._rstyle).
core_rstyle <- function(name) {
  reticulate::py_get_attr(reticulate::py_get_attr(core(), "_rstyle"), name)
}

# A deprecated R name: warn once per session, then the caller forwards.
deprecated_alias <- function(old, new, kind) {
  if (is.null(.rk$warned)) .rk$warned <- list()
  if (!isTRUE(.rk$warned[[old]])) {
    .rk$warned[[old]] <- TRUE
    warning(sprintf("`%s()` is deprecated: use `%s()` (the same %s).", old, new, kind), call. = FALSE)
  }
  invisible(NULL)
}
