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
