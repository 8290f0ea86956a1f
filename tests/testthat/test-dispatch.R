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
