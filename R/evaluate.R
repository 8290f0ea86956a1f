#' Evaluate predictions as Keras' `evaluate()` would
#'
#' Give the objective as you would give it to `compile()` — `loss`, `metrics`,
#' `loss_weights`, `weighted_metrics` — or the compile configuration Keras
#' saved (a `.keras` file or a JSON file of `model$get_compile_config()`), and
#' get the numbers `evaluate()` reports for these predictions, accumulated
#' batch by batch as Keras does (the loss is the mean of the batch losses,
#' weighted by batch size; metrics are streamed over the batches).
#'
#' Identifiers are what `compile()` takes: names (`"mse"`,
#' `"categorical_crossentropy"`, `"accuracy"`, ...), objects from `loss_*()`
#' and `metric_*()`, Keras config lists, and plain R functions
#' `function(y_true, y_pred)` returning one value per sample. For several
#' outputs, give `y_true` and `y_pred` as named lists of arrays and `loss`,
#' `loss_weights`, `metrics` as named lists by output.
#'
#' Data that do not fit in R's memory can stay in files: give `y_true`,
#' `y_pred` (and `sample_weight`) as paths of `.npy`, `.zarr` or Parquet
#' files. Python reads them block by block (about 64K rows at a time,
#' whatever `batch_size` is; the numbers are Keras' batch-by-batch ones). With
#' `workers` (a local Dask cluster of that many processes, started for the
#' call) or `scheduler` (the address of a running `dask.distributed`
#' scheduler, whose workers see the same paths) the blocks are evaluated on
#' the cluster and the exact states merged: the result equals the
#' single-process one. Both need the Python extra `rkeraslosses[dask]`.
#'
#' @param y_true Ground truth: a vector, matrix, array (a factor for sparse
#'   labels), or a named list of them for several outputs; or the path of a
#'   `.npy`, `.zarr` or Parquet file.
#' @param y_pred Predictions, in the same structure (or a file path, when
#'   `y_true` is one).
#' @param loss A loss identifier (or a named list by output).
#' @param metrics A list (or character vector) of metric identifiers; they
#'   ignore `sample_weight`.
#' @param loss_weights For several outputs: the weight of each output's loss.
#' @param weighted_metrics Like `metrics`, weighted by `sample_weight`.
#' @param sample_weight One weight per sample, or `NULL` (or a file path, when
#'   `y_true` and `y_pred` are files).
#' @param batch_size Rows per batch; `NULL` is Keras' default, 32.
#' @param config A compile configuration instead of `loss` ... `weighted_metrics`:
#'   the path of a `.keras` or JSON file, or a list as `get_compile_config()` returns.
#' @param output_names For several outputs given as an unnamed list: their names.
#' @param workers Evaluate on a local Dask cluster of this many worker
#'   processes, started and stopped for the call; `NULL` evaluates in this process.
#' @param scheduler Evaluate on a running Dask scheduler at this address
#'   (such as `"tcp://10.0.0.5:8786"`) instead; an unreachable address fails
#'   after 10 seconds, naming it.
#' @returns A named numeric vector: `loss`, then the metrics by the names
#'   Keras gives them (`<output>_<metric>` and `<output>_loss` for several outputs).
#'   A metric with several values (a list of `thresholds`, `metric_f1_score()`
#'   per class) gives one element per value, named as `unlist()` names them
#'   (`f1_score1`, `f1_score2`, ...).
#' @family identifiers
#' @export
#' @examplesIf core_available()
#' y_true <- rbind(c(0, 1, 0), c(0, 0, 1))
#' y_pred <- rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1))
#' evaluate_predictions(y_true, y_pred, loss = "categorical_crossentropy",
#'                      metrics = list("mae", "accuracy"))
#' evaluate_predictions(y_true, y_pred, loss = loss_categorical_crossentropy(label_smoothing = 0.1),
#'                      sample_weight = c(0.3, 0.7))
#' \dontrun{
#' # Files that do not fit in memory, on 4 local worker processes:
#' evaluate_predictions("labels.npy", "predictions.parquet", loss = "categorical_crossentropy",
#'                      metrics = "accuracy", workers = 4)
#' }
evaluate_predictions <- function(y_true, y_pred, loss = NULL, metrics = NULL, loss_weights = NULL,
                                 weighted_metrics = NULL, sample_weight = NULL, batch_size = NULL,
                                 config = NULL, output_names = NULL, workers = NULL, scheduler = NULL) {
  call <- sys.call()
  files <- is_path(y_true) || is_path(y_pred)
  if (files) {
    if (!is_path(y_true) || !is_path(y_pred) || !(is.null(sample_weight) || is_path(sample_weight))) {
      rk_abort("Give `y_true`, `y_pred` (and `sample_weight`) all as file paths, or all as arrays.", call = call)
    }
    y_true <- path.expand(y_true)
    y_pred <- path.expand(y_pred)
    if (!is.null(sample_weight)) sample_weight <- path.expand(sample_weight)
  } else {
    y_true <- as_outputs(y_true, "y_true", labels_ok = TRUE)
    y_pred <- as_outputs(y_pred, "y_pred")
    sample_weight <- as_array(sample_weight, "sample_weight")
  }
  batch_size <- as_integer_or_null(batch_size, "batch_size")
  workers <- as_integer_or_null(workers, "workers")
  if (!is.null(scheduler) && (!is.character(scheduler) || length(scheduler) != 1L || is.na(scheduler))) {
    rk_abort("`scheduler` must be the address of a Dask scheduler, such as \"tcp://10.0.0.5:8786\", or NULL.", call = call)
  }
  if (!is.null(config)) {
    if (!is.null(loss) || !is.null(metrics) || !is.null(loss_weights) || !is.null(weighted_metrics)) {
      rk_abort("`config` gives the whole objective: do not combine it with `loss`, `metrics`, `loss_weights` or `weighted_metrics`.", call = call)
    }
    if (is.character(config)) config <- path.expand(config)
    evaluator <- rk_call(reticulate::py_get_attr(core_function("Evaluator"), "from_config"), config, call = call)
  } else {
    evaluator <- rk_call(core_function("Evaluator"), loss = as_identifier(loss), metrics = as_identifier_list(metrics),
                         loss_weights = as_identifier(loss_weights), weighted_metrics = as_identifier_list(weighted_metrics),
                         output_names = if (is.null(output_names)) NULL else as.list(output_names), call = call)
  }
  if (files || !is.null(workers) || !is.null(scheduler)) {
    distributed <- reticulate::import("rkeraslosses.distributed", convert = FALSE)
    result <- rk_call(distributed$evaluate_on, evaluator, y_true, y_pred, sample_weight = sample_weight,
                      batch_size = batch_size, scheduler = scheduler, workers = workers, call = call)
  } else {
    result <- rk_method(evaluator, "evaluate", y_true, y_pred, sample_weight = sample_weight,
                        batch_size = batch_size, call = call)
  }
  unlist(reticulate::py_to_r(result))
}
