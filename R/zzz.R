.onLoad <- function(libname, pkgname) {
  python <- Sys.getenv("RKERASLOSSES_PYTHON", unset = getOption("rkeraslosses.python", ""))
  if (nzchar(python) && !nzchar(Sys.getenv("RETICULATE_PYTHON"))) {
    Sys.setenv(RETICULATE_PYTHON = python)
  }
  # Lazy: nothing is imported (and no Python is looked for) until first use.
  .rk$module <- reticulate::import("rkeraslosses", delay_load = TRUE)
}
