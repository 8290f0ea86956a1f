#' Convert class labels to one-hot rows
#'
#' Labels are 0-based integers, as in R keras (`to_categorical(c(0, 2, 1))`).
#' A factor is converted with `as.integer(f) - 1` and gives one column per
#' level, unused levels included. Character labels are an error suggesting
#' `factor()`; `NA`, negative and fractional labels, and a `num_classes` too
#' small, are errors naming the bad value.
#'
#' @param y Class labels: a vector, matrix or array of integers `0, 1, ...`,
#'   or a factor.
#' @param num_classes The number of classes; `NULL` uses `max(y) + 1` (for a
#'   factor, `nlevels(y)`).
#' @param dtype The type of the result's values (`"float32"` as in Keras; R
#'   returns them as doubles).
#' @returns A matrix (or array) with one more dimension than `y` (a trailing
#'   dimension of size 1 is dropped first): one row per label, one column per
#'   class.
#' @family utilities
#' @export
#' @examplesIf core_available()
#' to_categorical(c(0, 2, 1))
#' to_categorical(factor(c("cat", "dog"), levels = c("bird", "cat", "dog")))
to_categorical <- function(y, num_classes = NULL, dtype = "float32") {
  if (is.factor(y) && is.null(num_classes)) num_classes <- nlevels(y)
  to_r(rk_call("to_categorical", as_labels(y, "y"), num_classes = as_integer_or_null(num_classes, "num_classes"),
               dtype = dtype))
}

#' Threads for large calls
#'
#' Large inputs are computed in blocks, and the blocks can run on several
#' threads at once (NumPy releases Python's lock while it computes). Every
#' number is the same with any thread count: a block writes only its own rows.
#' Without a call to `set_num_threads()`, the count is the environment variable
#' `RKERASLOSSES_NUM_THREADS`, else `OMP_NUM_THREADS`, else the cores this
#' process may use, at most 4 -- read when Python starts, so set them before the
#' first call (`Sys.setenv()` after that does not reach Python).
#'
#' @param n The number of threads, a whole number of at least 1; `NULL` goes
#'   back to the default.
#' @returns `set_num_threads()`: the previous count, invisibly.
#'   `get_num_threads()`: the current count.
#' @family utilities
#' @export
#' @examplesIf core_available()
#' old <- set_num_threads(1)
#' get_num_threads()
#' set_num_threads(old)
set_num_threads <- function(n) {
  if (!is.null(n)) {
    if (!is.numeric(n) || length(n) != 1L || is.na(n) || n != round(n)) {
      rk_abort(sprintf("`n` must be a whole number of threads (or NULL for the default), not %s.", deparse(n)[1]))
    }
    n <- as.integer(n)
  }
  invisible(to_r(rk_call("set_num_threads", n)))
}

#' @rdname set_num_threads
#' @export
get_num_threads <- function() {
  to_r(rk_call("get_num_threads"))
}
