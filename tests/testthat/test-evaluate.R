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
