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
  module <- import_core()
  version <- reticulate::py_to_r(reticulate::py_get_attr(module, "__version__"))
  problem <- core_version_problem(version, python)
  if (!is.null(problem)) return(problem)
  .rk$module <- module
  .rk$functions <- list()
  .rk$ok <- TRUE
  NULL
}

# The R package and its Python core are released together: each version of
# the R package calls the core of the same version (its DESCRIPTION's Version).
core_version_problem <- function(core_version, python = NA_character_,
                                 r_version = as.character(utils::packageVersion("rkeraslosses"))) {
  if (identical(as.character(core_version), r_version)) return(NULL)
  sprintf(paste0(
    "The Python core of rkeraslosses in %s is version %s, but the R package is version %s: ",
    "they must match.\nInstall the matching core with: rkeraslosses::install_rkeraslosses()\n",
    "then restart R (a Python module, once imported, stays for the session)."),
    if (is.na(python) || is.null(python)) "reticulate's Python" else python, core_version, r_version)
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

core_missing_message <- function(python, source = core_source()) {
  install <- if (nzchar(source)) {
    "Install it with: rkeraslosses::install_rkeraslosses()"
  } else {
    "Install it from a clone of the repository: rkeraslosses::install_rkeraslosses(\"/path/to/rkeraslosses\")"
  }
  sprintf(paste0(
    "The Python core of rkeraslosses is not installed in the Python reticulate uses (%s).\n",
    "%s\n",
    "or use another Python: set RKERASLOSSES_PYTHON=/path/to/python before library(rkeraslosses)."),
    if (is.na(python) || is.null(python)) "none found" else python, install)
}

#' Where the R package keeps the source of its Python core
#'
#' The R package ships the Python core of its own version in `inst/python`
#' (copied there from the repository when the package is installed from a
#' clone or built, see `configure`); `install_rkeraslosses()` installs it from
#' there. `""` when this installation carries none.
#' @noRd
core_source <- function() {
  path <- system.file("python", package = "rkeraslosses")
  if (nzchar(path) && file.exists(file.path(path, "pyproject.toml"))) path else ""
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
#' By default it installs the Python core this R package ships (in its
#' `python` folder, copied from the repository when the R package was
#' installed from a clone or built), so that the core's version is the R
#' package's: the package checks this at first use.
#'
#' @param package What pip installs: by default the core shipped with this R
#'   package; or the path of a clone of the repository (its root holds
#'   `pyproject.toml`).
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
install_rkeraslosses <- function(package = core_source(), envname = NULL, method = "auto", ...) {
  if (!nzchar(package)) {
    rk_abort(paste0(
      "This installation of the R package carries no Python core (it was not installed from a clone ",
      "or a tarball built from one). Give the path of a clone: install_rkeraslosses(\"/path/to/rkeraslosses\")"),
      call = NULL)
  }
  requirements <- core_requirements(package)
  install <- requirements
  if (dir.exists(package)) {
    # pip builds a folder in place: build a copy, not the installed R package's folder.
    copy <- tempfile("rkeraslosses-core-")
    dir.create(copy)
    file.copy(list.files(package, full.names = TRUE, all.files = FALSE), copy, recursive = TRUE)
    on.exit(unlink(copy, recursive = TRUE), add = TRUE)
    install[1] <- copy
  }
  reticulate::py_install(install, envname = envname, method = method, pip = TRUE, ...)
  .rk$ok <- NULL
  invisible(requirements)
}

core_requirements <- function(package = core_source(), reticulate_version = utils::packageVersion("reticulate")) {
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
    return(r_positions(last$value))
  }
  message <- sub("\n+Detailed traceback:.*$", "", message)
  r_positions(sub("^[A-Za-z_.]*(Error|Exception|Warning): ", "", trimws(message)))
}

# The core names an element as `y[1, 0]` (0-based) (rkeraslosses._inputs.position);
# R users count from 1: `y[2, 1]`. reticulate hands R arrays to NumPy with the
# same dimensions in the same order, so only the counting differs.
r_positions <- function(message) {
  pattern <- "`([A-Za-z_][A-Za-z0-9_.]*)\\[([0-9, ]*)\\]` \\(0-based\\)"
  found <- gregexpr(pattern, message, perl = TRUE)
  regmatches(message, found) <- lapply(regmatches(message, found), function(items) {
    vapply(items, function(item) {
      index <- as.integer(strsplit(sub(pattern, "\\2", item, perl = TRUE), ",\\s*")[[1]]) + 1L
      sprintf("`%s[%s]`", sub(pattern, "\\1", item, perl = TRUE), paste(index, collapse = ", "))
    }, character(1), USE.NAMES = FALSE)
  })
  message
}
