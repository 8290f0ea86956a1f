# Finding and calling the Python core.

.rk <- new.env(parent = emptyenv())

#' Is the Python core available?
#'
#' `core_available()` tells whether the Python that reticulate uses can import
#' the `rkeraslosses` Python package with a NumPy reticulate can read. The
#' first call starts Python; nothing is looked for when the R package loads.
#'
#' Which Python: the one reticulate finds, unless the environment variable
#' `RKERASLOSSES_PYTHON` (or the option `rkeraslosses.python`) names one
#' before the package is loaded; `RETICULATE_PYTHON` works too.
#'
#' @returns `TRUE` or `FALSE`.
#' @family python setup
#' @export
#' @examples
#' core_available()
core_available <- function() {
  is.null(core_problem())
}

# NULL when the core can be used, else the message saying what to do.
core_problem <- function() {
  if (isTRUE(.rk$ok)) return(NULL)
  python <- tryCatch(reticulate::py_discover_config()$python, error = function(e) NA_character_)
  imported <- tryCatch({
    import_core()
    TRUE
  }, error = function(e) FALSE)
  if (!imported) return(core_missing_message(python))
  numpy <- tryCatch(reticulate::py_eval("__import__('numpy').__version__"), error = function(e) NA_character_)
  if (!is.na(numpy) && utils::packageVersion("reticulate") < "1.36" &&
      numeric_version(numpy) >= "2") {
    return(sprintf(paste0(
      "The Python at %s has NumPy %s, which reticulate %s cannot read (it needs reticulate >= 1.36, ",
      "or NumPy < 2). Install a NumPy 1.x there: rkeraslosses::install_rkeraslosses()"),
      python, numpy, utils::packageVersion("reticulate")))
  }
  .rk$module <- import_core()
  .rk$functions <- list()
  .rk$ok <- TRUE
  NULL
}

# Import the core. A folder named `rkeraslosses` in the working directory
# (an installed copy of this R package, say, during R CMD check) would be
# imported as an empty namespace package and shadow the real core: then
# import again without the working directory on the path.
import_core <- function() {
  module <- reticulate::import("rkeraslosses", convert = FALSE)
  if (!reticulate::py_has_attr(module, "__version__")) {
    sys <- reticulate::import("sys", convert = FALSE)
    modules <- reticulate::py_get_attr(sys, "modules")
    reticulate::py_del_item(modules, "rkeraslosses")
    path <- reticulate::py_to_r(reticulate::py_get_attr(sys, "path"))
    reticulate::py_set_attr(sys, "path", reticulate::r_to_py(setdiff(path, c("", ".", getwd()))))
    on.exit(reticulate::py_set_attr(sys, "path", reticulate::r_to_py(path)))
    module <- reticulate::import("rkeraslosses", convert = FALSE)
  }
  module
}

core_missing_message <- function(python) {
  sprintf(paste0(
    "The Python core of rkeraslosses is not installed in the Python reticulate uses (%s).\n",
    "Install it with: rkeraslosses::install_rkeraslosses()\n",
    "or use another Python: set RKERASLOSSES_PYTHON=/path/to/python before library(rkeraslosses)."),
    if (is.na(python) || is.null(python)) "none found" else python)
}

# The imported Python module (without automatic conversion: rk_call converts
# what comes back itself); an actionable error when it cannot be used.
core <- function() {
  problem <- core_problem()
  if (!is.null(problem)) rk_abort(problem, call = NULL)
  .rk$module
}

# A function of the core by name, looked up once per session.
core_function <- function(name) {
  fun <- .rk$functions[[name]]
  if (is.null(fun)) {
    fun <- reticulate::py_get_attr(core(), name)
    .rk$functions[[name]] <- fun
  }
  fun
}

#' Install the Python core
#'
#' Installs the `rkeraslosses` Python package, with a NumPy that this
#' version of reticulate can read (`numpy<2` for reticulate older than 1.36),
#' into the Python environment reticulate uses (or `envname`).
#'
#' @param package What pip installs: `"rkeraslosses"`, or the path of a clone
#'   of the repository (its root holds `pyproject.toml`).
#' @param envname,method Passed to [reticulate::py_install()].
#' @param ... Further arguments for [reticulate::py_install()].
#' @returns The pip requirements installed, invisibly.
#' @family python setup
#' @export
#' @examples
#' \dontrun{
#' install_rkeraslosses()
#' install_rkeraslosses("~/src/rkeraslosses")  # from a clone
#' }
install_rkeraslosses <- function(package = "rkeraslosses", envname = NULL, method = "auto", ...) {
  requirements <- core_requirements(package)
  reticulate::py_install(requirements, envname = envname, method = method, pip = TRUE, ...)
  .rk$ok <- NULL
  invisible(requirements)
}

core_requirements <- function(package = "rkeraslosses", reticulate_version = utils::packageVersion("reticulate")) {
  numpy <- if (reticulate_version < "1.36") "numpy>=1.24,<2" else "numpy>=1.24"
  c(path.expand(package), numpy)
}

# Call a function of the core (or a method of a Python object) once, turning a
# Python exception into an R condition of class `rkeraslosses_error` that
# carries the core's message, without the Python traceback.
# One Python call: R arguments become NumPy arrays (r_to_py), the result comes
# back as a Python object for to_r() to convert.
rk_call <- function(fun, ..., call = sys.call(-1)) {
  if (is.character(fun)) fun <- core_function(fun)
  tryCatch(reticulate::py_call(fun, ...), error = function(e) {
    if (inherits(e, "rkeraslosses_error")) stop(e)
    rk_abort(python_message(e), call = call)
  })
}

# A method of a Python object, called once.
rk_method <- function(py, method, ..., call = sys.call(-1)) {
  rk_call(reticulate::py_get_attr(py, method), ..., call = call)
}

python_message <- function(e) {
  message <- conditionMessage(e)
  last <- tryCatch(reticulate::py_last_error(), error = function(e) NULL)
  if (!is.null(last) && startsWith(message, paste0(last$type, ":"))) {
    return(last$value)
  }
  message <- sub("\n+Detailed traceback:.*$", "", message)
  sub("^[A-Za-z_.]*(Error|Exception|Warning): ", "", trimws(message))
}
