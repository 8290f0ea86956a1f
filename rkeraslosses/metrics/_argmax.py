"""The arg-max of a block of short rows, as ``np.argmax(x, axis=1)`` gives it.

NumPy's ``argmax`` along a short contiguous axis runs one small arg-max per
row: for 10 columns, about 45 ns a row, many times the time of reading the
row from memory. For short rows, :func:`argmax_rows` works on whole columns
instead: the running (prefix) maximum ``pm[j] = max(x[:, :j + 1])``, one
vectorised ``maximum`` per column, and then the first maximum's column is the
number of prefix maxima still below the row's maximum (the prefix maximum
rises to the maximum at its first occurrence). The result is ``np.argmax``'s
exactly:

* ties: the first maximum (a prefix maximum equal to the maximum stops the count);
* NaN: ``maximum`` propagates NaN, so a row with a NaN has a NaN maximum; a
  block holding one is handed to ``np.argmax`` itself, whose first NaN wins.
"""

from __future__ import annotations

import numpy as np

#: The column-wise arg-max serves rows of at most this many columns (the
#: column count is kept in uint8); wider rows go to ``np.argmax``.
MAX_COLUMNS = 32

#: Fewer rows than this go to ``np.argmax``: a few rows cost a few microseconds
#: there, and about two NumPy calls per column here. Measured on float32 rows
#: of 2 to 32 columns (np.argmax's time / this one's): 0.4-0.7 at 512 rows,
#: 0.75-1.17 at 1024, 1.24-2.09 at 2048 (at 32 rows, 3 µs against 25 µs for
#: 10 columns).
MIN_ROWS = 2048


def argmax_rows(x: np.ndarray) -> np.ndarray:
    """``np.argmax(x, axis=1)`` (intp) of a 2-D block."""
    rows, width = x.shape
    if width > MAX_COLUMNS or width < 2 or rows < MIN_ROWS or x.dtype.kind not in "fiu":
        return np.argmax(x, axis=1)
    prefix = np.empty((width, rows), dtype=x.dtype)
    np.copyto(prefix[0], x[:, 0])
    for j in range(1, width):
        np.maximum(prefix[j - 1], x[:, j], out=prefix[j])
    best = prefix[width - 1]
    if x.dtype.kind == "f":
        top = np.maximum.reduce(best)
        if top != top:  # a row with a NaN: NumPy's NaN rules
            return np.argmax(x, axis=1)
    below = np.less(prefix[: width - 1], best)
    return np.add.reduce(below.view(np.uint8), axis=0, dtype=np.uint8).astype(np.intp)
