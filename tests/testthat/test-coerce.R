# The coercers work without Python.

test_that("as_axis: 1-based, negative from the end, 0 is an error", {
  expect_identical(rkeraslosses:::as_axis(2), 1L)
  expect_identical(rkeraslosses:::as_axis(1L), 0L)
  expect_identical(rkeraslosses:::as_axis(-1), -1L)
  expect_snapshot(error = TRUE, rkeraslosses:::as_axis(0))
  expect_error(rkeraslosses:::as_axis(1.5), class = "rkeraslosses_error")
  expect_error(rkeraslosses:::as_axis(c(1, 2)), class = "rkeraslosses_error")
})

test_that("as_array keeps dims and never hands over a list", {
  expect_equal(dim(rkeraslosses:::as_array(c(1, 2, 3))), 3L)
  expect_equal(dim(rkeraslosses:::as_array(matrix(1:6, 2))), c(2L, 3L))
  expect_type(rkeraslosses:::as_array(c(TRUE, NA)), "double")
  expect_true(is.na(rkeraslosses:::as_array(c(TRUE, NA))[2]))
  expect_type(rkeraslosses:::as_array(c(1L, NA)), "double")
  expect_equal(dim(rkeraslosses:::as_array(data.frame(a = 1:2, b = 3:4))), c(2L, 2L))
  expect_error(rkeraslosses:::as_array(data.frame(a = 1:2, b = c("x", "y"))), "non-numeric columns \\(b\\)", class = "rkeraslosses_error")
  expect_error(rkeraslosses:::as_array(list(1, 2)), class = "rkeraslosses_error")
  expect_error(rkeraslosses:::as_array(factor("a")), "factor", class = "rkeraslosses_error")
})

test_that("as_labels: factors are 0-based, NA and characters are errors", {
  expect_equal(as.vector(rkeraslosses:::as_labels(factor(c("b", "a", "b")))), c(1, 0, 1))
  expect_snapshot(error = TRUE, rkeraslosses:::as_labels(c(0, NA, 2, NA), "y_true"))
  expect_snapshot(error = TRUE, rkeraslosses:::as_labels(c("x", "y"), "y_true"))
})
