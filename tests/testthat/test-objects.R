test_that("loss objects print, and take factor labels when sparse", {
  skip_if_no_core()
  cce <- loss_categorical_crossentropy(label_smoothing = 0.1)
  expect_output(print(cce), "CategoricalCrossentropy.*label_smoothing=0.1")
  scce <- loss_sparse_categorical_crossentropy()
  labels <- factor(c("b", "c"), levels = c("a", "b", "c"))
  expect_equal(scce(labels, seed_y_pred), scce(c(1, 2), seed_y_pred))
})

test_that("metric objects: methods, calling, printing", {
  skip_if_no_core()
  m <- metric_mean_squared_error(name = "mse")
  expect_equal(m$name, "mse")
  expect_equal(m(rbind(c(0, 0)), rbind(c(1, 3))), 5)      # (1 + 9) / 2
  m$reset_state()
  expect_equal(m$result(), 0)
  expect_output(print(m), "MeanSquaredError \\(mse\\)")
  expect_equal(m$get_config()$name, "mse")
})
