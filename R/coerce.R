# The one set of named coercers: every R value goes through one of these
# before the single call into Python, and every result comes back through
# `to_r()`. (keras3's capture_args(list(axis = as_axis, ...)) style.)

# Raise an R condition of class `rkeraslosses_error`.
rk_abort <- function(message, call = sys.call(-1)) {
  stop(structure(
    class = c("rkeraslosses_error", "error", "condition"),
    list(message = message, call = call)
  ))
}

#' Coerce R data to an array NumPy receives with the same `dim`
#'
#' Vectors become 1-d arrays (never Python lists), matrices and arrays keep
#' their `dim`, integer and logical become numbers (`NA` becomes `NaN`, which
#' propagates to the result), and a data.frame of numeric columns is used as
#' a matrix.
#' @noRd
as_array <- function(x, arg = deparse(substitute(x))) {
  if (is.null(x)) return(NULL)
  if (is.data.frame(x)) {
    ok <- vapply(x, function(col) is.numeric(col) || is.logical(col), logical(1))
    if (!all(ok)) {
      rk_abort(sprintf("`%s` is a data.frame with non-numeric columns (%s); give the numeric columns only.",
                       arg, paste(names(x)[!ok], collapse = ", ")), call = NULL)
    }
    x <- as.matrix(x)
  }
  if (is.factor(x)) {
    rk_abort(sprintf("`%s` is a factor; a factor is allowed as class labels only (sparse losses, `to_categorical()`).", arg), call = NULL)
  }
  if (!(is.numeric(x) || is.logical(x))) {
    rk_abort(sprintf("`%s` must be a numeric vector, matrix or array; received an object of class <%s>.",
                     arg, paste(class(x), collapse = "/")), call = NULL)
  }
  if (is.logical(x) || (is.integer(x) && anyNA(x))) {
    storage.mode(x) <- "double"  # reticulate would turn NA into TRUE or -2147483648
  }
  if (is.null(dim(x))) x <- array(x, dim = length(x))
  x
}

#' Coerce class labels: 0-based integers, as in R keras
#'
#' Factors become `as.integer(f) - 1L`; characters are an error suggesting
#' `factor()`; `NA` is an error naming its position.
#' @noRd
as_labels <- function(y, arg = deparse(substitute(y))) {
  if (is.null(y)) return(NULL)
  if (is.character(y)) {
    rk_abort(sprintf("`%s` holds character labels; convert them with `factor()` first (level i becomes label i - 1).", arg), call = NULL)
  }
  if (is.factor(y)) {
    y <- array(as.integer(y) - 1L, dim = if (is.null(dim(y))) length(y) else dim(y))
  }
  if (is.data.frame(y)) y <- as.matrix(y)
  if (!(is.numeric(y) || is.logical(y))) {
    rk_abort(sprintf("`%s` must hold integer class labels; received an object of class <%s>.",
                     arg, paste(class(y), collapse = "/")), call = NULL)
  }
  if (anyNA(y)) {
    where <- which(is.na(y))
    rk_abort(sprintf("`%s` has NA at position %s; class labels must be 0-based integers, with no missing values.",
                     arg, paste(utils::head(where, 5), collapse = ", ")), call = NULL)
  }
  as_array(y, arg)
}

#' Coerce an axis: 1-based in R (as in R keras), 0-based in Python
#' @noRd
as_axis <- function(axis, arg = "axis") {
  if (is.null(axis)) return(NULL)
  if (!is.numeric(axis) || length(axis) != 1L || is.na(axis) || axis != round(axis)) {
    rk_abort(sprintf("`%s` must be a single whole number (1-based; negative values count from the end).", arg), call = NULL)
  }
  if (axis == 0) {
    rk_abort(sprintf("`%s` is 1-based in R, as in R keras: use 1 for the first dimension or -1 for the last; `%s = 0` is not valid.", arg, arg), call = NULL)
  }
  as.integer(if (axis > 0) axis - 1 else axis)
}

# A whole number or NULL: counts (`k`, `num_classes`, `num_thresholds`,
# `num_labels`, `num_regressors`, `top_k`) and 0-based class indices
# (`class_id`, `ignore_class`), which R keras passes unchanged.
as_integer_or_null <- function(x, arg) {
  if (is.null(x)) return(NULL)
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x != round(x)) {
    rk_abort(sprintf("`%s` must be a single whole number or NULL.", arg), call = NULL)
  }
  as.integer(x)
}

# 0-based class indices (`target_class_ids`): always a Python list of ints,
# also for one id.
as_class_ids <- function(x, arg) {
  if (is.null(x)) return(NULL)
  if (is.list(x)) x <- unlist(x)
  if (!is.numeric(x) || !length(x) || anyNA(x) || any(x != round(x))) {
    rk_abort(sprintf("`%s` must be a vector of whole numbers (0-based class indices, as in R keras).", arg), call = NULL)
  }
  as.list(as.integer(x))
}

# Thresholds: one number crosses as a float, several as a Python list of
# floats (as R keras passes them); NULL keeps the core's default.
as_thresholds <- function(x, arg) {
  if (is.null(x)) return(NULL)
  if (is.list(x)) x <- unlist(x)
  if (!is.numeric(x) || !length(x) || anyNA(x)) {
    rk_abort(sprintf("`%s` must be a number or a numeric vector (no NA), or NULL.", arg), call = NULL)
  }
  x <- as.numeric(x)
  if (length(x) == 1L) x else as.list(x)
}

# The options of the loss and metric constructors that R spells differently
# from Python, each with its coercer, by argument name; the others cross
# unchanged and the core validates them.
option_coercers <- list(
  axis = as_axis,
  ignore_class = as_integer_or_null,
  class_id = as_integer_or_null,
  target_class_ids = as_class_ids,
  k = as_integer_or_null,
  top_k = as_integer_or_null,
  num_classes = as_integer_or_null,
  num_thresholds = as_integer_or_null,
  num_labels = as_integer_or_null,
  num_regressors = as_integer_or_null,
  thresholds = as_thresholds
)

coerce_options <- function(options) {
  for (key in intersect(names(options), names(option_coercers))) {
    value <- option_coercers[[key]](options[[key]], key)
    if (is.null(value)) options[key] <- list(NULL) else options[[key]] <- value
  }
  options
}

# y_true for a loss or metric: class labels (factors allowed) where the
# core's flags say the labels are sparse, else numbers.
coerce_y_true <- function(flags, y_true) {
  if (isTRUE(flags$sparse_labels)) as_labels(y_true, "y_true") else as_array(y_true, "y_true")
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

# y_true / y_pred: one array, or a list of arrays (a named list for named outputs).
as_outputs <- function(x, arg, labels_ok = FALSE) {
  if (is.list(x) && !is.data.frame(x)) {
    out <- lapply(seq_along(x), function(i) as_outputs(x[[i]], sprintf("%s[[%d]]", arg, i), labels_ok))
    names(out) <- names(x)
    return(out)
  }
  if (labels_ok && is.factor(x)) as_labels(x, arg) else as_array(x, arg)
}

# An identifier for the core: names stay strings, R objects give their Python
# object, R functions become Python callables, lists keep their structure.
as_identifier <- function(x) {
  if (is.null(x)) return(NULL)
  if (inherits(x, "rkeraslosses_loss") || inherits(x, "rkeraslosses_metric")) return(attr(x, "py_object"))
  if (is.function(x)) return(as_py_function(x))
  if (is.list(x) && is.null(x$class_name)) {
    out <- lapply(x, as_identifier)
    names(out) <- names(x)
    return(out)
  }
  if (is.character(x) && length(x) > 1L) return(as.list(x))
  x
}

as_identifier_list <- function(x) {
  if (is.null(x)) return(NULL)
  if (is.character(x) || is.function(x) || inherits(x, "rkeraslosses_loss") || (is.list(x) && !is.null(x$class_name))) {
    x <- as.list(if (is.character(x)) x else list(x))
  }
  as_identifier(x)
}

# log_loss() weights: a number, or an array (one per sample, or the losses' shape).
as_weights <- function(weights, arg = "weights") {
  if (length(weights) == 1L && is.null(dim(weights))) as.numeric(weights) else as_array(weights, arg)
}

# What comes back from Python, as plain R: a numeric vector for a 1-d array
# or a list of numbers (a metric with several values), an array with its dim
# otherwise, numeric(1) for a scalar.
to_r <- function(x) {
  if (inherits(x, "python.builtin.object")) {
    # reticulate's C++ converter reads NumPy arrays and scalars itself; the
    # R-level numpy methods only add several Python round trips per call.
    class(x) <- "python.builtin.object"
    x <- reticulate::py_to_r(x)
  }
  if (is.array(x) && length(dim(x)) <= 1L) x <- as.vector(x)
  if (is.list(x) && length(x) && is.null(names(x)) &&
      all(vapply(x, function(v) (is.numeric(v) || is.logical(v)) && length(v) == 1L, logical(1)))) {
    x <- as.numeric(unlist(x))
  }
  x
}

# A file path: one string (evaluate_predictions() reads files on the Python side).
is_path <- function(x) is.character(x) && length(x) == 1L && !is.na(x)
