#!/usr/bin/env bash
# Set up everything and run every test. This is what CI runs (.ci/run).
#   .venv/np2: NumPy 2 + Keras 3 (JAX backend), the test oracle.
#   .venv/np1: NumPy 1.26, the oldest NumPy line we support.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

python_env .venv/np2 "numpy>=2" "pytest>=7" "hypothesis>=6" "keras>=3" jax jaxlib
python_env .venv/np1 "numpy>=1.24,<2" "pytest>=7" "hypothesis>=6"

echo "== Python tests, NumPy 2 with the Keras oracle" >&2
KERAS_BACKEND=jax RKL_REQUIRE_ORACLE=1 .venv/np2/bin/python -m pytest -q -p no:cacheprovider
echo "== Python tests, NumPy 1.26 (the Keras oracle needs NumPy 2, so its tests are deselected here)" >&2
.venv/np1/bin/python -m pytest -q -p no:cacheprovider -m "not oracle"
