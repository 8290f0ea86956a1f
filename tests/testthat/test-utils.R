test_that("to_categorical: 0-based labels, num_classes, matrices", {
  skip_if_no_core()
  expect_equal(to_categorical(c(0, 2, 1)), rbind(c(1, 0, 0), c(0, 0, 1), c(0, 1, 0)))
  expect_equal(to_categorical(c(1, 0), num_classes = 4), rbind(c(0, 1, 0, 0), c(1, 0, 0, 0)))
  expect_equal(dim(to_categorical(matrix(c(0, 1), ncol = 1))), c(2L, 2L))  # a trailing 1 is dropped
  expect_equal(dim(to_categorical(matrix(c(0, 1, 2, 0), 2))), c(2L, 2L, 3L))
  expect_equal(to_categorical(c(0L, 1L)), diag(2))
})

test_that("to_categorical: factors keep a column for every level", {
  skip_if_no_core()
  f <- factor(c("cat", "dog"), levels = c("bird", "cat", "dog", "fish"))
  expect_equal(to_categorical(f), rbind(c(0, 1, 0, 0), c(0, 0, 1, 0)))
  expect_equal(dim(to_categorical(f, num_classes = 5)), c(2L, 5L))
})

test_that("to_categorical: bad labels are clear errors", {
  skip_if_no_core()
  expect_snapshot(error = TRUE, to_categorical(c("a", "b")))
  expect_snapshot(error = TRUE, to_categorical(c(0, NA, 1)))
  expect_snapshot(error = TRUE, to_categorical(c(0, -1)))
  expect_snapshot(error = TRUE, to_categorical(c(0, 3), num_classes = 3))
  expect_snapshot(error = TRUE, to_categorical(c(0, 5), num_classes = 3))   # names num_classes, counts from 1
  expect_snapshot(error = TRUE, to_categorical(rbind(c(0, 1), c(4, 0)), num_classes = 3))
  expect_error(to_categorical(c(0, 1.5)), "non-integer", class = "rkeraslosses_error")
})

test_that("set_num_threads: the same numbers on any count, and the setting comes back", {
  skip_if_not(core_available())
  old <- set_num_threads(1)
  on.exit(set_num_threads(old), add = TRUE)
  expect_equal(get_num_threads(), 1L)
  set.seed(3)
  n <- 70000L  # several blocks of the core's block loop
  y <- sample(0:9, n, replace = TRUE)
  p <- matrix(rnorm(n * 10), n, 10)
  one <- loss_sparse_categorical_crossentropy(y, p, from_logits = TRUE)
  expect_equal(set_num_threads(3), 1L)
  expect_identical(loss_sparse_categorical_crossentropy(y, p, from_logits = TRUE), one)
  expect_error(set_num_threads(0), "at least 1")
  expect_error(set_num_threads(1.5), "whole number")
  expect_error(set_num_threads("2"), "whole number")
})
