test_that("without the core, the message says which Python and the one command", {
  expect_snapshot(cat(rkeraslosses:::core_missing_message("/usr/bin/python3", source = "/lib/rkeraslosses/python")))
  expect_snapshot(cat(rkeraslosses:::core_missing_message(NA_character_, source = "/lib/rkeraslosses/python")))
  # An installation without the bundled core cannot promise the no-argument install.
  expect_snapshot(cat(rkeraslosses:::core_missing_message("/usr/bin/python3", source = "")))
})

test_that("the R package ships the Python core of its own version, and installs it by default", {
  source <- rkeraslosses:::core_source()
  expect_true(nzchar(source))
  expect_true(file.exists(file.path(source, "pyproject.toml")))
  init <- readLines(file.path(source, "rkeraslosses", "__init__.py"))
  version <- sub('^__version__ = "(.*)"$', "\\1", grep("^__version__ = ", init, value = TRUE))
  expect_equal(version, as.character(utils::packageVersion("rkeraslosses")))
  pyproject <- readLines(file.path(source, "pyproject.toml"))
  expect_true(paste0('version = "', version, '"') %in% pyproject)
  expect_equal(rkeraslosses:::core_requirements(reticulate_version = numeric_version("1.28")),
               c(source, "numpy>=1.24,<2"))
  expect_equal(formals(install_rkeraslosses)$package, quote(core_source()))
})

test_that("a core of another version than the R package is a clear error", {
  expect_null(rkeraslosses:::core_version_problem("0.1.0", "/usr/bin/python3", r_version = "0.1.0"))
  expect_snapshot(cat(rkeraslosses:::core_version_problem("0.0.9", "/usr/bin/python3", r_version = "0.1.0")))
})

test_that("positions in the core's messages are counted from 1 in R", {
  expect_equal(rkeraslosses:::r_positions("found -1 at `y[0]` (0-based)."), "found -1 at `y[1]`.")
  expect_equal(rkeraslosses:::r_positions("at `y_true[3, 0, 12]` (0-based) and `y[1]` (0-based)"),
               "at `y_true[4, 1, 13]` and `y[2]`")
  expect_equal(rkeraslosses:::r_positions("no position here [0]"), "no position here [0]")
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

test_that("at first use, a core of another version is refused, saying what to do", {
  skip_if_no_core()  # needs a working Python: the one in use here
  fake <- tempfile("fakecore")
  dir.create(file.path(fake, "rkeraslosses"), recursive = TRUE)
  on.exit(unlink(fake, recursive = TRUE))
  writeLines('__version__ = "0.0.1"', file.path(fake, "rkeraslosses", "__init__.py"))
  rscript <- file.path(R.home("bin"), "Rscript")
  code <- paste("suppressPackageStartupMessages(library(rkeraslosses))",
                "cat(core_available(), tryCatch(to_categorical(c(0, 1)), error = conditionMessage), sep = '\\n')", sep = "; ")
  out <- system2(rscript, c("-e", shQuote(code)), stdout = TRUE, stderr = TRUE,
                 env = c(paste0("PYTHONPATH=", fake), paste0("RETICULATE_PYTHON=", reticulate::py_config()$python),
                         paste0("R_LIBS=", paste(.libPaths(), collapse = .Platform$path.sep))))
  expect_equal(out[1], "FALSE")
  expect_match(paste(out, collapse = "\n"),
               "is version 0.0.1, but the R package is version [0-9.]+: they must match.\nInstall the matching core with: rkeraslosses::install_rkeraslosses()",
               fixed = FALSE)
})
