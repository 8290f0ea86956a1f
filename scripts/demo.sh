#!/usr/bin/env bash
# Set up a Python environment (NumPy only) and run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
python_env .venv/np2 "numpy>=2"
.venv/np2/bin/python examples/demo.py
