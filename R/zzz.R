.onLoad <- function(libname, pkgname) {
  python <- Sys.getenv("RKERASLOSSES_PYTHON", unset = getOption("rkeraslosses.python", ""))
  if (nzchar(python) && !nzchar(Sys.getenv("RETICULATE_PYTHON"))) {
    Sys.setenv(RETICULATE_PYTHON = python)
  }
  # Lazy: nothing is imported (and no Python is looked for) until the first
  # call, when core() imports the module (see import_code in core.R).
  .rk$module <- NULL
}
