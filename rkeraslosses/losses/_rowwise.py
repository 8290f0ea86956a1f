"""Block-wise evaluation of per-sample formulas over the last axis.

A loss formula is written for a 2-D block ``(rows, C)`` and returns one value
per row. :func:`rowwise` feeds it blocks of about ``BLOCK_ELEMENTS`` elements,
so every temporary the formula makes stays in cache, and no temporary ever
has the size of the whole input.

Reductions along the short last axis use one add per column (or ``einsum``),
never BLAS ``gemv``: NumPy's ``sum(axis=-1)`` over 10 elements is several
times slower, and ``gemv`` sums a row differently depending on its position
in the block (see :func:`rowsum`).

The blocks of a large call run on several threads (``_parallel.py``; NumPy
releases Python's lock inside its loops). Each block writes only its own rows
and a row's arithmetic never depends on the other rows, so the results are the
same bits on any number of threads and at any block size (a NaN's sign bit
aside, see ``_parallel.py``).

NaN and infinities propagate without NumPy's RuntimeWarnings: the kernels run
with floating-point errors ignored (:func:`quiet` / :func:`restore`), in every
thread.
"""

from __future__ import annotations

import contextvars
import math
from typing import Any, Callable

import numpy as np

from .._inputs import EPSILON, einsum as _einsum, quiet, restore, same_shape_pair
from .._parallel import get_num_threads, run_parts

#: Elements per block: 262144 float32 values are 1 MiB, so a formula's few
#: temporaries stay in a 2 MiB L2 cache together with the two input blocks.
#: Measured on (1e6, 10) float32: 32K gave 6.9x the memory floor on one-hot
#: crossentropy, 256K 4.6x (bit-identical results: a block never changes a
#: row's arithmetic); 512K and above are slower for the log/exp losses.
BLOCK_ELEMENTS = 1 << 18


try:  # the ufunc behind np.clip: one pass, where maximum then minimum take two
    from numpy._core.umath import clip as _clip
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core.umath import clip as _clip

#: The smallest block (elements) a thread is given: below it, one thread runs
#: every block (see :func:`rowwise`).
MIN_THREAD_BLOCK = 1 << 16

_CONSTANTS: dict[tuple[np.dtype, float], np.ndarray] = {}


def const(dtype: np.dtype, value: float) -> np.ndarray:
    """``value`` in ``dtype`` as a cached 0-d array: making a NumPy scalar costs
    0.3 µs, and a ufunc takes a 0-d array 0.2 µs faster than a scalar (the same
    numbers: the same value, dtype and loop)."""
    key = (dtype, value)
    c = _CONSTANTS.get(key)
    if c is None:
        c = np.array(value, dtype=dtype)
        c.flags.writeable = False
        if len(_CONSTANTS) < 512:
            _CONSTANTS[key] = c
    return c


class Constants:
    """The constants the kernels use most, as cached 0-d arrays of one dtype
    (see :func:`const`): one dictionary lookup per call (:func:`constants`)
    instead of one per constant, 0.13 µs each, which a small call's 4-10 µs feels."""

    __slots__ = ("zero", "half", "one", "two", "eps", "one_minus_eps")

    def __init__(self, dtype: np.dtype):
        dt = dtype.type
        self.zero = const(dtype, 0)
        self.half = const(dtype, 0.5)
        self.one = const(dtype, 1)
        self.two = const(dtype, 2)
        self.eps = const(dtype, EPSILON)  # Keras' epsilon, rounded in the dtype
        self.one_minus_eps = const(dtype, dt(1) - dt(EPSILON))  # 1 - epsilon, rounded as Keras rounds it


_CONSTANTS_OF: dict[np.dtype, Constants] = {}


def constants(dtype: np.dtype) -> Constants:
    """The :class:`Constants` of a floating dtype."""
    k = _CONSTANTS_OF.get(dtype)
    if k is None:
        k = Constants(dtype)
        if len(_CONSTANTS_OF) < 64:
            _CONSTANTS_OF[dtype] = k
    return k


def rowsum(x: np.ndarray) -> np.ndarray:
    """Sum a 2-D block over its last axis, the same for a row wherever it sits.

    A row's sum depends on that row alone: not on how many rows the block has,
    where the row is, or the memory's alignment (checked for widths 1 to 1000,
    float32 and float64, every offset). BLAS ``gemv`` (``x @ ones``) is faster
    on large blocks but not so: OpenBLAS sums a row in another order when it
    falls in the remainder of its 4-row kernel, so a sample's loss would change
    with the batch it is in, and a block evaluation (``Evaluator.update_chunk``)
    could not equal Keras' batch-by-batch numbers. ``einsum`` is one call (a
    small block's sum costs one NumPy call, not one per column) and, on a
    256K-element block, as fast as one add per column.
    """
    # rowmean calls this einsum itself (one Python call less): keep the two alike.
    return _einsum("ij->i", x)


def rowdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``rowsum(a * b)`` in one pass, without the product's temporary (einsum's
    sum of products; a row's result likewise depends on that row alone).

    On (1e6, 10) float32, mean squared error as ``rowdot(d, d)`` runs in 0.72x
    the time of squaring then summing (one pass less over each block).
    """
    # rowmeandot calls this einsum itself (one Python call less): keep the two alike.
    return _einsum("ij,ij->i", a, b)


def finite_sum(x: np.ndarray) -> bool:
    """Whether the sum of a 1-D or 2-D block is finite: then every value is, so
    one reduction clears a block (a False may also be an overflowing sum: the
    caller then checks row by row). einsum's sum ran 3x faster than
    ``np.add.reduce(x, axis=None)`` on a 256K-element block, 1 µs on a small one."""
    return math.isfinite(_einsum("ij->" if x.ndim == 2 else "i->", x))


def rowmean(x: np.ndarray) -> np.ndarray:
    """Mean of a 2-D block over its last axis; a mean over no values is 0."""
    n = x.shape[-1]
    if n == 0:
        return np.zeros(x.shape[0], dtype=x.dtype)
    out = _einsum("ij->i", x)  # rowsum(x), one Python call less
    out /= n  # n converts to x's dtype exactly as dtype(n) would, without the scalar's cost
    return out


def negated_mean(sums: np.ndarray, n: int) -> np.ndarray:
    """``-(sums / n)`` in place, in one division: ``s / -n`` is exactly
    ``-(s / n)`` (IEEE rounding is symmetric), one NumPy call less on a small
    call; -0.0 for a mean over no values."""
    if not n:
        return np.negative(sums, out=sums)
    sums /= -n
    return sums


def rowmeandot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``rowmean(a * b)`` by :func:`rowdot`, without the product's pass."""
    n = a.shape[-1]
    if n == 0:
        return np.zeros(a.shape[0], dtype=a.dtype)
    out = _einsum("ij,ij->i", a, b)  # rowdot(a, b), one Python call less
    out /= n
    return out


def rowmeansq(x: np.ndarray) -> np.ndarray:
    """Mean of the squares of a 2-D block over its last axis (:func:`rowdot`)."""
    return rowmeandot(x, x)


def rowmax(x: np.ndarray) -> np.ndarray:
    """Maximum of a 2-D block over its last axis (NaN propagates)."""
    if x.shape[-1] == 0:
        return np.full(x.shape[0], -np.inf, dtype=x.dtype)
    if x.shape[1] > 32 or x.shape[0] <= 48:
        return np.maximum.reduce(x, axis=-1)
    # One vectorised maximum per column: NumPy's reduce along a short
    # contiguous axis is about 4x slower (but one call: faster for a few rows).
    out = x[:, 0].copy()
    for j in range(1, x.shape[1]):
        np.maximum(out, x[:, j], out=out)
    return out


def clip(x: np.ndarray, low: float, high: float, out: np.ndarray | None = None) -> np.ndarray:
    """``np.clip`` without its Python wrapper (several microseconds, which
    dominate a small call): NumPy's clip ufunc, one pass (NaN propagates)."""
    return _clip(x, const(x.dtype, low), const(x.dtype, high), out=out)


def prob_clip(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Clip probabilities to Keras' ``[eps, 1 - eps]``, with ``1 - eps`` rounded in x's dtype."""
    k = constants(x.dtype)
    return _clip(x, k.eps, k.one_minus_eps, out=out)


#: The dtype that :func:`rowwise` casts each block of floating input to, when
#: set (:func:`cast_blocks`): a Loss object computes in its own dtype, and a
#: float64 input cast block by block costs no full-size copy (see
#: :data:`CASTS_BY_BLOCK`).
_BLOCK_DTYPE: contextvars.ContextVar[np.dtype | None] = contextvars.ContextVar("rkeraslosses_block_dtype", default=None)

#: Loss (and accuracy) functions that read their floating inputs only inside
#: :func:`rowwise`'s blocks (every check, label rule and constant is taken on a
#: block), or after :func:`cast_now`: for them
#: casting each block to a dtype gives the numbers of casting the whole inputs
#: first. Each maps to whether its labels are integer class ids (validated
#: before the blocks, so only integer labels may come uncast). Filled by
#: :func:`casts_by_block`.
CASTS_BY_BLOCK: dict[Callable[..., Any], bool] = {}


def casts_by_block(fn: Callable[..., Any] | None = None, *, integer_labels: bool = False) -> Any:
    """Mark ``fn`` as one of :data:`CASTS_BY_BLOCK` (a decorator, bare or with
    ``integer_labels=True``; returns ``fn``).

    Only for a function whose every use of its floating inputs' values or dtype
    happens inside the kernels that :func:`rowwise` calls (or :func:`along_axis`,
    :func:`pairwise`), or after :func:`cast_now`: not one that decides on the
    whole array first (hinge's 0/1 label rule), builds constants from the
    input's dtype outside a block (categorical focal's ``alpha``), or computes
    without ``rowwise`` (Dice).
    ``tests/python/test_block_cast.py`` holds each marked function to the same
    bits as casting first."""

    def mark(f: Callable[..., Any]) -> Callable[..., Any]:
        CASTS_BY_BLOCK[f] = integer_labels
        return f

    return mark if fn is None else mark(fn)


def block_cast_applies(fn: Any, y_true: Any, y_pred: Any, dtype: np.dtype) -> bool:
    """Whether a call of ``fn`` that computes in ``dtype`` should cast block by
    block (:class:`cast_blocks`) instead of converting its inputs first: more
    than one block of floating NumPy predictions in another dtype, ``fn`` one of
    :data:`CASTS_BY_BLOCK`, and labels of the predictions' dtype (integer
    labels, for a function of integer labels: float class ids are checked for
    whole numbers in ``dtype``, as the caller would have cast them). The same
    numbers either way, without the two full-size copies (mean squared error of
    (1e6, 10) float64 to a float32 Loss object: 55 -> 32 ms)."""
    if type(y_pred) is not np.ndarray or y_pred.size <= BLOCK_ELEMENTS:
        return False  # the common small call: one check
    integer_labels = CASTS_BY_BLOCK.get(fn)
    return (
        integer_labels is not None
        and y_pred.dtype.kind == "f"
        and y_pred.dtype != dtype
        and type(y_true) is np.ndarray
        and (y_true.dtype.kind in "iu" if integer_labels else y_true.dtype == y_pred.dtype)
    )


class cast_blocks:
    """``with cast_blocks(dtype):`` every :func:`rowwise` call in this context
    casts its floating inputs to ``dtype``, one block at a time; integer inputs
    (class labels) are left as they are. The result is in ``dtype``."""

    __slots__ = ("dtype", "token")

    def __init__(self, dtype: np.dtype):
        self.dtype = dtype

    def __enter__(self) -> None:
        self.token = _BLOCK_DTYPE.set(self.dtype)

    def __exit__(self, *exc: object) -> None:
        _BLOCK_DTYPE.reset(self.token)


def cast_now(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The arrays, their floating ones cast to the dtype of the enclosing
    :class:`cast_blocks` (if any) whole: for a function of
    :data:`CASTS_BY_BLOCK` whose path for some inputs does not go through
    :func:`rowwise` (the accuracies' ``np.argmax`` on few rows or odd layouts)."""
    cast = _BLOCK_DTYPE.get()
    return arrays if cast is None else _cast_all(arrays, cast)


def _cast_all(arrays: tuple[np.ndarray, ...], dtype: np.dtype) -> tuple[np.ndarray, ...]:
    """The floating arrays of ``arrays`` in ``dtype`` (values beyond its range become inf, quietly)."""
    token = quiet()
    try:
        return tuple(a.astype(dtype) if a.dtype.kind == "f" and a.dtype != dtype else a for a in arrays)
    finally:
        restore(token)


def rowwise(kernel: Callable[..., np.ndarray], *arrays: np.ndarray, block: int = BLOCK_ELEMENTS) -> np.ndarray:
    """Apply ``kernel`` to matching row blocks of ``arrays`` (shapes ``(..., C_i)``, same leading axes).

    Returns the per-row results with shape ``arrays[0].shape[:-1]``; a rank-1
    input gives a NumPy scalar, as Keras' losses give a scalar for one sample.
    ``block`` is the elements per block: a kernel with many temporaries can ask
    for smaller blocks so that they stay in cache together (a block never
    changes a row's arithmetic, only where its temporaries live). Inside
    :class:`cast_blocks`, floating inputs are cast to its dtype block by block.
    """
    cast = _BLOCK_DTYPE.get()
    if cast is not None and all(a.dtype == cast or a.dtype.kind != "f" for a in arrays):
        cast = None  # nothing to cast
    if cast is not None and max(a.size for a in arrays) <= block:
        arrays, cast = _cast_all(arrays, cast), None  # one block: cast it whole
    first = arrays[0]
    if first.ndim == 2 and first.size <= block and first.shape[0] > 1 and (len(arrays) == 1 or (len(arrays) == 2 and arrays[1].size <= block)):
        # One block of several rows (a small call): the kernel alone, without
        # the block loop's bookkeeping (0.5 µs of a 5-10 µs call).
        token = quiet()
        try:
            return kernel(*arrays)
        finally:
            restore(token)
    if first.ndim == 2:  # the common case, without reshaping (0.3 µs an array)
        flat = arrays
        n_rows, width = first.shape
    else:
        shape = first.shape
        n_rows = math.prod(shape[:-1])
        flat = tuple(a.reshape(n_rows, a.shape[-1]) for a in arrays)
        width = shape[-1]
    if len(flat) > 1:
        width = max(width, flat[1].shape[1])
    step = max(1, block // width) if width else n_rows
    # NaN and infinities in the data propagate to the result, as in Keras,
    # without NumPy's RuntimeWarnings.
    token = quiet()
    try:
        if cast is not None and n_rows <= step:
            flat, cast = _cast_all(flat, cast), None  # one block
        if n_rows == 1 and width > 1 and _column_major(flat):
            out = _one_column_major_row(kernel, flat)
        elif n_rows <= step:
            out = kernel(*flat)
        else:
            out = np.empty(n_rows, dtype=flat[-1].dtype if cast is None else cast)
            # Threads share the block size, so that their temporaries together
            # take what one thread's would (the peak memory stays the same), as
            # long as a thread's block stays large: on small blocks every NumPy
            # call is short, and the threads spend their time handing Python's
            # lock to each other (binary focal crossentropy's 32K-element blocks
            # ran 2x slower on two threads than on one).
            threads = min(get_num_threads(), n_rows // step + 1)
            if threads > 1 and block // threads >= MIN_THREAD_BLOCK:
                step = max(1, step // threads)
            else:
                threads = 1
            starts = range(0, n_rows, step)
            to_cast = (False,) * len(flat)
            if cast is not None:
                to_cast = tuple(a.dtype.kind == "f" and a.dtype != cast for a in flat)
                if not all(a.flags.c_contiguous or (a.flags.f_contiguous and step > 1 and n_rows % step != 1) for a, c in zip(flat, to_cast) if c):
                    # A cast block is C- or F-contiguous; from any other layout,
                    # or as a one-row block of a column-major array (contiguous
                    # once cast, strided when cut from the cast array), its rows
                    # could be summed in another order: cast the arrays whole.
                    flat, cast, to_cast = _cast_all(flat, cast), None, (False,) * len(flat)

            def work(k: int, n: int) -> None:
                # Each thread takes every n-th block and writes only its rows.
                inner = quiet() if k else None  # the error state is per thread
                try:
                    for start in starts[k::n]:
                        stop = start + step
                        # Inside cast_blocks, floating blocks cast to its dtype (labels left as they are).
                        out[start:stop] = kernel(*(a[start:stop].astype(cast) if c else a[start:stop] for a, c in zip(flat, to_cast)))
                finally:
                    if inner is not None:
                        restore(inner)

            run_parts(work, min(threads, len(starts)))
    finally:
        restore(token)
    if first.ndim == 2:
        return out
    out = out.reshape(shape[:-1])
    return out if out.ndim else out[()]


def small_call(kernel: Callable[[np.ndarray, np.ndarray], np.ndarray], y_true: object, y_pred: object) -> np.ndarray | None:
    """``kernel(y_true, y_pred)`` when the call needs no conversion and no
    block loop, else None (the caller then validates and calls :func:`rowwise`).

    Such a call: two NumPy arrays (not subclasses) of one floating dtype and
    one 2-D shape, at least 2 rows and 2 columns, at most one block. For them
    conversion, validation and :func:`rowwise` do nothing but call the kernel
    on them with floating-point errors quieted, which this does directly: the
    same numbers 1-2 µs sooner on a (32, 10) call, whose whole cost is 4-10 µs.
    A loss takes this path only with its default options (its caller checks).
    """
    if type(y_pred) is np.ndarray and type(y_true) is np.ndarray:
        # Each attribute read once (the checks are 0.7 µs of a 4-10 µs call).
        shape = y_pred.shape
        dtype = y_pred.dtype
        if (
            len(shape) == 2
            and y_true.shape == shape
            and y_true.dtype is dtype
            and dtype.kind == "f"
            and 1 < shape[0]
            and 1 < shape[1]
            and shape[0] * shape[1] <= BLOCK_ELEMENTS
        ):
            token = quiet()
            try:
                return kernel(y_true, y_pred)
            finally:
                restore(token)
    return None


def pairwise(kernel: Callable[[np.ndarray, np.ndarray], np.ndarray], y_true: object, y_pred: object) -> np.ndarray:
    """A loss of two same-shape inputs over the last axis: validate them
    (:func:`~rkeraslosses._inputs.same_shape_pair`) and run ``kernel`` over
    their row blocks (:func:`rowwise`), or call it directly on a small call
    that needs neither (:func:`small_call`)."""
    out = small_call(kernel, y_true, y_pred)
    if out is None:
        out = rowwise(kernel, *same_shape_pair(y_true, y_pred))
    return out


def _column_major(arrays: tuple[np.ndarray, ...]) -> bool:
    """Whether the first array's rows are strided (a slice of a column-major array)."""
    strides = arrays[0].strides
    return strides[0] < strides[1]


def _one_column_major_row(kernel: Callable[..., np.ndarray], flat: tuple[np.ndarray, ...]) -> np.ndarray:
    """One row cut from a column-major (R's, Fortran-ordered) array, computed
    as the rows of a whole column-major call are.

    NumPy sums a row of a column-major block in column order, one column after
    another, but a single row is contiguous whatever its parent's layout, and
    a contiguous row is summed in another order (a few ulps apart). So that a
    sample's loss does not change when it is the last, one-row batch of R's
    arrays, the row is computed inside a two-row column-major block.
    """
    doubled = tuple(np.asfortranarray(np.concatenate((a, a))) for a in flat)
    return kernel(*doubled)[:1]


def along_axis(kernel: Callable[..., np.ndarray], axis: int, *arrays: np.ndarray, block: int = BLOCK_ELEMENTS) -> np.ndarray:
    """:func:`rowwise` over an arbitrary (already validated, non-negative) axis."""
    if axis != arrays[0].ndim - 1:
        arrays = tuple(np.moveaxis(a, axis, -1) for a in arrays)
    return rowwise(kernel, *arrays, block=block)
