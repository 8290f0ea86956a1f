test_that("seed page 004: 1.1769392, then 1.6271976 with sample weights", {
  skip_if_no_core()
  m <- metric_categorical_crossentropy()
  expect_s3_class(m, "rkeraslosses_metric")
  m$update_state(seed_y_true, seed_y_pred)
  expect_equal(m$result(), 1.1769392, tolerance = 1e-7)
  m$reset_states()
  m$update_state(seed_y_true, seed_y_pred, sample_weight = c(0.3, 0.7))
  expect_equal(m$result(), 1.6271976, tolerance = 1e-7)
  m$reset_state()
  expect_equal(m$result(), 0)
  expect_equal(m(seed_y_true, seed_y_pred), 1.1769392, tolerance = 1e-7)
})

test_that("metrics stream over batches like the mean of all samples", {
  skip_if_no_core()
  set.seed(1)
  t <- matrix(runif(40), 10); p <- matrix(runif(40), 10)
  m <- metric_mean_absolute_error()
  m$update_state(t[1:4, ], p[1:4, ])
  m$update_state(t[5:10, ], p[5:10, ])
  expect_equal(m$result(), mean(abs(t - p)), tolerance = 1e-6)
})

test_that("every metric_* has both modes", {
  skip_if_no_core()
  t <- rbind(c(0, 1, 0), c(1, 0, 0)); p <- rbind(c(0.2, 0.7, 0.1), c(0.5, 0.25, 0.25))
  fns <- list(metric_mean_squared_error, metric_mean_absolute_error, metric_mean_absolute_percentage_error,
              metric_mean_squared_logarithmic_error, metric_hinge, metric_squared_hinge, metric_categorical_hinge,
              metric_logcosh_error, metric_kullback_leibler_divergence, metric_poisson, metric_cosine_similarity,
              metric_binary_crossentropy, metric_categorical_crossentropy)
  for (f in fns) {
    values <- f(t, p)
    expect_length(values, 2)
    expect_equal(f(dtype = "float64")(t, p), mean(values))
  }
  expect_equal(metric_sparse_categorical_crossentropy(c(1, 0), p), metric_categorical_crossentropy(t, p))
  expect_equal(metric_sparse_categorical_crossentropy()(factor(c("b", "a")), p), mean(metric_categorical_crossentropy(t, p)), tolerance = 1e-6)
  expect_equal(metric_cosine_similarity(rbind(c(1, 1)), rbind(c(2, 2))), 1)  # positive, unlike the loss
})

test_that("metric_mean, metric_sum and metric_mean_wrapper", {
  skip_if_no_core()
  m <- metric_mean()
  m$update_state(c(1, 3, 5, 7))
  expect_equal(m$result(), 4)
  m$update_state(c(10, 0), sample_weight = c(1, 0))
  expect_equal(m$result(), 26 / 5, tolerance = 1e-7)  # (1 + 3 + 5 + 7 + 10) / (4 + 1), as float32
  expect_equal(metric_sum()(c(1, 2, 3)), 6)
  w <- metric_mean_wrapper(function(y_true, y_pred) abs(y_true - y_pred), name = "abs")
  expect_equal(w(c(1, 2), c(1.5, 2)), 0.25)
  expect_equal(w$name, "abs")
  expect_error(metric_mean_wrapper("mae"), class = "rkeraslosses_error")
})

test_that("merge_state combines metrics that saw different batches", {
  skip_if_no_core()
  set.seed(2)
  t <- matrix(runif(60), 20); p <- matrix(runif(60), 20)
  whole <- metric_mean_squared_error(); whole$update_state(t[1:10, ], p[1:10, ]); whole$update_state(t[11:20, ], p[11:20, ])
  a <- metric_mean_squared_error(); a$update_state(t[1:10, ], p[1:10, ])
  b <- metric_mean_squared_error(); b$update_state(t[11:20, ], p[11:20, ])
  a$merge_state(b)
  expect_identical(a$result(), whole$result())
})

test_that("a failed update leaves the state as it was", {
  skip_if_no_core()
  m <- metric_categorical_crossentropy()
  m$update_state(seed_y_true, seed_y_pred)
  before <- m$result()
  expect_error(m$update_state(seed_y_true, seed_y_pred[, 1:2]), class = "rkeraslosses_error")
  expect_equal(m$result(), before)
})

test_that("get_config reports the 1-based axis and the metric prints", {
  skip_if_no_core()
  config <- metric_categorical_crossentropy(axis = 2)$get_config()
  expect_equal(config$axis, 2L)
  expect_equal(config$name, "categorical_crossentropy")
  expect_output(print(metric_mean()), "metric")
  expect_error(metric_mean()$no_such_method, class = "rkeraslosses_error")
})

test_that("accuracy metrics: closed forms, both modes", {
  skip_if_no_core()
  # closed forms: the share of matches
  expect_equal(metric_accuracy(rbind(c(1, 2, 3)), rbind(c(1, 0, 3))), rbind(c(1, 0, 1)))  # elementwise, as Keras
  expect_equal(metric_accuracy()(c(1, 2, 3, 4), c(1, 0, 3, 0)), 0.5)
  y_true <- rbind(c(0, 1), c(1, 1)); y_pred <- rbind(c(0.3, 0.7), c(0.6, 0.4))
  expect_equal(metric_binary_accuracy(y_true, y_pred), rbind(c(1, 1), c(1, 0)))
  expect_equal(metric_binary_accuracy(threshold = 0.65)(y_true, y_pred), 0.5)  # 0.3, 0.7 right; 0.6, 0.4 both 0
  expect_equal(metric_categorical_accuracy(seed_y_true, seed_y_pred), c(1, 0))
  expect_equal(metric_categorical_accuracy()(seed_y_true, seed_y_pred), 0.5)
  expect_equal(metric_sparse_categorical_accuracy(c(1, 2), seed_y_pred), c(1, 0))
  expect_equal(metric_sparse_categorical_accuracy()(factor(c("b", "c"), levels = c("a", "b", "c")), seed_y_pred), 0.5)
  m <- metric_sparse_categorical_accuracy()
  m$update_state(c(1, 2), seed_y_pred, sample_weight = c(3, 1))
  expect_equal(m$result(), 0.75)
})

test_that("keras3's metric names: kl_divergence, log_cosh_error, log_cosh, huber", {
  skip_if_no_core()
  t <- rbind(c(0, 1), c(1, 0.5)); p <- rbind(c(0.5, 0.25), c(2, 1))
  expect_equal(metric_kl_divergence(t, p), metric_kullback_leibler_divergence(t, p))
  expect_equal(metric_log_cosh_error(t, p), metric_logcosh_error(t, p))
  expect_equal(metric_log_cosh(t, p), rowMeans(log(cosh(p - t))))  # closed form
  expect_equal(metric_huber(t, p), rowMeans(ifelse(abs(p - t) <= 1, 0.5 * (p - t)^2, abs(p - t) - 0.5)))
  expect_equal(metric_huber(t, p, delta = 0.3), rowMeans(ifelse(abs(p - t) <= 0.3, 0.5 * (p - t)^2, 0.3 * abs(p - t) - 0.045)))
  expect_equal(metric_huber(delta = 0.3, dtype = "float64")(t, p), mean(metric_huber(t, p, delta = 0.3)))
  expect_equal(metric_log_cosh_error()$name, "logcosh")
  expect_equal(metric_huber()$name, "huber")
})
