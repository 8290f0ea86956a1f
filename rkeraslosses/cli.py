"""``rkeraslosses evaluate``: Keras' evaluate numbers for prediction files, from the shell.

    rkeraslosses evaluate --y-true labels.npy --y-pred preds.npy --loss categorical_crossentropy --metrics mae,accuracy
    rkeraslosses evaluate --y-true y.csv --y-pred p.csv --config model.keras --format json
    rkeraslosses evaluate --y-true preds.parquet:label --y-pred preds.parquet:p0,p1,p2 --loss sparse_categorical_crossentropy

Input files, one row per sample:

  .npy       memory-mapped, so large files stream batch by batch
  .npz       FILE.npz when it holds one array, else FILE.npz:NAME
  .csv .txt  comma-separated numbers, read in batches; empty lines are skipped;
             --header auto (default) skips a first line that is not all numbers,
             --header yes always skips the first line (e.g. pandas' "0,1,2"),
             --header no never does; the table output says when one was skipped
  .parquet   FILE.parquet (every column) or FILE.parquet:COL,COL; numeric
             columns, or list columns of equal lengths; read in batches;
             needs pyarrow: pip install "rkeraslosses[parquet]"
  .zarr      DIR.zarr or DIR.zarr:NAME; needs zarr: pip install "rkeraslosses[dask]"

Files are read in blocks of about 64K rows whatever --batch-size is; the
numbers are Keras' batch-by-batch ones for that batch size.

Beyond one process (the dask extra: pip install "rkeraslosses[dask]"):
--workers N starts a local Dask cluster of N processes for the run,
--scheduler ADDRESS uses a running dask.distributed scheduler (its workers
must see the same file paths). .npy, .zarr and Parquet files are then read
block by block on the workers; the result equals the single-process one.

The objective comes from --loss / --metrics or from --config: a compile-config
JSON (model.get_compile_config()) or a .keras file. --batch-size sets the rows
per batch (default 32, as Keras): the numbers are Keras' for that batch size;
the speed hardly depends on it, since files are read and evaluated in blocks.
--threads N sets the threads a block is computed on (see rk.set_num_threads).

Output: a table, or with --format json one JSON object; NaN and infinite
results are written as null there (strict JSON has neither). Every user error
is one line on stderr and exit code 2; a traceback and exit code 1 mean a bug
in rkeraslosses.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import math
import sys
import traceback
import zipfile
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from . import __version__
from ._parallel import using
from .distributed import ChunkError
from .evaluate import Evaluator, _check_batch_size, chunk_rows
from .identifiers import get as get_loss
from . import registry

EXIT_USAGE = 2
EXIT_BUG = 1
PARQUET_EXTRA = 'pip install "rkeraslosses[parquet]"'

# Errors caused by the input or the options: one line on stderr, exit code 2.
# Anything else is a bug in rkeraslosses: a traceback, exit code 1.
USER_ERRORS = (ValueError, TypeError, OSError, ImportError, ChunkError, zipfile.BadZipFile)


class CliError(Exception):
    """An error to report as one line, without a traceback."""


# ---------------------------------------------------------------------------
# Reading arrays, in batches
# ---------------------------------------------------------------------------


class ArraySource:
    """Rows of an array file, read batch by batch.

    ``spec`` is ``FILE`` or ``FILE:KEY`` (an array of a ``.npz``, columns of a
    ``.parquet``); ``what`` names the option in error messages.
    """

    def __init__(self, spec: str, what: str, header: str = "auto"):
        self.spec, self.what = spec, what
        path, _, key = spec.partition(":") if spec.count(":") == 1 and not Path(spec).exists() else (spec, "", "")
        self.path = Path(path)
        if not self.path.is_file() and not (self.path.suffix.lower() == ".zarr" and self.path.is_dir()):
            raise CliError(f"{what}: no such file: {self.path}")
        suffix = self.path.suffix.lower()
        self.header_line: tuple[int, str] | None = None  # (line number, text) of a skipped CSV header
        self._array: np.ndarray | None = None
        self._csv: _CsvReader | None = None
        self._parquet: _ParquetReader | None = None
        if key and suffix not in (".npz", ".parquet"):
            raise CliError(f"{what}: {self.path}:{key}: only .npz (FILE.npz:NAME) and .parquet (FILE.parquet:COL,COL) files take a name after ':'")
        if self.path.stat().st_size == 0:
            raise CliError(f"{what}: {self.path} is empty")
        try:
            if suffix == ".npy":
                self._array = np.load(self.path, mmap_mode="r", allow_pickle=False)
            elif suffix == ".npz":
                with np.load(self.path, allow_pickle=False) as archive:
                    names = list(archive.files)
                    if key:
                        if key not in names:
                            raise CliError(f"{what}: {self.path} has no array {key!r}; it has {', '.join(names)}")
                        self._array = archive[key]
                    elif len(names) == 1:
                        self._array = archive[names[0]]
                    else:
                        raise CliError(f"{what}: {self.path} holds several arrays ({', '.join(names)}); name one as {self.path}:NAME")
            elif suffix in (".csv", ".txt"):
                self._csv = _CsvReader(self.path, what, header)
                self.header_line = self._csv.header_line
            elif suffix == ".parquet":
                self._parquet = _ParquetReader(self.path, what, key)
            elif suffix == ".zarr":
                from .distributed import open_rows

                self._array = open_rows(spec, what)  # read by ranges of rows, lazily
            else:
                raise CliError(f"{what}: unsupported file type {suffix or '(none)'}; use .npy, .npz, .csv, .txt, .parquet or .zarr")
        except (OSError, EOFError, ValueError, ImportError, zipfile.BadZipFile) as err:
            raise CliError(f"{what}: cannot read {self.path}: {_one_line(err)}") from err
        if self._array is not None and self._array.dtype.kind not in "biuf":
            raise CliError(f"{what}: {self.path} holds {self._array.dtype} values, not numbers")

    @property
    def rows(self) -> int | None:
        """The number of rows, when known without reading the file."""
        if self._parquet is not None:
            return self._parquet.rows
        return None if self._array is None else (len(self._array) if self._array.ndim else 1)

    def batches(self, batch_size: int) -> Iterator[np.ndarray]:
        if self._csv is not None:
            return self._csv.batches(batch_size)
        if self._parquet is not None:
            return self._parquet.batches(batch_size)
        return self._array_batches(batch_size)

    def _array_batches(self, batch_size: int) -> Iterator[np.ndarray]:
        assert self._array is not None
        array = self._array if self._array.ndim else self._array.reshape(1)
        for start in range(0, len(array), batch_size):
            yield np.asarray(array[start : start + batch_size])


def _is_numeric_line(text: str) -> bool:
    try:
        [float(cell) for cell in text.split(",")]
        return True
    except ValueError:
        return False


class _CsvReader:
    """Comma-separated numbers, read ``batch_size`` lines at a time.

    Empty lines are skipped wherever they are (a file ending in an empty line is
    ordinary); errors give the file's own line and column.
    """

    def __init__(self, path: Path, what: str, header: str):
        self.path, self.what = path, what
        self.header_line: tuple[int, str] | None = None
        with open(path, encoding="utf-8") as handle:
            first = next(((no, line.strip()) for no, line in enumerate(handle, start=1) if line.strip()), None)
        if first is not None and (header == "yes" or (header == "auto" and not _is_numeric_line(first[1]))):
            self.header_line = first
        self._columns: tuple[int, int] | None = None  # (number of columns, line number that set it)

    def _lines(self) -> Iterator[tuple[int, str]]:
        skip = self.header_line[0] if self.header_line else 0
        with open(self.path, encoding="utf-8") as handle:
            for no, line in enumerate(handle, start=1):
                if no != skip and line.strip():
                    yield no, line

    def batches(self, batch_size: int) -> Iterator[np.ndarray]:
        lines = self._lines()
        while True:
            chunk = list(itertools.islice(lines, batch_size))
            if not chunk:
                return
            try:
                batch = np.loadtxt([text for _, text in chunk], delimiter=",", ndmin=2, dtype=np.float64)
            except ValueError as err:
                raise self._locate(chunk, err) from err
            if self._columns is None:
                self._columns = (batch.shape[1], chunk[0][0])
            elif batch.shape[1] != self._columns[0]:
                raise self._locate(chunk, None)
            yield batch

    def _locate(self, chunk: list[tuple[int, str]], err: ValueError | None) -> CliError:
        """The first bad cell or ragged line of ``chunk``, by the file's line and column."""
        where = f"{self.what}: {self.path}"
        for no, text in chunk:
            cells = text.rstrip("\r\n").split(",")
            if self._columns is None:
                self._columns = (len(cells), no)
            for column, cell in enumerate(cells, start=1):
                try:
                    float(cell)
                except ValueError:
                    return CliError(f"{where}, line {no}, column {column}: {cell.strip()!r} is not a number")
            if len(cells) != self._columns[0]:
                return CliError(f"{where}, line {no}: {len(cells)} columns, but line {self._columns[1]} has {self._columns[0]}")
        problem = _one_line(err) if err is not None else "rows of different widths"
        return CliError(f"{where}, lines {chunk[0][0]}-{chunk[-1][0]}: {problem}")


class _ParquetReader:
    """Numeric columns (or list columns of one length) of a Parquet file, through pyarrow."""

    def __init__(self, path: Path, what: str, key: str):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as err:
            raise CliError(f"{what}: reading Parquet ({path}) needs pyarrow, an optional extra: {PARQUET_EXTRA}") from err
        self.pa, self.what, self.path = pa, what, path
        self.file = pq.ParquetFile(path)
        schema = self.file.schema_arrow
        self.columns = [c.strip() for c in key.split(",") if c.strip()] if key else list(schema.names)
        missing = [c for c in self.columns if c not in schema.names]
        if missing:
            raise CliError(f"{what}: {path} has no column {missing[0]!r}; it has {', '.join(schema.names)}")
        if not self.columns:
            raise CliError(f"{what}: {path} has no columns")
        for name in self.columns:
            kind = schema.field(name).type
            inner = kind.value_type if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind) else kind
            if not (pa.types.is_integer(inner) or pa.types.is_floating(inner) or pa.types.is_boolean(inner)):
                raise CliError(f"{what}: column {name!r} of {path} holds {kind}, not numbers (or lists of numbers)")
        self.rows = self.file.metadata.num_rows

    def _column(self, array: Any, name: str) -> np.ndarray:
        pa = self.pa
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if pa.types.is_fixed_size_list(array.type) or pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
            if array.null_count:
                raise CliError(f"{self.what}: column {name!r} of {self.path} has a missing (null) list")
            lengths = np.asarray(array.value_lengths()) if not pa.types.is_fixed_size_list(array.type) else None
            width = array.type.list_size if lengths is None else (int(lengths[0]) if len(lengths) else 0)
            if lengths is not None and len(lengths) and (lengths != width).any():
                raise CliError(f"{self.what}: column {name!r} of {self.path} holds lists of different lengths")
            values = array.flatten().to_numpy(zero_copy_only=False)
            return values.astype(np.float64, copy=False).reshape(len(array), width)
        # Nulls in a numeric column become NaN (and propagate, as NaN does).
        return array.to_numpy(zero_copy_only=False).astype(np.float64, copy=False).reshape(-1, 1)

    def batches(self, batch_size: int) -> Iterator[np.ndarray]:
        # pyarrow ends its batches at row-group boundaries: cut exactly
        # batch_size rows, so that the files stay in step with each other.
        pending: list[np.ndarray] = []
        have = 0
        for record_batch in self.file.iter_batches(batch_size=batch_size, columns=self.columns):
            block = np.hstack([self._column(record_batch.column(i), name) for i, name in enumerate(self.columns)])
            pending.append(block)
            have += len(block)
            while have >= batch_size:
                merged = np.concatenate(pending) if len(pending) > 1 else pending[0]
                yield merged[:batch_size]
                pending, have = [merged[batch_size:]], have - batch_size
        if have:
            yield np.concatenate(pending)


def _zip_batches(sources: Sequence[ArraySource], batch_size: int) -> Iterator[list[np.ndarray]]:
    """Batches of several files in lockstep; mismatched row counts are an error."""
    iterators = [s.batches(batch_size) for s in sources]
    seen = 0
    while True:
        batch = [next(it, None) for it in iterators]
        if all(b is None for b in batch):
            return
        sizes = {s.what: (0 if b is None else len(b)) for s, b in zip(sources, batch)}
        if len(set(sizes.values())) > 1:
            raise CliError("the files have different numbers of rows (after row %d: %s)" % (seen, ", ".join(f"{k} {v}" for k, v in sizes.items())))
        seen += len(batch[0])
        yield batch


# ---------------------------------------------------------------------------
# The objective
# ---------------------------------------------------------------------------

def _from_logits_class(resolved: Any) -> type | None:
    """The loss class taking ``from_logits`` for a resolved loss name (function or object), from the registry."""
    name = getattr(resolved, "__name__", None) or getattr(resolved, "name", "")
    e = registry.NAMES["loss"].get(name)
    if e is None or e.cls is None or "from_logits" not in inspect.signature(e.cls).parameters:
        return None
    return e.cls


def build_evaluator(args: argparse.Namespace) -> Evaluator:
    if args.config:
        if args.loss or args.metrics or args.from_logits:
            raise CliError("--config gives the whole objective: do not combine it with --loss, --metrics or --from-logits")
        try:
            return Evaluator.from_config(args.config)
        except FileNotFoundError as err:
            raise CliError(f"--config: {err}") from err
        except (ValueError, TypeError, KeyError, zipfile.BadZipFile) as err:
            raise CliError(f"--config: malformed compile config in {args.config}: {_one_line(err)}") from err
    loss: Any = args.loss or None
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()] if args.metrics else None
    if loss is None and not metrics:
        raise CliError("nothing to evaluate: give --loss, --metrics or --config")
    if loss is not None:
        resolved = get_loss(loss)  # unknown names fail here, with suggestions
        if args.from_logits:
            cls = _from_logits_class(resolved)
            if cls is None:
                raise CliError(f"--from-logits applies to the crossentropy losses; {loss!r} takes no logits")
            loss = cls(from_logits=True, name=loss)
    elif args.from_logits:
        raise CliError("--from-logits needs --loss")
    return Evaluator(loss=loss, metrics=metrics)


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


def _progress(total_rows: int | None, batch_size: int, enabled: bool):
    """A tqdm progress bar on stderr when it is a terminal and tqdm is installed."""
    if not enabled or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    total = None if total_rows is None else -(-total_rows // batch_size)
    return tqdm(total=total, unit="batch", file=sys.stderr, leave=False)


def open_sources(args: argparse.Namespace) -> list[ArraySource]:
    sources = [ArraySource(args.y_true, "--y-true", args.header), ArraySource(args.y_pred, "--y-pred", args.header)]
    if args.sample_weight:
        sources.append(ArraySource(args.sample_weight, "--sample-weight", args.header))
    return sources


def run_evaluate(args: argparse.Namespace, opened: list[ArraySource] | None = None) -> dict[str, float]:
    """The results for parsed ``args``; the files read are appended to ``opened`` when given."""
    batch_size = _check_batch_size(args.batch_size)
    threads = getattr(args, "threads", None)
    if threads is not None and threads < 1:
        raise CliError(f"--threads must be at least 1. Received: --threads {threads}")
    with using(threads):
        return _run_evaluate(args, batch_size, opened)


def _run_evaluate(args: argparse.Namespace, batch_size: int, opened: list[ArraySource] | None) -> dict[str, float]:
    evaluator = build_evaluator(args)
    if args.scheduler is not None or args.workers is not None:
        from .distributed import evaluate_on_cluster

        return evaluate_on_cluster(evaluator, args, batch_size)
    sources = open_sources(args)
    if opened is not None:
        opened.extend(sources)
    known = {s.what: s.rows for s in sources if s.rows is not None}
    if len(set(known.values())) > 1:
        raise CliError("the files have different numbers of rows: " + ", ".join(f"{k} {v}" for k, v in known.items()))
    bar = _progress(next(iter(known.values()), None), batch_size, not args.no_progress)
    batches = 0
    try:
        # Blocks of whole batches; each accounted for as Keras' batch loop would.
        for batch in _zip_batches(sources, chunk_rows(batch_size)):
            y_true, y_pred = batch[0], batch[1]
            evaluator.update_chunk(y_true, y_pred, sample_weight=batch[2] if len(batch) > 2 else None, batch_size=batch_size)
            batches += 1
            if bar is not None:
                bar.update(-(-len(y_pred) // batch_size))
    finally:
        if bar is not None:
            bar.close()
    if batches == 0:
        raise CliError("no rows: the files hold no data")
    return evaluator.result()


def format_table(results: dict[str, float], sources: Sequence[ArraySource] = ()) -> str:
    width = max(len(k) for k in results)
    lines = [f"{name:<{width}}  {_format_value(value)}" for name, value in results.items()]
    for s in sources:
        if s.header_line is not None:
            no, text = s.header_line
            lines.append(f"# {s.what}: line {no} of {s.path} was read as a header and skipped: {text}")
    return "\n".join(lines)


def _format_value(value: Any) -> str:
    """One number, or the values of a metric with several (one per threshold or class)."""
    if isinstance(value, np.ndarray):
        return " ".join(f"{v:.7g}" for v in value.ravel())
    return f"{value:.7g}"


def _json_value(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_json_value(float(v)) for v in value.ravel()] if value.ndim <= 1 else [_json_value(v) for v in value]
    return value if math.isfinite(value) else None


def format_json(results: dict[str, Any]) -> str:
    """Strict JSON: NaN and infinities (which JSON cannot spell) become null; a
    metric with several values (a list of thresholds, per-class scores) is a list."""
    return json.dumps({k: _json_value(v) for k, v in results.items()}, allow_nan=False)


def _one_line(err: BaseException | None) -> str:
    text = " ".join(line.strip() for line in str(err or "").splitlines() if line.strip())
    return text or type(err).__name__


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line (and exit code 2) like every other user error."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"rkeraslosses: error: {message} (see `{self.prog} --help`)\n")


def parser() -> argparse.ArgumentParser:
    """The command line's options: the one place to add a subcommand or an option."""
    p = _Parser(prog="rkeraslosses", description="Keras' losses and metrics, from NumPy.")
    p.add_argument("--version", action="version", version=f"rkeraslosses {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    ev = sub.add_parser(
        "evaluate",
        help="the numbers Keras' model.evaluate() reports, for saved predictions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    files = ev.add_argument_group("input files (.npy, .npz[:NAME], .csv, .txt, .parquet[:COL,COL], .zarr[:NAME])")
    files.add_argument("--y-true", required=True, metavar="FILE", help="ground truth, one row per sample")
    files.add_argument("--y-pred", required=True, metavar="FILE", help="predictions, one row per sample")
    files.add_argument("--sample-weight", metavar="FILE", help="one weight per sample (optional)")
    files.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                       help="the first line of every CSV file: auto skips it when it is not all numbers (default), yes always skips it, no never")
    objective = ev.add_argument_group("the objective (as model.compile() takes it)")
    objective.add_argument("--loss", metavar="NAME", help="a loss name, as compile(loss=...) takes it")
    objective.add_argument("--metrics", metavar="NAME,NAME", help="metric names, comma-separated")
    objective.add_argument("--from-logits", action="store_true", help="y_pred holds logits (crossentropy losses)")
    objective.add_argument("--config", metavar="FILE", help="a compile-config JSON or a .keras file, instead of --loss/--metrics")
    running = ev.add_argument_group("running and output")
    running.add_argument("--batch-size", type=int, default=None, metavar="N",
                         help="rows per batch (default: 32, Keras'); larger is faster and takes more memory")
    running.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table); JSON writes NaN as null")
    running.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    running.add_argument("--threads", type=int, default=None, metavar="N",
                         help="threads for the blocks of this process (default: RKERASLOSSES_NUM_THREADS, else OMP_NUM_THREADS, else the cores, at most 4); the numbers do not depend on it")
    running.add_argument("--workers", type=int, default=None, metavar="N", help="evaluate on a local Dask cluster of N processes (the dask extra)")
    running.add_argument("--scheduler", metavar="ADDRESS", help="evaluate on a running Dask scheduler, e.g. tcp://host:8786 (the dask extra)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)  # usage errors: one line, exit code 2
    sources: list[ArraySource] = []
    try:
        results = run_evaluate(args, sources)
    except KeyboardInterrupt:
        print("rkeraslosses: interrupted", file=sys.stderr)
        return 130
    except (CliError, *USER_ERRORS) as err:
        print(f"rkeraslosses: error: {_one_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception:  # a bug: show where, and say so
        traceback.print_exc()
        print("rkeraslosses: this is a bug in rkeraslosses; please report it with the command that gave it", file=sys.stderr)
        return EXIT_BUG
    print(format_json(results) if args.format == "json" else format_table(results, sources))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
