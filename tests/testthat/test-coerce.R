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

test_that("counts and 0-based class indices: whole numbers to Python ints, unchanged", {
  expect_identical(rkeraslosses:::as_integer_or_null(3, "num_classes"), 3L)
  expect_identical(rkeraslosses:::as_integer_or_null(0L, "class_id"), 0L)  # 0-based: the first class, not shifted
  expect_null(rkeraslosses:::as_integer_or_null(NULL, "class_id"))
  expect_error(rkeraslosses:::as_integer_or_null(2.5, "k"), "`k` must be a single whole number", class = "rkeraslosses_error")
  expect_error(rkeraslosses:::as_integer_or_null(c(1, 2), "num_thresholds"), class = "rkeraslosses_error")
})

test_that("target_class_ids become a list of ints, also for one id", {
  expect_identical(rkeraslosses:::as_class_ids(c(0, 2), "target_class_ids"), list(0L, 2L))
  expect_identical(rkeraslosses:::as_class_ids(1L, "target_class_ids"), list(1L))
  expect_identical(rkeraslosses:::as_class_ids(list(0L, 1L), "target_class_ids"), list(0L, 1L))  # keras3's default spelling
  expect_error(rkeraslosses:::as_class_ids(c(0, 1.5), "target_class_ids"), "0-based class indices", class = "rkeraslosses_error")
})

test_that("thresholds: one number stays a number, several become a list", {
  expect_identical(rkeraslosses:::as_thresholds(0.5, "thresholds"), 0.5)
  expect_identical(rkeraslosses:::as_thresholds(c(0.2, 0.8), "thresholds"), list(0.2, 0.8))
  expect_identical(rkeraslosses:::as_thresholds(1L, "thresholds"), 1)
  expect_null(rkeraslosses:::as_thresholds(NULL, "thresholds"))
  expect_error(rkeraslosses:::as_thresholds(c(0.2, NA), "thresholds"), "thresholds", class = "rkeraslosses_error")
})

test_that("coerce_options picks the coercer by argument name and leaves the others", {
  out <- rkeraslosses:::coerce_options(list(axis = 2, num_classes = 3, thresholds = c(0.1, 0.9), class_id = NULL,
                                            target_class_ids = c(0, 1), curve = "PR", k = 5))
  expect_identical(out, list(axis = 1L, num_classes = 3L, thresholds = list(0.1, 0.9), class_id = NULL,
                             target_class_ids = list(0L, 1L), curve = "PR", k = 5L))
})

test_that("to_r: several values come back as a numeric vector", {
  expect_identical(rkeraslosses:::to_r(list(0.5, 1, 2L)), c(0.5, 1, 2))
  expect_identical(rkeraslosses:::to_r(array(c(1, 2), dim = 2L)), c(1, 2))
  expect_identical(rkeraslosses:::to_r(list(a = 1)), list(a = 1))  # a named list (a config) stays a list
})
