"""``rkeraslosses evaluate``: Keras' evaluate numbers for prediction files, from the shell.

    rkeraslosses evaluate --y-true labels.npy --y-pred preds.npy --loss categorical_crossentropy --metrics mae,accuracy
    rkeraslosses evaluate --y-true y.csv --y-pred p.csv --config model.keras --format json

Arrays come from ``.npy`` (memory-mapped, so large files stream), ``.npz``
(``FILE.npz`` with one array, or ``FILE.npz:NAME``) or ``.csv`` files (read
in chunks; a header line is skipped). The objective comes from ``--loss`` /
``--metrics`` or from ``--config``: a compile-config JSON
(``model.get_compile_config()``) or a ``.keras`` file. Errors are one line on
stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import sys
import zipfile
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from . import __version__
from .evaluate import Evaluator, _check_batch_size
from .identifiers import get as get_loss
from . import registry

EXIT_USAGE = 2
EXIT_FAILURE = 1


class CliError(Exception):
    """An error to report as one line, without a traceback."""


# ---------------------------------------------------------------------------
# Reading arrays, in batches
# ---------------------------------------------------------------------------


class ArraySource:
    """Rows of an array file, read batch by batch."""

    def __init__(self, spec: str, what: str):
        self.spec, self.what = spec, what
        path, _, key = spec.partition(":") if spec.count(":") == 1 and not Path(spec).exists() else (spec, "", "")
        self.path = Path(path)
        if not self.path.is_file():
            raise CliError(f"{what}: no such file: {self.path}")
        suffix = self.path.suffix.lower()
        self._array: np.ndarray | None = None
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
                self._csv_header = _csv_has_header(self.path)
            else:
                raise CliError(f"{what}: unsupported file type {suffix or '(none)'}; use .npy, .npz or .csv")
        except (OSError, ValueError, zipfile.BadZipFile) as err:
            raise CliError(f"{what}: cannot read {self.path}: {err}") from err
        if self._array is not None and self._array.dtype.kind not in "biuf":
            raise CliError(f"{what}: {self.path} holds {self._array.dtype} values, not numbers")

    @property
    def rows(self) -> int | None:
        """The number of rows, when known without reading the file."""
        return None if self._array is None else (len(self._array) if self._array.ndim else 1)

    def batches(self, batch_size: int) -> Iterator[np.ndarray]:
        if self._array is not None:
            array = self._array if self._array.ndim else self._array.reshape(1)
            for start in range(0, len(array), batch_size):
                yield np.asarray(array[start : start + batch_size])
            return
        with open(self.path, encoding="utf-8") as handle:
            if self._csv_header:
                next(handle, None)
            line_no = 1 + int(self._csv_header)
            while True:
                lines = list(itertools.islice(handle, batch_size))
                if not lines:
                    return
                try:
                    batch = np.loadtxt(lines, delimiter=",", ndmin=2, dtype=np.float64)
                except ValueError as err:
                    raise CliError(f"{self.what}: {self.path}, near line {line_no}: {err}") from err
                line_no += len(lines)
                yield batch


def _csv_has_header(path: Path) -> bool:
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    try:
        [float(cell) for cell in first.strip().split(",") if cell.strip()]
        return False
    except ValueError:
        return True


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
            raise CliError(f"--config: malformed compile config in {args.config}: {err}") from err
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


def run_evaluate(args: argparse.Namespace) -> dict[str, float]:
    batch_size = _check_batch_size(args.batch_size)
    evaluator = build_evaluator(args)
    sources = [ArraySource(args.y_true, "--y-true"), ArraySource(args.y_pred, "--y-pred")]
    if args.sample_weight:
        sources.append(ArraySource(args.sample_weight, "--sample-weight"))
    known = {s.what: s.rows for s in sources if s.rows is not None}
    if len(set(known.values())) > 1:
        raise CliError("the files have different numbers of rows: " + ", ".join(f"{k} {v}" for k, v in known.items()))
    bar = _progress(next(iter(known.values()), None), batch_size, not args.no_progress)
    batches = 0
    try:
        for batch in _zip_batches(sources, batch_size):
            y_true, y_pred = batch[0], batch[1]
            evaluator.update_state(y_true, y_pred, sample_weight=batch[2] if len(batch) > 2 else None)
            batches += 1
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    if batches == 0:
        raise CliError("the files hold no rows")
    return evaluator.result()


def format_table(results: dict[str, float]) -> str:
    width = max(len(k) for k in results)
    return "\n".join(f"{name:<{width}}  {_format_value(value)}" for name, value in results.items())


def _format_value(value: Any) -> str:
    """One number, or the values of a metric with several (one per threshold or class)."""
    if isinstance(value, np.ndarray):
        return " ".join(f"{v:.7g}" for v in value.ravel())
    return f"{value:.7g}"


def _jsonable(results: dict[str, Any]) -> dict[str, Any]:
    return {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in results.items()}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rkeraslosses", description="Keras' losses and metrics, from NumPy.")
    p.add_argument("--version", action="version", version=f"rkeraslosses {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ev = sub.add_parser(
        "evaluate",
        help="the numbers Keras' model.evaluate() reports, for saved predictions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ev.add_argument("--y-true", required=True, metavar="FILE", help="ground truth (.npy, .npz or .csv)")
    ev.add_argument("--y-pred", required=True, metavar="FILE", help="predictions, one row per sample")
    ev.add_argument("--sample-weight", metavar="FILE", help="one weight per sample (optional)")
    ev.add_argument("--loss", metavar="NAME", help="a loss name, as compile(loss=...) takes it")
    ev.add_argument("--metrics", metavar="NAME,NAME", help="metric names, comma-separated")
    ev.add_argument("--from-logits", action="store_true", help="y_pred holds logits (crossentropy losses)")
    ev.add_argument("--config", metavar="FILE", help="a compile-config JSON or a .keras file")
    ev.add_argument("--batch-size", type=int, default=None, metavar="N", help="rows per batch (Keras' default: 32)")
    ev.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    ev.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        results = run_evaluate(args)
    except CliError as err:
        print(f"rkeraslosses: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, TypeError, OSError) as err:
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        print(f"rkeraslosses: error: {message}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("rkeraslosses: interrupted", file=sys.stderr)
        return 130
    print(json.dumps(_jsonable(results)) if args.format == "json" else format_table(results))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
