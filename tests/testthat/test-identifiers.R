test_that("get_loss: names, aliases, objects, configs and R functions", {
  skip_if_no_core()
  t <- rbind(c(0, 1), c(1, 1)); p <- rbind(c(1, 1), c(1, 0))
  expect_equal(get_loss("mse")(t, p), mean(loss_mean_squared_error(t, p)), tolerance = 1e-6)
  expect_equal(get_loss("logcosh")(t, p), mean(loss_logcosh(t, p)), tolerance = 1e-6)
  expect_equal(get_loss("CategoricalCrossentropy")(seed_y_true, seed_y_pred), 1.177, tolerance = 1e-3)
  cce <- loss_categorical_crossentropy(reduction = "sum")
  expect_identical(get_loss(cce), cce)
  from_config <- get_loss(list(class_name = "CategoricalCrossentropy", config = list(reduction = "sum")))
  expect_equal(from_config(seed_y_true, seed_y_pred), 2.354, tolerance = 1e-3)
  max_error <- function(y_true, y_pred) apply(abs(y_true - y_pred), 1, max)
  expect_equal(get_loss(max_error)(rbind(c(0, 0), c(0, 0)), rbind(c(1, 3), c(1, 1))), 2)  # maxima 3 and 1
  expect_snapshot(error = TRUE, get_loss("categorial_crossentropy"))
})

test_that("crossentropy is picked from the shapes", {
  skip_if_no_core()
  ce <- get_loss("crossentropy")
  expect_equal(ce(c(1, 2), seed_y_pred), 1.177, tolerance = 1e-3)       # sparse labels
  expect_equal(ce(seed_y_true, seed_y_pred), 1.177, tolerance = 1e-3)   # one-hot labels
})

test_that("get_metric and resolve_compile: a compile-style list resolves", {
  skip_if_no_core()
  spec <- resolve_compile(list(loss = "mse", metrics = list("mae", metric_categorical_crossentropy(), function(y_true, y_pred) rowSums(y_pred))))
  expect_s3_class(spec$loss, "rkeraslosses_loss")
  expect_length(spec$metrics, 3)
  expect_equal(spec$metrics[[1]](rbind(c(0, 1)), rbind(c(1, 1))), 0.5)
  expect_equal(spec$metrics[[2]](seed_y_true, seed_y_pred), 1.1769392, tolerance = 1e-7)
  expect_equal(spec$metrics[[3]](seed_y_true, seed_y_pred), 1)
  expect_equal(resolve_compile(list(loss = "mse", metrics = c("mae", "mse")))$metrics[[2]]$name, "mean_squared_error")
  expect_error(resolve_compile(list(metrics = "mae")), class = "rkeraslosses_error")
  expect_error(get_metric("no_such_metric"), "Unknown metric", class = "rkeraslosses_error")
})
