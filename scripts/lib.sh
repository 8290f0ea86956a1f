# Shared setup steps for scripts/demo.sh, scripts/test.sh and .ci/run.
# Everything the project needs is installed from here: nothing may be assumed
# to be on the machine beforehand except Python 3 with venv and pip.

# python_env DIR REQUIREMENT...: make a virtual environment at DIR (once) and
# install this repository's Python package into it with the requirements given.
python_env() {
  local dir=$1
  shift
  if [ ! -x "$dir/bin/python" ]; then
    echo "== creating $dir" >&2
    python3 -m venv "$dir"
  fi
  echo "== installing into $dir: rkeraslosses $*" >&2
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -e . "$@"
}

# r_system: R 4.2 and the R packages the R side needs, from Debian (CRAN is out of reach).
r_system() {
  local pkgs="r-base-core r-base-dev r-cran-reticulate r-cran-testthat r-cran-knitr r-cran-rmarkdown r-cran-roxygen2 pandoc r-cran-mlmetrics r-cran-bench"
  local missing=""
  for p in $pkgs; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "== apt-get install$missing" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
  fi
}
