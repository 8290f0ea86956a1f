# Expected values from seed page 000's formula, computed here.
closed_form <- function(t, p, eps = 1e-7) -t * log(p + eps) - (1 - t) * log(1 - p + eps)

test_that("log_loss: every reduction, with the page's formula", {
  skip_if_no_core()
  t <- rbind(c(0, 1, 1), c(1, 0, 1)); p <- rbind(c(0.1, 0.8, 0.6), c(0.9, 0.3, 0.99))
  w <- rbind(c(1, 0, 2), c(0, 0.5, 1))
  l <- closed_form(t, p) * w
  expect_equal(log_loss(t, p, weights = w), sum(l) / sum(w != 0))
  expect_equal(log_loss(t, p, weights = w, reduction = "SUM_BY_NONZERO_WEIGHTS"), sum(l) / sum(w != 0))
  expect_equal(log_loss(t, p, weights = w, reduction = "weighted_sum"), sum(l))
  expect_equal(log_loss(t, p, weights = w, reduction = "MEAN"), sum(l) / sum(w))
  expect_equal(log_loss(t, p, weights = w, reduction = "SUM_OVER_BATCH_SIZE"), sum(l) / length(l))
  expect_equal(log_loss(t, p, weights = w, reduction = "none"), l)
  expect_equal(log_loss(t, p, weights = c(2, 0)), sum(closed_form(t, p)[1, ] * 2) / 3)  # one weight per sample
  expect_equal(log_loss(t, p, weights = 0), 0)
})

test_that("log_loss: bad input", {
  skip_if_no_core()
  expect_snapshot(error = TRUE, log_loss(NULL, c(0.5, 0.5)))
  expect_snapshot(error = TRUE, log_loss(c(0, 1), c(0.5, 0.5, 0.5)))
  expect_snapshot(error = TRUE, log_loss(c(0, 1), c(0.5, 0.5), reduction = "average"))
})
