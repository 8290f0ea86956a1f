"""Compile-style evaluation beyond one process: on a Dask cluster, exactly.

Every metric of this package merges exactly (``merge_state``), so an
evaluation splits into blocks of rows, each evaluated on a worker into a fresh
:class:`~rkeraslosses.Evaluator` state; the states are gathered and merged
into the result a single process gives on the same data: the same keys and
values, including Keras' per-batch accumulation. Block boundaries fall on
multiples of the batch size, so that batches are where Keras' would be.

Two entry points, both needing the optional extra ``pip install
"rkeraslosses[dask]"`` (Dask, ``distributed``; ``zarr`` and ``pyarrow`` to read
those files):

* :func:`evaluate_dask`: ``rkeraslosses.evaluate`` and ``Evaluator.evaluate``
  call it when ``y_true``, ``y_pred`` or ``sample_weight`` holds a Dask array
  (or a Dask DataFrame/Series); it runs on the current ``distributed.Client``
  if there is one, else on Dask's default scheduler.
* :func:`evaluate_files`: ``.npy`` (memory-mapped), ``.zarr`` and Parquet
  files, read block by block on the workers (they must see the same paths) of
  a running scheduler (``scheduler="tcp://host:8786"``) or of a local cluster
  started for the run (``workers=N``); with neither, in this process. The
  command line's ``--scheduler`` / ``--workers`` and R's
  ``evaluate_predictions(workers=, scheduler=)`` call it.

A block that fails raises :class:`ChunkError` naming the block and its rows;
nothing is reported as a result. A worker that dies is replaced by Dask and its
blocks recomputed (``distributed``'s retries), so the result is still exact,
or, past Dask's retry limit, the evaluation fails with ``ChunkError``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from . import evaluate as _evaluate
from .evaluate import _as_outputs, _check_batch_size, chunk_rows

#: The optional extra that provides Dask.
EXTRA = "dask"

#: Seconds to wait for a scheduler before giving up.
DEFAULT_TIMEOUT = 10.0

#: Blocks per worker when a file is split for a cluster: enough to balance the
#: load and let a replaced worker's share be redone, few enough that the cost
#: of a task (~ a few ms) stays negligible.
BLOCKS_PER_WORKER = 4


class ChunkError(RuntimeError):
    """A block of rows failed on a worker (the message names it)."""


def _require(module: str = "dask") -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ImportError(
            f"Evaluation on Dask needs the optional extra {EXTRA!r}, which provides {module!r}: "
            f"pip install 'rkeraslosses[{EXTRA}]'. Received: ImportError: {err}"
        ) from err


# ---------------------------------------------------------------------------
# Dask collections
# ---------------------------------------------------------------------------


def is_dask(x: Any) -> bool:
    """Whether ``x`` is a Dask collection (array, DataFrame, Series), without importing Dask."""
    module = type(x).__module__ or ""
    return module.split(".", 1)[0] in ("dask", "dask_expr") and hasattr(x, "__dask_graph__")


def any_dask(*values: Any) -> bool:
    """Whether any leaf of these (arrays, lists or dicts of arrays) is a Dask collection."""
    for v in values:
        if isinstance(v, Mapping):
            if any_dask(*v.values()):
                return True
        elif isinstance(v, (list, tuple)):
            if any(is_dask(x) for x in v):
                return True
        elif is_dask(v):
            return True
    return False


def _as_dask_array(x: Any, name: str) -> Any:
    """A Dask array with known row chunks, from a Dask array, DataFrame or Series."""
    da = _require("dask.array")
    if x is None or not is_dask(x):
        return x
    if hasattr(x, "to_dask_array"):  # DataFrame, Series: their values, with the partitions' lengths
        x = x.to_dask_array(lengths=True)
    if not isinstance(x, da.Array):
        raise TypeError(f"Argument `{name}` must be a Dask array, DataFrame or Series. Received: {name}={type(x).__name__}")
    if any(math.isnan(c) for c in x.chunks[0]):
        x = x.compute_chunk_sizes()
    return x


def _client() -> Any:
    """The current ``distributed.Client``, or None."""
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:
        return None


def evaluate_dask(
    evaluator: Any,
    y_true: Any,
    y_pred: Any,
    sample_weight: Any = None,
    *,
    batch_size: int,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
    client: Any = None,
) -> dict[str, float]:
    """``evaluator.evaluate`` on Dask collections (see the module docstring).

    The rows are rechunked so that every block but the last holds a multiple of
    ``batch_size`` rows, near the inputs' own chunk size; each block is
    evaluated by ``Evaluator.update_chunk`` on a worker; the states are merged.
    """
    da = _require("dask.array")

    batch_size = _check_batch_size(batch_size)

    def convert(x: Any, name: str) -> Any:
        if isinstance(x, Mapping):
            return {k: _as_dask_array(v, name) for k, v in x.items()}
        if isinstance(x, (list, tuple)) and any(is_dask(v) for v in x):
            return [_as_dask_array(v, name) for v in x]
        return _as_dask_array(x, name)

    y_true, y_pred = _as_outputs(convert(y_true, "y_true")), _as_outputs(convert(y_pred, "y_pred"))
    sample_weight = convert(sample_weight, "sample_weight")
    trues, preds, weights = evaluator._outputs(y_true, y_pred, sample_weight)
    weights = [None if w is None or np.ndim(w) == 0 else w for w in weights]  # as Evaluator.evaluate
    arrays = [("y_true", i, a) for i, a in enumerate(trues)] + [("y_pred", i, a) for i, a in enumerate(preds)] + [("sample_weight", i, a) for i, a in enumerate(weights) if a is not None]
    lengths = {(name, i): int(a.shape[0]) if np.ndim(a) else 1 for name, i, a in arrays}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k[0]}[{k[1]}]: {v}" for k, v in lengths.items())
        raise ValueError(f"All arrays must have the same number of samples (rows). Received: {detail}")
    n = next(iter(lengths.values()))
    # Block size: the first Dask input's typical chunk, rounded down to whole
    # batches, and at least _evaluate.CHUNK_ROWS (smaller blocks only add per-task costs).

    first = next(a for _, _, a in arrays if is_dask(a))
    typical = int(np.median(first.chunks[0])) if first.chunks[0] else n
    step = chunk_rows(batch_size, max(typical, _evaluate.CHUNK_ROWS, batch_size))

    def aligned(a: Any) -> Any:
        if a is None:
            return None
        if not is_dask(a):
            a = da.from_array(np.asarray(a), chunks=(step,) + tuple(-1 for _ in range(np.ndim(a) - 1)))
        return a.rechunk({0: step, **{k: -1 for k in range(1, a.ndim)}})

    t_arrays = [aligned(a) for a in trues]
    p_arrays = [aligned(a) for a in preds]
    w_arrays = [aligned(a) for a in weights]
    n_blocks = len(p_arrays[0].chunks[0])
    template = _template(evaluator, [t[:1] for t in trues], [p[:1] for p in preds], batch_size)
    # One graph for every block: each task reads its block of each input and
    # the template (one node, shipped once), and returns an evaluator's state.
    import uuid

    import dask
    from dask.delayed import Delayed
    from dask.highlevelgraph import HighLevelGraph

    name = f"rkeraslosses-evaluate-{uuid.uuid4().hex}"
    template_key = f"{name}-template"
    key = lambda a, b: None if a is None else (a.name, b) + (0,) * (a.ndim - 1)  # noqa: E731
    layer: dict[Any, Any] = {template_key: template}
    ranges = {}
    for b in range(n_blocks):
        ranges[(name, b)] = (b * step, min(n, (b + 1) * step))
        layer[(name, b)] = (
            _evaluate_blocks, template_key, batch_size, b * step, min(n, (b + 1) * step),
            [key(a, b) for a in t_arrays], [key(a, b) for a in p_arrays], [key(a, b) for a in w_arrays],
        )
    deps = [a for a in t_arrays + p_arrays + w_arrays if a is not None]
    graph = HighLevelGraph.from_collections(name, layer, dependencies=deps)
    tasks = [Delayed((name, b), graph, layer=name) for b in range(n_blocks)]
    client = client or _client()
    if client is None:  # no distributed cluster: Dask's default scheduler, in this process
        states = dask.compute(*tasks)
        if progress is not None:
            for _ in progress(range(len(states)), len(states)):
                pass
        evaluator.reset_state()
        evaluator.merge_state(list(states))
        return evaluator.result()
    futures = client.compute(tasks)
    return _gather(client, evaluator, futures, {f.key: ranges[(name, b)] for b, f in enumerate(futures)}, progress)


def _evaluate_blocks(template: Any, batch_size: int, start: int, stop: int, trues: list[Any], preds: list[Any], weights: list[Any]) -> Any:
    """On a worker: one block into a fresh copy of the (built, empty) evaluator."""
    ev = _fresh(template)
    n, rows = stop - start, (start, stop)
    for name, arrays in (("y_true", trues), ("y_pred", preds), ("sample_weight", weights)):
        for i, a in enumerate(arrays):
            if a is not None and np.ndim(a) and len(a) != n:
                raise ValueError(f"{name}[{i}] has {len(a)} rows in the block of rows {rows[0]}-{rows[1]}, not {n}: the inputs' chunks disagree.")
    ev._update_lists(list(trues), list(preds), list(weights), n, batch_size)
    return ev


def _fresh(template: Any) -> Any:
    import copy

    ev = copy.deepcopy(template)
    ev.reset_state()
    return ev


def _template(evaluator: Any, trues: list[Any], preds: list[Any], batch_size: int) -> Any:
    """A copy of the evaluator, built (objective resolved from the shapes) on
    the first row, empty: what each block starts from."""
    trues = [np.asarray(t.compute()) if is_dask(t) else np.asarray(t) for t in trues]
    preds = [np.asarray(p.compute()) if is_dask(p) else np.asarray(p) for p in preds]
    if not evaluator._built:
        evaluator._build(trues, preds)
    evaluator.reset_state()
    return _fresh(evaluator)


def _gather(client: Any, evaluator: Any, futures: list[Any], ranges: Mapping[Any, tuple[int, int]], progress: Any) -> dict[str, float]:
    """Merge the blocks' states as they arrive; a failed block cancels the rest and raises."""
    from distributed import as_completed

    index = {f.key: i for i, f in enumerate(futures)}
    evaluator.reset_state()
    done: Iterable[Any] = as_completed(futures, loop=client.loop)
    if progress is not None:
        done = progress(done, len(futures))
    try:
        for future in done:
            try:
                state = future.result()
            except Exception as err:  # noqa: BLE001 - any failure of the block's task
                start, stop = ranges[future.key]
                raise ChunkError(
                    f"Block {index[future.key]} of {len(futures)} (rows {start} to {stop}) failed on a worker: "
                    f"{type(err).__name__}: {err}"
                ) from err
            evaluator.merge_state(state)
            future.release()
    except BaseException:
        evaluator.reset_state()  # nothing of a failed evaluation is reported
        client.cancel(futures)
        raise
    return evaluator.result()


# ---------------------------------------------------------------------------
# Files, read block by block
# ---------------------------------------------------------------------------


class RowFile:
    """A ``.npy`` (memory-mapped), ``.zarr`` or Parquet file, read by ranges of rows.

    ``spec`` is a path, or ``PATH:NAME`` for an array of a Zarr group or
    ``PATH:COL1,COL2`` for some columns of a Parquet file (all by default, in
    order, as the columns of a 2-D array). Pickles as its path, so a worker
    opens the file itself.

    It also reads like a lazy array: ``len``, ``shape``, ``ndim``, ``dtype``
    and row slices (``f[10:20]``).
    """

    SUFFIXES = (".npy", ".zarr", ".parquet", ".pq")

    def __init__(self, spec: str | os.PathLike, what: str = "file"):
        self.spec, self.what = str(spec), what
        path, key = self.spec, ""
        if not Path(path).exists() and self.spec.count(":") == 1:
            path, key = self.spec.split(":")
        self.path, self.key = Path(path), key
        self.kind = self.path.suffix.lower()
        if self.kind not in self.SUFFIXES:
            raise ValueError(f"{what}: {self.path} is not a .npy, .zarr or Parquet file; those are read block by block (convert other formats first).")
        if not self.path.exists():
            raise FileNotFoundError(f"{what}: no such file: {self.path}")
        self._handle: Any = None
        meta = self._open()
        self.shape: tuple[int, ...] = meta[0]
        self.dtype: np.dtype = meta[1]
        if self.dtype.kind not in "biuf":
            raise ValueError(f"{what}: {self.path} holds {self.dtype} values, not numbers")

    def _open(self) -> tuple[tuple[int, ...], np.dtype]:
        if self.kind == ".npy":
            self._handle = np.load(self.path, mmap_mode="r", allow_pickle=False)
            if self._handle.ndim == 0:
                self._handle = self._handle.reshape(1)
            return self._handle.shape, self._handle.dtype
        if self.kind == ".zarr":
            zarr = _require("zarr")
            node = zarr.open(str(self.path), mode="r")
            if self.key:
                node = node[self.key]
            elif not hasattr(node, "shape"):
                names = sorted(dict(node.arrays()) if hasattr(node, "arrays") else [])
                if len(names) != 1:
                    raise ValueError(f"{self.what}: {self.path} is a Zarr group of {len(names)} arrays ({', '.join(names)}); name one as {self.path}:NAME")
                node = node[names[0]]
            self._handle = node
            return tuple(node.shape), np.dtype(node.dtype)
        pq = _require("pyarrow.parquet")
        pf = pq.ParquetFile(self.path)
        columns = self.key.split(",") if self.key else list(pf.schema_arrow.names)
        missing = [c for c in columns if c not in pf.schema_arrow.names]
        if missing:
            raise ValueError(f"{self.what}: {self.path} has no columns {missing}; it has {pf.schema_arrow.names}")
        pa = _require("pyarrow")
        dtypes = []
        for c in columns:
            t = pf.schema_arrow.field(c).type
            if not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)):
                raise ValueError(f"{self.what}: column {c!r} of {self.path} holds {t}, not numbers")
            dtypes.append(pa.array([], type=t).to_numpy(zero_copy_only=False).dtype)
        self._columns = columns
        starts = [0]
        for g in range(pf.metadata.num_row_groups):
            starts.append(starts[-1] + pf.metadata.row_group(g).num_rows)
        self._group_starts = starts
        self._handle = pf
        # One column is one value per sample (1-D), as a 1-D .npy file.
        shape = (pf.metadata.num_rows,) if len(columns) == 1 else (pf.metadata.num_rows, len(columns))
        return shape, np.result_type(*dtypes) if dtypes else np.dtype("float64")

    def __getstate__(self) -> dict[str, Any]:
        return {"spec": self.spec, "what": self.what}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self.__init__(state["spec"], state["what"])

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: Any) -> np.ndarray:
        if not isinstance(index, slice):
            raise TypeError("RowFile takes row slices")
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise TypeError("RowFile takes row slices with step 1")
        return self.read(start, stop)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self.read(0, len(self))
        return out if dtype is None else out.astype(dtype)

    def read(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop`` as a NumPy array."""
        stop = max(start, min(stop, len(self)))
        if self.kind in (".npy", ".zarr"):
            return np.asarray(self._handle[start:stop])
        import bisect

        starts = self._group_starts
        first = max(0, bisect.bisect_right(starts, start) - 1)
        last = max(first, bisect.bisect_left(starts, stop) - 1)
        groups = [g for g in range(first, min(last + 1, len(starts) - 1))]
        if not groups or stop == start:
            return np.empty((0,) + self.shape[1:], self.dtype)
        table = self._handle.read_row_groups(groups, columns=self._columns)
        table = table.slice(start - starts[first], stop - start)
        cols = [np.asarray(table.column(c).to_numpy()) for c in self._columns]
        out = cols[0] if len(cols) == 1 else np.column_stack(cols)
        return out.astype(self.dtype, copy=False)


def open_rows(spec: str | os.PathLike, what: str = "file") -> RowFile:
    """A :class:`RowFile` for ``spec`` (``.npy``, ``.zarr`` or Parquet)."""
    return RowFile(spec, what)


def _evaluate_file_rows(template: Any, files: Sequence[RowFile | None], start: int, stop: int, batch_size: int) -> Any:
    """On a worker: rows ``start:stop`` of the files into a fresh evaluator, block by block."""

    ev = _fresh(template)
    step = chunk_rows(batch_size)
    for a in range(start, stop, step):
        b = min(stop, a + step)
        t, p = files[0].read(a, b), files[1].read(a, b)
        w = files[2].read(a, b) if len(files) > 2 and files[2] is not None else None
        trues, preds, weights = ev._outputs(t, p, w)
        ev._update_lists(trues, preds, weights, b - a, batch_size)
    return ev


def file_blocks(n: int, batch_size: int, n_workers: int) -> list[tuple[int, int]]:
    """Row ranges for the workers: ``BLOCKS_PER_WORKER`` per worker, each a
    multiple of the batch size (the last may be shorter), at least one
    in-process block (:data:`~rkeraslosses.evaluate.CHUNK_ROWS`)."""

    floor = chunk_rows(batch_size)
    want = -(-n // max(1, n_workers * BLOCKS_PER_WORKER))
    size = max(floor, -(-want // batch_size) * batch_size)
    return [(a, min(n, a + size)) for a in range(0, n, size)]


def evaluate_files(
    evaluator: Any,
    y_true: str | os.PathLike,
    y_pred: str | os.PathLike,
    sample_weight: str | os.PathLike | None = None,
    *,
    batch_size: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
) -> dict[str, float]:
    """Evaluate prediction files (``.npy``, ``.zarr``, Parquet) block by block.

    With ``scheduler`` (a running ``dask.distributed`` scheduler's address) or
    ``workers`` (a local cluster of that many worker processes, started and
    stopped here) the blocks are read and evaluated on the workers; with
    neither, in this process. The result equals ``evaluator.evaluate`` on the
    whole arrays.
    """

    batch_size = _check_batch_size(batch_size)
    if scheduler is not None and workers is not None:
        raise ValueError(f"Give `scheduler` (a running cluster) or `workers` (a local one), not both. Received: scheduler={scheduler!r}, workers={workers!r}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1):
        raise ValueError(f"Argument `workers` must be a positive integer. Received: workers={workers!r}")
    files: list[RowFile | None] = [
        RowFile(y_true, "y_true"), RowFile(y_pred, "y_pred"), None if sample_weight is None else RowFile(sample_weight, "sample_weight")
    ]
    sizes = {f.what: len(f) for f in files if f is not None}
    if len(set(sizes.values())) > 1:
        raise ValueError("The files have different numbers of rows: " + ", ".join(f"{k} ({f.path}) {len(f)}" for k, f in zip(sizes, [f for f in files if f is not None])))
    n = len(files[1])
    if n == 0:
        raise ValueError(f"The files hold no rows: {files[1].path}")
    head = min(n, batch_size)
    t, p = files[0].read(0, head), files[1].read(0, head)
    evaluator.reset_state()
    trues, preds, _ = evaluator._outputs(t, p, None)
    template = _template(evaluator, trues, preds, batch_size)
    if scheduler is None and workers is None:
        step = chunk_rows(batch_size)
        starts: Iterable[int] = range(0, n, step)
        if progress is not None:
            starts = progress(starts, -(-n // step))
        for a in starts:
            state = _evaluate_file_rows(template, files, a, min(n, a + step), batch_size)
            evaluator.merge_state(state)
        return evaluator.result()
    with connect(scheduler=scheduler, workers=workers, timeout=timeout) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        ranges = file_blocks(n, batch_size, n_workers)
        futures = [
            client.submit(_evaluate_file_rows, template, files, a, b, batch_size, pure=False, key=f"rkeraslosses-block-{i}-{os.urandom(4).hex()}")
            for i, (a, b) in enumerate(ranges)
        ]
        return _gather(client, evaluator, futures, {f.key: r for f, r in zip(futures, ranges)}, progress)


#: malloc settings for the worker processes of :func:`local_cluster`. Dask sets
#: MALLOC_TRIM_THRESHOLD_ (to hand memory back to the system), which also turns
#: off glibc's adaptive mmap threshold: every block-sized temporary array is then
#: a fresh mmap, page-faulted in, and the evaluation ran 2-5x slower on a worker
#: than in one process. Large temporaries come from the heap with these.
WORKER_MALLOC = {"MALLOC_TRIM_THRESHOLD_": 1 << 27, "MALLOC_MMAP_THRESHOLD_": 1 << 26}


def local_cluster(workers: int, **kwargs: Any) -> Any:
    """A ``distributed.LocalCluster`` of ``workers`` processes, one thread each,
    no dashboard port clash, with :data:`WORKER_MALLOC`."""
    distributed = _require("distributed")
    dask = _require("dask")
    options = dict(n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40)
    options.update(kwargs)
    with dask.config.set({f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in WORKER_MALLOC.items()}), _without_r_library_path():
        return distributed.LocalCluster(**options)


class _without_r_library_path:
    """Start worker processes without the library path R gave this process.

    Inside R (reticulate, or rpy2), R puts its own library folders and the
    system's first in ``LD_LIBRARY_PATH``; a worker Python started with it
    loads the system's libpython instead of its own and fails to import
    (``undefined symbol: _PyModule_Add`` in ``_ssl``). Outside R nothing changes.
    """

    def __enter__(self) -> None:
        self.saved = os.environ.get("LD_LIBRARY_PATH")
        r_home = os.environ.get("R_HOME")
        if self.saved is not None and r_home and os.path.join(r_home, "lib") in self.saved.split(os.pathsep):
            del os.environ["LD_LIBRARY_PATH"]

    def __exit__(self, *exc: Any) -> None:
        if self.saved is not None:
            os.environ["LD_LIBRARY_PATH"] = self.saved


class connect:
    """A ``distributed.Client``: to ``scheduler`` (an address), or to a local
    cluster of ``workers`` processes started for the block and closed after."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, timeout: float = DEFAULT_TIMEOUT):
        self.scheduler, self.workers, self.timeout = scheduler, workers, timeout
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        distributed = _require("distributed")
        if self.scheduler is not None:
            try:
                self.client = distributed.Client(self.scheduler, timeout=f"{self.timeout}s", set_as_default=False)
            except (OSError, TimeoutError) as err:
                raise ConnectionError(
                    f"Cannot reach the Dask scheduler at {self.scheduler} (waited {self.timeout:g} s): {err}"
                ) from err
            return self.client
        self.cluster = local_cluster(int(self.workers))
        self.client = distributed.Client(self.cluster, set_as_default=False)
        return self.client

    def __exit__(self, *exc: Any) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def evaluate_on_cluster(evaluator: Any, args: Any, batch_size: int) -> dict[str, float]:
    """The command line's ``--workers`` / ``--scheduler``: :func:`evaluate_files`
    with the parsed arguments, and a progress bar following the blocks."""
    import sys

    if args.workers is not None and args.scheduler is not None:
        raise ValueError("give --workers (a local cluster) or --scheduler (a running one), not both")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be a positive integer. Received: --workers {args.workers}")
    _require("distributed")

    def bar(iterable: Iterable[Any], total: int) -> Iterable[Any]:
        if args.no_progress or not sys.stderr.isatty():
            return iterable
        try:
            from tqdm import tqdm
        except ImportError:
            return iterable
        return tqdm(iterable, total=total, unit="block", file=sys.stderr, leave=False)

    return evaluate_files(
        evaluator, args.y_true, args.y_pred, args.sample_weight,
        batch_size=batch_size, scheduler=args.scheduler, workers=args.workers, progress=bar,
    )


def _is_path(x: Any) -> bool:
    return isinstance(x, (str, os.PathLike))


def evaluate_on(
    evaluator: Any,
    y_true: Any,
    y_pred: Any,
    sample_weight: Any = None,
    *,
    batch_size: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, float]:
    """One entry point for arrays or files, here or on a cluster (R's
    ``evaluate_predictions`` calls it).

    File paths (``.npy``, ``.zarr``, Parquet) go to :func:`evaluate_files`.
    Arrays are evaluated in this process, or, with ``scheduler`` or
    ``workers``, as Dask arrays on that cluster (:func:`evaluate_dask`).
    """
    if _is_path(y_true) or _is_path(y_pred):
        if not (_is_path(y_true) and _is_path(y_pred) and (sample_weight is None or _is_path(sample_weight))):
            raise TypeError(
                "Give y_true, y_pred (and sample_weight) all as file paths, or all as arrays. "
                f"Received: y_true={type(y_true).__name__}, y_pred={type(y_pred).__name__}, sample_weight={type(sample_weight).__name__}"
            )
        return evaluate_files(evaluator, y_true, y_pred, sample_weight, batch_size=batch_size, scheduler=scheduler, workers=workers, timeout=timeout)
    if scheduler is None and workers is None:
        return evaluator.evaluate(y_true, y_pred, sample_weight=sample_weight, batch_size=batch_size)
    if scheduler is not None and workers is not None:
        raise ValueError(f"Give `scheduler` (a running cluster) or `workers` (a local one), not both. Received: scheduler={scheduler!r}, workers={workers!r}")
    da = _require("dask.array")

    step = chunk_rows(_check_batch_size(batch_size), _evaluate.CHUNK_ROWS)

    def lazy(x: Any) -> Any:
        if isinstance(x, Mapping):
            return {k: lazy(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)) and x and all(hasattr(v, "shape") for v in x):
            return [lazy(v) for v in x]
        if x is None or np.ndim(x) == 0 or is_dask(x):
            return x
        a = np.asarray(x)
        return da.from_array(a, chunks=(step,) + a.shape[1:])

    evaluator.reset_state()
    with connect(scheduler=scheduler, workers=workers, timeout=timeout) as client:
        return evaluate_dask(evaluator, lazy(y_true), lazy(y_pred), lazy(sample_weight), batch_size=_check_batch_size(batch_size), client=client)


_evaluate.ARRAY_BACKENDS.append((any_dask, evaluate_dask))
