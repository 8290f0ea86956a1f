test_that("without the core, the message says which Python and the one command", {
  expect_snapshot(cat(rkeraslosses:::core_missing_message("/usr/bin/python3")))
  expect_snapshot(cat(rkeraslosses:::core_missing_message(NA_character_)))
})

test_that("install_rkeraslosses asks for a NumPy this reticulate can read", {
  expect_equal(rkeraslosses:::core_requirements("rkeraslosses", numeric_version("1.28")), c("rkeraslosses", "numpy>=1.24,<2"))
  expect_equal(rkeraslosses:::core_requirements("rkeraslosses", numeric_version("1.40")), c("rkeraslosses", "numpy>=1.24"))
})

test_that("the core is found and its errors lose the Python traceback", {
  skip_if_no_core()
  expect_true(core_available())
  err <- tryCatch(loss_mean_squared_error(rbind(c(1, 2)), rbind(c(1, 2, 3))), error = function(e) e)
  expect_s3_class(err, "rkeraslosses_error")
  expect_false(grepl("Traceback|File \"", conditionMessage(err)))
  expect_match(conditionMessage(err), "^Arguments `y_true` and `y_pred` must have the same shape")
})

test_that("RKERASLOSSES_PYTHON points reticulate at a Python, when loading, without starting it", {
  rscript <- file.path(R.home("bin"), "Rscript")
  code <- "suppressPackageStartupMessages(library(rkeraslosses)); cat(Sys.getenv('RETICULATE_PYTHON'), reticulate::py_available())"
  out <- system2(rscript, c("-e", shQuote(code)), stdout = TRUE, stderr = FALSE,
                 env = c("RKERASLOSSES_PYTHON=/opt/some/python3", "RETICULATE_PYTHON="))
  expect_equal(tail(out, 1), "/opt/some/python3 FALSE")  # set for reticulate; Python not started by library()
})
