test_that("both data arguments or neither", {
  skip_if_no_core()
  expect_s3_class(loss_huber(delta = 2), "rkeraslosses_loss")
  expect_s3_class(metric_hinge(), "rkeraslosses_metric")
  expect_error(loss_huber(y_pred = rbind(1)), "y_true` is missing", class = "rkeraslosses_error")
  expect_error(metric_hinge(rbind(1)), "y_pred` is missing", class = "rkeraslosses_error")
})

test_that("options reach the core, invalid ones are errors", {
  skip_if_no_core()
  expect_equal(loss_huber(rbind(c(0, 0)), rbind(c(0.5, 3)), delta = 2), mean(c(0.125, 2 * 3 - 2)))  # closed form
  expect_error(loss_huber(delta = -1), "delta", class = "rkeraslosses_error")
  expect_error(loss_binary_crossentropy(label_smoothing = 2), "label_smoothing", class = "rkeraslosses_error")
  expect_error(loss_mean_squared_error(colour = "red"), "colour", class = "rkeraslosses_error")
})

test_that("an argument without a default is an error naming it, before Python is called", {
  f <- function(y_true, y_pred, num_classes, ..., name = NULL) {
    rkeraslosses:::r_keras_call("metric_made_up", environment(), list(...))
  }
  expect_error(f(), "`metric_made_up\\(\\)` needs `num_classes`", class = "rkeraslosses_error")
})

test_that("label kind comes from the core's registry, also for objects made from names", {
  skip_if_no_core()
  y_pred <- rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1))
  labels <- factor(c("b", "c"), levels = c("a", "b", "c"))
  expect_equal(rkeraslosses:::r_flags_of("metric_sparse_categorical_accuracy")$sparse_labels, TRUE)
  expect_equal(rkeraslosses:::r_flags_of("metric_mean")$values, TRUE)
  expect_equal(rkeraslosses:::r_flags_of("loss_huber")$kind, "loss")
  # get_loss() wraps the function in a LossFunctionWrapper: its flags come from the wrapped function
  scce <- get_loss("sparse_categorical_crossentropy")
  expect_equal(scce(labels, y_pred), mean(loss_sparse_categorical_crossentropy(c(1, 2), y_pred)), tolerance = 1e-6)
  acc <- get_metric("sparse_categorical_accuracy")
  expect_equal(acc(labels, y_pred), 0.5)
})

test_that("a deprecated name warns once per session and forwards", {
  skip_if_no_core()
  rk <- rkeraslosses:::.rk
  rk$warned$loss_cosine_proximity <- NULL  # as in a new session
  t <- rbind(c(0, 1)); p <- rbind(c(1, 1))
  expect_warning(loss_cosine_proximity(t, p), "`loss_cosine_proximity\\(\\)` is deprecated: use `loss_cosine_similarity\\(\\)`")
  expect_no_warning(out <- loss_cosine_proximity(t, p))
  expect_equal(out, loss_cosine_similarity(t, p))
  rk$warned$loss_cosine_proximity <- NULL  # leave the session as other tests expect it
})
