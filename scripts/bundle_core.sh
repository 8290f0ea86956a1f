#!/usr/bin/env bash
# Copy the Python core into inst/python (what the R package's configure does at
# install time) so that `R CMD build` ships it in the tarball. scripts/test.sh
# runs this before R CMD build.
set -euo pipefail
cd "$(dirname "$0")/.."
sh ./configure
