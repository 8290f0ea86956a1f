#!/usr/bin/env bash
# Set up everything and run every test. This is what CI runs (.ci/run).
#   .venv/np2: NumPy 2 + Keras 3 (JAX backend), the test oracle.
#   .venv/np1: NumPy 1.26 + rpy2: the Python that R (reticulate 1.28) uses, and
#              the oldest NumPy line we support.
#   R 4.2 from Debian, the R package installed into .Rlib, then R CMD check.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

r_system
# Both environments get the dask extra (Dask, distributed, zarr, pyarrow), so the
# cluster tests run in CI (RKL_REQUIRE_DASK=1 makes them fail, not skip, without it).
# pyarrow >= 20 is built for NumPy 2; pyarrow < 20 and zarr 2 still serve NumPy 1.
python_env .venv/np2 "numpy>=2" "pytest>=7" "hypothesis>=6" "keras>=3" jax jaxlib "dask[array,dataframe]>=2023.1" "distributed>=2023.1" "zarr>=2.13" "pyarrow>=20" "scikit-learn>=1.3" "tqdm>=4"
python_env .venv/np1 "numpy>=1.24,<2" "pytest>=7" "hypothesis>=6" "rpy2>=3.5,<3.6" "dask[array]>=2023.1" "distributed>=2023.1" "zarr>=2.13,<3" "pyarrow>=12,<20" "tqdm>=4"

export RETICULATE_PYTHON="$PWD/.venv/np1/bin/python"
export R_LIBS="$PWD/.Rlib${R_LIBS:+:$R_LIBS}"
mkdir -p .Rlib
echo "== installing the R package into .Rlib (its configure bundles the Python core in inst/python)" >&2
R CMD INSTALL --no-test-load --library=.Rlib . >/dev/null

echo "== Python tests, NumPy 2 with the Keras oracle" >&2
KERAS_BACKEND=jax RKL_REQUIRE_ORACLE=1 RKL_REQUIRE_DASK=1 .venv/np2/bin/python -m pytest -q -p no:cacheprovider -m "not r"

echo "== Python tests, NumPy 1.26, and the R package through rpy2 (the oracle needs NumPy 2, and the cluster tests ran above: deselected here)" >&2
RKL_REQUIRE_R=1 .venv/np1/bin/python -m pytest -q -p no:cacheprovider -m "not oracle and not cluster"

echo "== R CMD build and R CMD check (NOT_CRAN=true: the snapshot tests run too)" >&2
bash scripts/bundle_core.sh >&2  # the tarball ships the Python core, for install_rkeraslosses()
check_dir=$(mktemp -d)
trap 'rm -rf "$check_dir"' EXIT
(cd "$check_dir" && R CMD build "$OLDPWD" >/dev/null && NOT_CRAN=true _R_CHECK_FORCE_SUGGESTS_=false R CMD check --no-manual rkeraslosses_*.tar.gz) | tee "$check_dir/check.out" | grep -E "^\* (checking (examples|tests|Rd)|DONE)|Status|ERROR|WARNING|NOTE" || true
if ! grep -q "^Status: OK\|^Status: [0-9]* NOTE" "$check_dir/check.out"; then
  cat "$check_dir"/rkeraslosses.Rcheck/00check.log >&2 || true
  echo "R CMD check: an ERROR or WARNING (see above)" >&2
  exit 1
fi
echo "R CMD check: no ERROR, no WARNING" >&2
