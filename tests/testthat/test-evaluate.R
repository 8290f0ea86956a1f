test_that("evaluate_predictions: loss and metrics, seed page 001's data", {
  skip_if_no_core()
  out <- evaluate_predictions(seed_y_true, seed_y_pred, loss = "categorical_crossentropy", metrics = list("mae", "accuracy"))
  expect_named(out, c("loss", "mae", "accuracy"))
  expect_equal(out[["loss"]], 1.177, tolerance = 1e-3)                                  # seed page 001
  expect_equal(out[["mae"]], mean(abs(seed_y_true - seed_y_pred)), tolerance = 1e-6)   # closed form
  expect_equal(out[["accuracy"]], 0.5)                                                  # second row's max is the wrong class
  weighted <- evaluate_predictions(seed_y_true, seed_y_pred, loss = loss_categorical_crossentropy(), sample_weight = c(0.3, 0.7))
  expect_equal(weighted[["loss"]], 0.814, tolerance = 1e-3)                             # seed page 001
})

test_that("evaluate_predictions: batches, R functions, metric objects, character vectors", {
  skip_if_no_core()
  y <- matrix(0:4, ncol = 1); p <- matrix(1, 5, 1)
  # squared errors 1, 0, 1, 4, 9 in batches of 2: (0.5 * 2 + 2.5 * 2 + 9) / 5
  expect_equal(evaluate_predictions(y, p, loss = "mse", batch_size = 2)[["loss"]], 3, tolerance = 1e-6)
  max_error <- function(y_true, y_pred) apply(abs(y_true - y_pred), 1, max)
  out <- evaluate_predictions(y, p, loss = max_error, metrics = c("mae", "mse"))
  expect_equal(out[["loss"]], 1.4, tolerance = 1e-6)  # float32, as Keras
  expect_named(out, c("loss", "mae", "mse"))
  expect_equal(evaluate_predictions(y, p, loss = "mse", metrics = list(metric_mean_absolute_error()))[["mean_absolute_error"]], 1.4, tolerance = 1e-6)
})

test_that("evaluate_predictions: two named outputs with loss weights", {
  skip_if_no_core()
  y <- matrix(0:4, ncol = 1); p <- matrix(1, 5, 1)
  out <- evaluate_predictions(list(a = y, b = 2 * y), list(a = p, b = p), loss = "mse",
                              loss_weights = list(a = 1, b = 0.5), metrics = list(b = list("mae")))
  mse_b <- mean((2 * y - 1)^2)
  expect_equal(out[["loss"]], 3 + 0.5 * mse_b, tolerance = 1e-6)
  expect_equal(out[["a_loss"]], 3, tolerance = 1e-6)
  expect_equal(out[["b_mae"]], mean(abs(2 * y - 1)), tolerance = 1e-6)
})

test_that("evaluate_predictions: a compile config list and errors", {
  skip_if_no_core()
  config <- list(loss = list(class_name = "CategoricalCrossentropy", config = list(label_smoothing = 0)), metrics = list("mae"))
  expect_equal(evaluate_predictions(seed_y_true, seed_y_pred, config = config)[["loss"]], 1.177, tolerance = 1e-3)
  expect_snapshot(error = TRUE, evaluate_predictions(seed_y_true, seed_y_pred[1, , drop = FALSE], loss = "mse"))
  expect_snapshot(error = TRUE, evaluate_predictions(seed_y_true, seed_y_pred, loss = "mean_sqared_error"))
  expect_error(evaluate_predictions(seed_y_true, seed_y_pred, loss = "mse", config = config), class = "rkeraslosses_error")
})

test_that("evaluate_predictions: file paths give the numbers of the arrays", {
  skip_if_no_core()
  np <- reticulate::import("numpy", convert = FALSE)
  dir <- tempfile("rkl"); dir.create(dir)
  set.seed(1)
  n <- 1000
  y <- diag(3)[sample.int(3, n, replace = TRUE), ]
  p <- matrix(runif(3 * n, 0.01, 1), ncol = 3); p <- p / rowSums(p)
  w <- runif(n, 0, 2)
  np$save(file.path(dir, "y.npy"), np$asarray(y, dtype = "float32"))
  np$save(file.path(dir, "p.npy"), np$asarray(p, dtype = "float32"))
  np$save(file.path(dir, "w.npy"), np$asarray(w, dtype = "float32"))
  # the reference: the same float32 values, in memory
  r32 <- function(x) reticulate::py_to_r(np$asarray(x, dtype = "float32"))
  expected <- evaluate_predictions(r32(y), r32(p), loss = "categorical_crossentropy", metrics = list("accuracy"),
                                   weighted_metrics = list("mae"), sample_weight = r32(w), batch_size = 10)
  got <- evaluate_predictions(file.path(dir, "y.npy"), file.path(dir, "p.npy"), loss = "categorical_crossentropy",
                              metrics = list("accuracy"), weighted_metrics = list("mae"),
                              sample_weight = file.path(dir, "w.npy"), batch_size = 10)
  expect_identical(got, expected)
  expect_error(evaluate_predictions(file.path(dir, "y.npy"), p, loss = "mse"), "all as file paths", class = "rkeraslosses_error")
  expect_error(evaluate_predictions(y, p, loss = "mse", scheduler = 1), "`scheduler` must be", class = "rkeraslosses_error")
  unlink(dir, recursive = TRUE)
})

test_that("evaluate_predictions: workers pass through to a local Dask cluster", {
  skip_if_no_core()
  skip_if_not(reticulate::py_module_available("distributed"), "the Python extra rkeraslosses[dask] is not installed")
  skip_on_cran()
  np <- reticulate::import("numpy", convert = FALSE)
  dir <- tempfile("rkl"); dir.create(dir)
  set.seed(2)
  p <- matrix(runif(2 * 3000, 0.01, 1), ncol = 2); p <- p / rowSums(p)
  y <- diag(2)[sample.int(2, 3000, replace = TRUE), ]
  np$save(file.path(dir, "y.npy"), np$asarray(y, dtype = "float32"))
  np$save(file.path(dir, "p.npy"), np$asarray(p, dtype = "float32"))
  args <- list(file.path(dir, "y.npy"), file.path(dir, "p.npy"), loss = "categorical_crossentropy", metrics = list("accuracy"))
  single <- do.call(evaluate_predictions, args)
  expect_identical(do.call(evaluate_predictions, c(args, workers = 2)), single)
  expect_error(evaluate_predictions(file.path(dir, "y.npy"), file.path(dir, "p.npy"), loss = "mse", scheduler = "tcp://127.0.0.1:9"),
               "Cannot reach the Dask scheduler at tcp://127.0.0.1:9", class = "rkeraslosses_error")
  unlink(dir, recursive = TRUE)
})
