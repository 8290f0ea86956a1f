"""Sums of float arrays in float64, fast for short rows and float32 values.

The metrics keep their running sums in float64 (exact across updates). Within
an update, float32 values are first added in float32 in runs of 16 (a batched
matrix-vector product ``ones(16) @ runs``, whose result is a sixteenth of its
input), and the runs' sums in float64: a float64 reduction of float32 values converts each value
first and ran 3x slower. Used by R2Score and RootMeanSquaredError
(``regression.py``).

(Tried for the weighted confusion counts, each cell's weights by exact products
and differences then these sums: nine passes over a chunk, no faster than the
weighted ``bincount`` it would replace.)
"""

from __future__ import annotations

import numpy as np


def group(d: int) -> int:
    """Rows regrouped into one by :func:`add_column_sums` (about 256 values)."""
    return max(1, 256 // max(d, 1))


#: float32 values are added in float32 in runs of this many (regrouped) rows,
#: and the runs' sums in float64 (see :func:`add_column_sums`).
FLOAT32_RUN = 16

#: The float32 runs are summed as ``ones(16) @ runs``: a batched matrix-vector
#: product adds the 16 values of each column position 2.5x faster than
#: ``np.add.reduce(runs, axis=1)``.
_RUN_ONES = np.ones(FLOAT32_RUN, dtype=np.float32)


def add_column_sums(x: np.ndarray, acc: np.ndarray) -> None:
    """Add the column sums of each ``(rows, d)`` array of ``x`` (``(q, rows, d)``,
    each array C-contiguous) to ``acc`` (``(q, m * d)`` float64, ``m =
    group(d)``), in regrouped form: :func:`fold_column_sums` gives the
    ``(q, d)`` sums at the end, so a loop over blocks folds once.

    NumPy adds short rows one at a time, so rows are regrouped into rows of
    about 256 values (``m`` rows of ``d``), whose axis-0 sums vectorise. float32
    values are first summed in float32 in runs of 16 regrouped rows (each run
    sums 16 values of a column, so its rounding is at most 16 ulps of the run's
    sum, less than Keras' float32 sum over a batch of 32 rows makes), and the
    runs' sums in float64: a float64 reduction of float32 values converts each
    value first and ran 3x slower than a float32 one. Rows after the last whole
    run are added in float64.
    """
    q, rows, d = x.shape
    width = acc.shape[1]
    if not x.size:
        return
    flat = x.reshape(q, rows * d)
    done = 0
    if x.dtype == np.float32:
        runs = rows * d // (width * FLOAT32_RUN)
        if runs:
            done = runs * FLOAT32_RUN * width
            partial = np.matmul(_RUN_ONES, flat[:, :done].reshape(q, runs, FLOAT32_RUN, width))
            acc += np.add.reduce(partial, axis=1, dtype=np.float64)
    full = done + (rows * d - done) // width * width
    if full > done:
        acc += np.add.reduce(flat[:, done:full].reshape(q, -1, width), axis=1, dtype=np.float64)
    if full < rows * d:  # fewer than m rows: they fill the first columns of one regrouped row
        acc[:, : rows * d - full] += flat[:, full:]


def fold_column_sums(acc: np.ndarray, d: int) -> np.ndarray:
    """The ``(q, d)`` column sums from :func:`add_column_sums`' regrouped
    ``acc`` (``acc`` itself when rows were not regrouped: wide rows need no copy)."""
    q, width = acc.shape
    if width == d:  # d >= 256, or no columns
        return acc
    return acc.reshape(q, width // d, d).sum(axis=1)
