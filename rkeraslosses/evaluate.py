"""Compile-style evaluation: the numbers Keras' ``model.evaluate()`` reports, from predictions.

You already have the predictions (from any model, any language). Give the
objective as you would give it to ``model.compile(...)`` — or the compile
configuration Keras saved — and get the dict ``model.evaluate(...,
return_dict=True)`` returns: the same keys and values, accumulated batch by
batch as Keras does.

>>> import numpy as np
>>> y_true = np.array([[0, 1, 0], [0, 0, 1]])
>>> y_pred = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
>>> result = evaluate(y_true, y_pred, loss="categorical_crossentropy", metrics=["mae", "accuracy"])
>>> {name: round(value, 4) for name, value in result.items()}
{'loss': 1.1769, 'mae': 0.3167, 'accuracy': 0.5}
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from . import identifiers, registry
from . import metrics as metrics_module
from ._inputs import as_float_array, as_numeric_array
from ._reduction import reduce_weighted_values, samplewise_totals
from .losses.base import Loss, LossFunctionWrapper

#: Evaluation of arrays that live elsewhere (Dask collections): pairs
#: ``(detect(y_true, y_pred, sample_weight) -> bool, run(evaluator, y_true, y_pred,
#: sample_weight, batch_size=..., progress=...) -> results)``. The layer above
#: (:mod:`rkeraslosses.distributed`) registers itself here when imported (the
#: package imports it), so that this module never imports it back.
ARRAY_BACKENDS: list[tuple[Callable[..., bool], Callable[..., Any]]] = []

#: Keras' default batch size for ``evaluate``.
DEFAULT_BATCH_SIZE = 32

#: Rows per block when whole arrays or files are evaluated (rounded down to a
#: multiple of the batch size): per-call costs vanish at this size, and one
#: block of a (n, 10) float32 input stays at 2.6 MB.
CHUNK_ROWS = 65536


def chunk_rows(batch_size: int, rows: int | None = None) -> int:
    """The block size used for ``batch_size``: a multiple of it near ``rows``
    (:data:`CHUNK_ROWS`), at least one batch."""
    return max(1, (CHUNK_ROWS if rows is None else rows) // batch_size) * batch_size


def _object_name(obj: Any) -> str:
    return getattr(obj, "name", None) or getattr(obj, "__name__", None) or type(obj).__name__


def _auto_family(identifier: Any) -> str | None:
    """The family (``"crossentropy"``, ``"accuracy"``) a string names, if any."""
    return registry.AUTO_NAMES.get(identifier.lower()) if isinstance(identifier, str) else None


def resolve_loss(identifier: Any, y_true: np.ndarray, y_pred: np.ndarray) -> Loss | None:
    """A loss identifier as Keras' compile resolves it: always a Loss object."""
    if identifier is None:
        return None
    family = _auto_family(identifier)
    if family == "crossentropy":
        obj = identifiers.pick("loss", family, y_true, y_pred).fn
    else:
        obj = identifiers.get(identifier)
        if isinstance(obj, LossFunctionWrapper) and not isinstance(identifier, (str, Mapping, Loss)):
            obj = obj.fn  # a plain callable: wrap it below under its own name
    if isinstance(obj, Loss):
        return obj
    name = identifier if isinstance(identifier, str) else _object_name(obj)
    return LossFunctionWrapper(obj, name=name)


def resolve_metric(identifier: Any, y_true: np.ndarray, y_pred: np.ndarray) -> metrics_module.Metric:
    """A metric identifier as Keras' compile resolves it (``"accuracy"`` picks
    binary, sparse or categorical accuracy from the shapes); named as given."""
    if identifier is None:
        raise ValueError("Expected a metric, received None.")
    family = _auto_family(identifier)
    if family is not None:
        cls = identifiers.pick("metric", family, y_true, y_pred).cls
        obj = cls(name=str(identifier)) if family == "accuracy" else cls()
    elif isinstance(identifier, Loss):
        obj = metrics_module.MeanMetricWrapper(identifier.call, name=identifier.name)
    else:
        obj = identifiers.get_metric(identifier)
    obj.name = identifier if isinstance(identifier, str) else obj.name
    return obj


def _flatten(x: Any) -> list[Any]:
    """Flatten nested lists and dicts of identifiers; a config dict (with a
    ``class_name``) is one identifier."""
    if isinstance(x, Mapping) and "class_name" not in x:
        return [v for item in x.values() for v in _flatten(item)]
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _flatten(item)]
    return [x]


class Evaluator:
    """A compile configuration, ready to evaluate predictions batch by batch.

    Args:
        loss: any loss identifier (name, Loss object, config dict, callable);
            for several outputs, one for all, a list, or a dict by output name.
        metrics: a list of metric identifiers; for several outputs, a list of
            lists or a dict by output name. They ignore ``sample_weight``.
        loss_weights: for several outputs, a list or dict of weights of each
            output's loss in the total ``loss``.
        weighted_metrics: like ``metrics``, but weighted by ``sample_weight``.
        output_names: the names of several outputs (a dict of arrays names
            them itself; a list otherwise gets ``output_0``, ``output_1``, ...).

    ``update_state`` takes one batch (one Keras test step), ``update_chunk``
    many batches at once (the same numbers), ``result`` gives the dict
    ``model.evaluate(return_dict=True)`` would, ``evaluate`` does it all;
    ``merge_state`` adds evaluators that saw other batches (other processes).
    """

    def __init__(
        self,
        loss: Any = None,
        metrics: Any = None,
        loss_weights: Any = None,
        weighted_metrics: Any = None,
        output_names: Sequence[str] | None = None,
    ):
        for name, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value is not None and not isinstance(value, (list, tuple, Mapping)):
                raise ValueError(f"Expected `{name}` to be a list, tuple, or dict. Received: {name}={value!r}")
        self.loss = loss
        self.metrics = metrics
        self.loss_weights = loss_weights
        self.weighted_metrics = weighted_metrics
        self.output_names = list(output_names) if output_names is not None else None
        self._built = False

    # -- configuration ---------------------------------------------------------

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | str | Path) -> "Evaluator":
        """From a compile config (``model.get_compile_config()``), or the path of a
        JSON file holding one, or of a ``.keras`` file (its ``compile_config``)."""
        output_names = None
        if isinstance(config, (str, Path)):
            config, output_names = load_compile_config(config)
        if not isinstance(config, Mapping):
            raise ValueError(f"A compile config must be a dict. Received: {type(config).__name__}")
        unknown = set(config) - {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", "run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss"}
        if unknown:
            raise ValueError(f"Not a compile config: unexpected keys {sorted(unknown)}. Expected the dict model.get_compile_config() returns.")
        if config.get("loss") is None and not config.get("metrics") and not config.get("weighted_metrics"):
            raise ValueError("The compile config has no loss and no metrics: nothing to evaluate.")
        return cls(
            loss=config.get("loss"),
            metrics=config.get("metrics"),
            loss_weights=config.get("loss_weights"),
            weighted_metrics=config.get("weighted_metrics"),
            output_names=output_names,
        )

    # -- structure -------------------------------------------------------------

    def _outputs(self, y_true: Any, y_pred: Any, sample_weight: Any) -> tuple[list[Any], list[Any], list[Any]]:
        """Flatten (y_true, y_pred, sample_weight) into per-output lists, in output order.

        A list of arrays is several outputs; a nested list of numbers is one array.
        """
        y_true, y_pred = _as_outputs(y_true), _as_outputs(y_pred)
        if isinstance(y_pred, Mapping):
            names = self.output_names or list(y_pred)
            if set(names) != set(y_pred):
                raise ValueError(f"y_pred's keys {sorted(y_pred)} do not match the output names {names}.")
            preds = [y_pred[n] for n in names]
            self._names = names
        elif isinstance(y_pred, (list, tuple)):
            preds = list(y_pred)
            self._names = self.output_names or [f"output_{i}" for i in range(len(preds))]
            if len(self._names) != len(preds):
                raise ValueError(f"{len(preds)} outputs in y_pred, but {len(self._names)} output names: {self._names}.")
        else:
            preds = [y_pred]
            self._names = self.output_names or [None]
        if isinstance(y_true, Mapping):
            missing = [n for n in self._names if n not in y_true]
            if missing:
                raise ValueError(f"y_true has no values for the outputs {missing}.")
            trues = [y_true[n] for n in self._names]
        elif isinstance(y_true, (list, tuple)) and len(preds) > 1:
            trues = list(y_true)
        else:
            trues = [y_true]
        if len(trues) != len(preds):
            raise ValueError(f"y_true has {len(trues)} outputs and y_pred {len(preds)}: they must match.")
        # A 1-D output is one value per sample (a column), as a Keras model's
        # (n, 1) output is; a loss over a 1-D array would see one sample.
        for i, p in enumerate(preds):
            if np.ndim(p) == 1:
                preds[i] = _column(p)
                if np.ndim(trues[i]) == 1:
                    trues[i] = _column(trues[i])
        if isinstance(sample_weight, Mapping):
            weights = [sample_weight.get(n) for n in self._names]
        elif isinstance(sample_weight, (list, tuple)) and len(preds) > 1 and len(sample_weight) == len(preds) and not np.isscalar(sample_weight[0]):
            weights = list(sample_weight)
        else:
            weights = [sample_weight] * len(preds)
        return trues, preds, weights

    def _per_output(self, value: Any, what: str) -> list[Any]:
        n = len(self._names)
        if n == 1:
            if isinstance(value, Mapping) and "class_name" not in value and self._names[0] is not None and self._names[0] in value:
                return [value[self._names[0]]]
            return [value]
        if isinstance(value, Mapping) and "class_name" not in value:
            extra = set(value) - set(self._names)
            if extra:
                raise ValueError(f"`{what}` names outputs {sorted(extra)} that y_pred does not have (outputs: {self._names}).")
            return [value.get(name) for name in self._names]
        if isinstance(value, (list, tuple)):
            if len(value) != n:
                raise ValueError(f"`{what}` has {len(value)} entries for {n} outputs: give one per output, or a dict by output name.")
            return list(value)
        return [value] * n

    def _build(self, trues: list[Any], preds: list[Any]) -> None:
        arrays = [(as_numeric_array(t, "y_true"), as_numeric_array(p, "y_pred")) for t, p in zip(trues, preds)]
        self._losses = [resolve_loss(l, t, p) for l, (t, p) in zip(self._per_output(self.loss, "loss"), arrays)]
        weights = self._per_output(self.loss_weights, "loss_weights") if self.loss_weights is not None else [None] * len(arrays)
        self._loss_weights = [None if w is None else float(w) for w in weights]
        self._metric_lists = self._build_metrics(self.metrics, "metrics", arrays)
        self._weighted_lists = self._build_metrics(self.weighted_metrics, "weighted_metrics", arrays)
        self._loss_tracker = metrics_module.Mean(name="loss")
        named = [name for name, loss in zip(self._names, self._losses) if loss is not None]
        self._output_trackers = (
            [metrics_module.Mean(name=f"{name}_loss") if loss is not None else None for name, loss in zip(self._names, self._losses)]
            if len(named) > 1
            else [None] * len(self._losses)
        )
        self._built = True
        # Metric objects given by the caller may hold state from an earlier use:
        # an evaluation starts from nothing, as Keras' evaluate() resets its metrics.
        self.reset_state()

    def _build_metrics(self, spec: Any, what: str, arrays: list[tuple[np.ndarray, np.ndarray]]) -> list[list[metrics_module.Metric]]:
        if not spec:
            return [[] for _ in arrays]
        if len(arrays) == 1:
            per_output = [_flatten(spec)]
        else:
            per_output = [[] if m is None else _flatten(m) for m in self._per_output(spec, what)]
        return [[resolve_metric(m, t, p) for m in ms] for ms, (t, p) in zip(per_output, arrays)]

    # -- evaluation ------------------------------------------------------------

    def reset_state(self) -> None:
        """Forget every batch seen (the objective stays resolved)."""
        if self._built:
            for m in self._all_metrics():
                m.reset_state()

    def _all_metrics(self) -> Iterator[metrics_module.Metric]:
        yield self._loss_tracker
        for ms in self._metric_lists + self._weighted_lists:
            yield from ms
        yield from (t for t in self._output_trackers if t is not None)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch, as one Keras test step does."""
        trues, preds, weights = self._outputs(y_true, y_pred, sample_weight)
        if not self._built:
            self._build(trues, preds)
        self._update_batch(trues, preds, weights)

    def _update_batch(self, trues: list[Any], preds: list[Any], weights: list[Any]) -> None:
        """``update_state`` on per-output lists."""
        batch = int(np.shape(preds[0])[0]) if np.ndim(preds[0]) else 1
        total = np.float32(0)
        any_loss = False
        for loss, lw, tracker, t, p, w in zip(self._losses, self._loss_weights, self._output_trackers, trues, preds, weights):
            if loss is None:
                continue
            value = np.float32(loss(t, p, sample_weight=w))
            if tracker is not None:
                tracker.update_state(value, sample_weight=batch)
            total = total + (value * np.float32(lw) if lw is not None else value)
            any_loss = True
        if any_loss:
            self._loss_tracker.update_state(total, sample_weight=batch)
        for ms, t, p in zip(self._metric_lists, trues, preds):
            for m in ms:
                m.update_state(t, p)
        for ms, t, p, w in zip(self._weighted_lists, trues, preds, weights):
            for m in ms:
                m.update_state(t, p, sample_weight=w)

    def update_chunk(self, y_true: Any, y_pred: Any, sample_weight: Any = None, *, batch_size: int | None = None) -> None:
        """Add many rows at once, exactly as ``update_state`` on each batch of
        ``batch_size`` rows (the last may be shorter) would.

        The losses and metrics are computed once over the block; only the
        per-batch sums are taken batch by batch (by reshaping), so every number
        equals the batch-by-batch one. Losses and metrics that are not known to
        be row-wise (a function of each sample alone) are run batch by batch,
        unless they say so: a loss or metric function with ``fn.rowwise =
        True``, a metric class with ``batch_additive = True`` (one update over
        many batches adds exactly what the batch-by-batch updates add, as
        integer counts do).
        """
        batch_size = _check_batch_size(batch_size)
        trues, preds, weights = self._outputs(y_true, y_pred, sample_weight)
        n = _common_length(trues, preds, weights)
        self._update_lists(trues, preds, weights, n, batch_size)

    def _update_lists(self, trues: list[Any], preds: list[Any], weights: list[Any], n: int, batch_size: int) -> None:
        """``update_chunk`` on per-output lists of ``n`` rows."""
        if not self._built and n:
            self._build([_rows(t, slice(0, batch_size)) for t in trues], [_rows(p, slice(0, batch_size)) for p in preds])
        nb = n // batch_size
        if nb:
            whole = slice(0, nb * batch_size)
            _ChunkUpdate(self, [_rows(t, whole) for t in trues], [_rows(p, whole) for p in preds], [_rows(w, whole) for w in weights], nb, batch_size).run()
        if n % batch_size:
            tail = slice(nb * batch_size, n)
            self._update_batch([_rows(t, tail) for t in trues], [_rows(p, tail) for p in preds], [_rows(w, tail) for w in weights])

    def merge_state(self, others: "Evaluator | Iterable[Evaluator]") -> None:
        """Add the state of other evaluators of the same objective that saw other
        batches (other processes, other machines): the result is the one a
        single evaluator that saw every batch gives."""
        others = [others] if isinstance(others, Evaluator) else list(others)
        for other in others:
            if not isinstance(other, Evaluator):
                raise TypeError(f"merge_state takes Evaluators. Received: {type(other).__name__}")
            if not other._built:
                continue
            if not self._built:
                import copy

                template = copy.deepcopy(other)
                template.reset_state()
                self.__dict__.update(template.__dict__)
            mine, theirs = list(self._all_metrics()), list(other._all_metrics())
            if self._names != other._names or [type(m) for m in mine] != [type(m) for m in theirs]:
                raise ValueError("merge_state takes evaluators of the same objective and outputs.")
            for m, o in zip(mine, theirs):
                m.merge_state(o)

    def result(self) -> dict[str, Any]:
        """The dict Keras' ``evaluate(return_dict=True)`` returns: Python floats, and
        NumPy arrays for metrics with several values (as Keras gives them)."""
        if not self._built:
            raise ValueError("Nothing evaluated yet: call update_state() or evaluate() first.")
        results: dict[str, float] = {}
        if any(loss is not None for loss in self._losses):
            results["loss"] = float(self._loss_tracker.result())
        counters: dict[str, int] = {}
        for name, ms in zip(self._names, self._metric_lists):
            for m in ms:
                key = f"{name}_{m.name}" if name is not None and len(self._names) > 1 else m.name
                if key in counters:
                    counters[key] += 1
                    key = f"{key}_{counters[key] - 1}"
                else:
                    counters[key] = 1
                results[key] = _pythonify(m.result())
        for name, ms in zip(self._names, self._weighted_lists):
            prefix = f"{name}_" if name is not None and len(self._names) > 1 else ""
            for m in ms:
                key = prefix + m.name
                if key in counters:
                    key = prefix + f"weighted_{m.name}"
                    if key in counters:
                        counters[key] += 1
                        key = f"{key}_{counters[key] - 1}"
                    else:
                        counters[key] = 1
                else:
                    counters[key] = 1
                results[key] = _pythonify(m.result())
        for tracker in self._output_trackers:
            if tracker is not None:
                results[tracker.name] = float(tracker.result())
        return results

    def evaluate(
        self,
        y_true: Any,
        y_pred: Any,
        sample_weight: Any = None,
        batch_size: int | None = None,
        progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
    ) -> dict[str, float]:
        """Evaluate whole arrays in batches of ``batch_size`` (Keras' default 32).

        The arrays are taken in blocks of about :data:`CHUNK_ROWS` rows (a
        multiple of ``batch_size``), each accounted for exactly as Keras'
        batch-by-batch loop would (see :meth:`update_chunk`). ``progress``, if
        given, wraps the iterable of block starts: ``progress(starts, n_blocks)``.

        Dask arrays (or Dask DataFrames) are evaluated on a Dask cluster, block
        by block on the workers (see :mod:`rkeraslosses.distributed`).
        """
        self.reset_state()
        batch_size = _check_batch_size(batch_size)
        for detect, run in ARRAY_BACKENDS:
            if detect(y_true, y_pred, sample_weight):
                return run(self, y_true, y_pred, sample_weight, batch_size=batch_size, progress=progress)
        y_true, y_pred = _as_outputs(y_true), _as_outputs(y_pred)
        trues, preds, weights = self._outputs(y_true, y_pred, sample_weight)
        n = _common_length(trues, preds, weights)
        weights = [None if w is None or np.ndim(w) == 0 else w for w in weights]  # per-sample weights only, as before
        step = chunk_rows(batch_size)
        starts: Iterable[int] = range(0, n, step)
        if progress is not None:
            starts = progress(starts, -(-n // step))
        for start in starts:
            sl = slice(start, min(start + step, n))
            self._update_lists([t[sl] for t in trues], [p[sl] for p in preds], [_slice(w, sl) for w in weights], sl.stop - sl.start, batch_size)
        if not self._built:
            self._build(trues, preds)
        return self.result()


# ---------------------------------------------------------------------------
# Whole blocks at once, batch by batch in the numbers
# ---------------------------------------------------------------------------


def _rowwise_functions() -> frozenset:
    """The built-in loss and metric functions whose value for a sample depends on
    that sample alone (given an axis other than the batch axis), so that one call
    over a block gives every batch's values. Anything else runs batch by batch."""
    from . import losses as L

    return frozenset(
        (
            L.mean_squared_error, L.mean_absolute_error, L.mean_absolute_percentage_error,
            # Not hinge and squared_hinge: Keras converts 0/1 labels when every label
            # of the *batch* is 0 or 1, so their values depend on the other rows.
            L.mean_squared_logarithmic_error, L.cosine_similarity, L.huber, L.log_cosh,
            L.categorical_hinge, L.kl_divergence, L.poisson, L.binary_crossentropy,
            L.categorical_crossentropy, L.sparse_categorical_crossentropy,
            metrics_module.cosine_similarity, metrics_module.accuracy, metrics_module.binary_accuracy,
            metrics_module.categorical_accuracy, metrics_module.sparse_categorical_accuracy,
        )
    )


_ROWWISE: frozenset | None = None


def _is_rowwise(fn: Any, kwargs: Mapping[str, Any], ndim: int) -> bool:
    """Whether ``fn`` (a loss or metric function) may run over a whole block:
    one of :func:`_rowwise_functions`, or a function that declares itself so
    with a ``rowwise = True`` attribute (each sample's value depends on that
    sample alone, and is the same whatever other rows are in the call)."""
    global _ROWWISE
    if _ROWWISE is None:
        _ROWWISE = _rowwise_functions()
    try:
        if fn not in _ROWWISE and getattr(fn, "rowwise", False) is not True:
            return False
    except TypeError:  # an unhashable callable
        return False
    axis = kwargs.get("axis", -1)
    return ndim >= 2 and isinstance(axis, (int, np.integer)) and int(axis) % ndim != 0


def _add_exact(variable: Any, values: np.ndarray) -> None:
    """Add every value to an :class:`~rkeraslosses.metrics.ExactSum`: the same
    exact sum as adding them one by one, at C speed (``math.fsum`` rounds the
    exact sum; the exact residuals are added until nothing is left)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size and values[0] == values[-1] and (values == values[0]).all() and float(values[0]).is_integer() and abs(values[0]) * values.size < 2.0**53:
        variable.add(float(values[0]) * values.size)  # counts of whole batches: exact in float64
        return
    finite = np.isfinite(values)
    if not finite.all():
        for x in values[~finite]:
            variable.add(float(x))
        values = values[finite]
    rest = values.tolist()
    parts: list[float] = []
    try:
        while len(parts) < 64:
            s = math.fsum(rest)
            if s == 0.0:
                break
            parts.append(s)
            rest.append(-s)
        else:  # pragma: no cover - the residual shrinks by 2**-53 each round
            raise OverflowError
    except OverflowError:  # an intermediate sum beyond float64: one by one, as update_state does
        parts = values.tolist()
    for x in parts:
        variable.add(x)


class _ChunkUpdate:
    """One block of ``nb`` whole batches of ``bs`` rows, for an Evaluator.

    Everything is computed first, then committed, so a block that fails leaves
    the losses and fast-path metrics as they were.
    """

    def __init__(self, ev: Evaluator, trues: list[Any], preds: list[Any], weights: list[Any], nb: int, bs: int):
        self.ev, self.trues, self.preds, self.weights, self.nb, self.bs = ev, trues, preds, weights, nb, bs
        self.rows = nb * bs

    def _batch(self, x: Any, i: int) -> Any:
        return _rows(x, slice(i * self.bs, (i + 1) * self.bs))

    def run(self) -> None:
        ev = self.ev
        commits: list[tuple[Any, np.ndarray, np.ndarray]] = []
        total = np.zeros(self.nb, np.float32)
        any_loss = False
        for loss, lw, tracker, t, p, w in zip(ev._losses, ev._loss_weights, ev._output_trackers, self.trues, self.preds, self.weights):
            if loss is None:
                continue
            values = self._loss_values(loss, t, p, w)
            if tracker is not None:
                commits.append(self._tracker_increments(tracker, values))
            with np.errstate(invalid="ignore", over="ignore"):
                total = total + (values * np.float32(lw) if lw is not None else values)
            any_loss = True
        if any_loss:
            commits.append(self._tracker_increments(ev._loss_tracker, total))
        slow: list[tuple[Any, Any, Any, Any, bool]] = []
        for lists, weighted in ((ev._metric_lists, False), (ev._weighted_lists, True)):
            for ms, t, p, w in zip(lists, self.trues, self.preds, self.weights):
                for m in ms:
                    inc = self._metric_increments(m, t, p, w if weighted else None)
                    if inc is None:
                        slow.append((m, t, p, w, weighted))
                    else:
                        commits.append((m, *inc))
        for m, t, p, w, weighted in slow:  # batch by batch, as update_state does
            if getattr(type(m), "batch_additive", False) is True:
                # The metric declares that one update over many batches adds to
                # its state exactly what the updates batch by batch add (integer
                # counts, say): one call for the block.
                m.update_state(t, p, **({"sample_weight": w} if weighted else {}))
                continue
            for i in range(self.nb):
                if weighted:
                    m.update_state(self._batch(t, i), self._batch(p, i), sample_weight=self._batch(w, i))
                else:
                    m.update_state(self._batch(t, i), self._batch(p, i))
        for metric, totals, counts in commits:
            with metric._lock:
                _add_exact(metric.total, totals)
                _add_exact(metric.count, counts)

    # -- the losses: one float32 value per batch, as update_state computes it

    def _loss_values(self, loss: Loss, t: Any, p: Any, w: Any) -> np.ndarray:
        fast = (
            isinstance(loss, LossFunctionWrapper)
            and type(loss).__call__ is Loss.__call__
            and type(loss)._call_with_mask is LossFunctionWrapper._call_with_mask
            and loss.reduction in ("sum_over_batch_size", "mean", "sum")
            and _is_rowwise(loss.fn, loss._fn_kwargs, np.ndim(p))
        )
        if fast:
            dtype = loss._dtype
            # Converted (or cast block by block) as the object's own call does:
            # a sparse loss then checks its class ids as given in every batch.
            values, mask = loss._values(t, p)
            values = np.asarray(values).astype(dtype, copy=False)
            if values.ndim and values.shape[0] == self.rows and values.size:
                reduced = self._reduce(values, w, mask, loss.reduction, dtype)
                return np.asarray(reduced, dtype=np.float32)
        return np.array([np.float32(loss(self._batch(t, i), self._batch(p, i), sample_weight=self._batch(w, i))) for i in range(self.nb)], dtype=np.float32)

    def _reduce(self, values: np.ndarray, w: Any, mask: Any, reduction: str, dtype: np.dtype) -> np.ndarray:
        """``reduce_weighted_values`` of every batch."""
        weights = None if w is None else as_float_array(w, "sample_weight", dtype)
        if mask is None and (weights is None or weights.shape == values.shape):
            if weights is not None:
                with np.errstate(invalid="ignore", over="ignore"):
                    values = values * weights
            totals = values.reshape(self.nb, -1).sum(axis=1, dtype=dtype)
            if reduction == "sum":
                return totals
            return totals / dtype.type(values.size // self.nb)
        return np.array(
            [
                reduce_weighted_values(self._batch(values, i), self._batch(w, i), None if mask is None else self._batch(mask, i), reduction)
                for i in range(self.nb)
            ]
        )

    def _tracker_increments(self, tracker: Any, values: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray]:
        """What ``tracker.update_state(value, sample_weight=batch_size)`` adds, per batch."""
        values = values.astype(tracker._dtype, copy=False)
        with np.errstate(invalid="ignore", over="ignore"):
            totals = (values * tracker._dtype.type(self.bs)).astype(np.float64)
        return tracker, totals, np.full(self.nb, float(tracker._dtype.type(self.bs)))

    # -- the metrics: (total, count) per batch, as MeanMetricWrapper adds them

    def _metric_increments(self, m: Any, t: Any, p: Any, w: Any) -> tuple[np.ndarray, np.ndarray] | None:
        """(totals, counts) per batch for a Mean-based metric, or None to go batch by batch."""
        cls = type(m)
        if not (
            isinstance(m, metrics_module.MeanMetricWrapper)
            and cls.update_state is metrics_module.MeanMetricWrapper.update_state
            and cls._update_values is metrics_module.Mean._update_values
            and _is_rowwise(m._fn, m._fn_kwargs, np.ndim(p))
        ):
            return None
        # The values update_state would add (in the metric's dtype, as Keras
        # casts; computing float64 data in float64 here gave other numbers).
        values, mask = m._values(t, p)
        values = np.asarray(values).astype(m._dtype, copy=False)
        if not values.ndim or values.shape[0] != self.rows:
            return None
        weights = None if w is None else as_float_array(w, "sample_weight", values.dtype)
        if mask is None and values.ndim == 2 and values.shape[1] == 1 and weights is not None and weights.ndim == 1:
            values = values[:, 0]  # Keras' squeeze rule, as samplewise_totals applies it
        if mask is None and weights is None:
            totals = values.reshape(self.nb, -1).sum(axis=1, dtype=np.float64)
            if values.ndim > 1:
                totals = totals / (math.prod(values.shape[1:]) or 1)
            return totals, np.full(self.nb, float(self.bs))
        if mask is None and values.ndim == 1 and weights is not None and weights.shape == values.shape:
            with np.errstate(invalid="ignore", over="ignore"):
                weighted = np.multiply(values, weights)
            return weighted.reshape(self.nb, -1).sum(axis=1, dtype=np.float64), weights.reshape(self.nb, -1).sum(axis=1, dtype=np.float64)
        pairs = [
            samplewise_totals(self._batch(values, i), self._batch(w, i), None if mask is None else self._batch(mask, i))
            for i in range(self.nb)
        ]
        return np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])


def _pythonify(value: Any) -> Any:
    """Keras' ``pythonify_logs``: a single value becomes a Python float; a metric
    with several values (a list of thresholds, per-class F-scores) stays a NumPy array."""
    value = np.asarray(value)
    return float(value) if value.ndim == 0 else value


def _is_array(x: Any) -> bool:
    return hasattr(x, "shape") and hasattr(x, "__array__") or isinstance(x, np.ndarray)


def _as_outputs(y: Any) -> Any:
    """Several outputs are a dict, or a list/tuple of arrays; anything else is one array."""
    if isinstance(y, Mapping):
        return {k: np.asarray(v) if not _is_array(v) else v for k, v in y.items()}
    if isinstance(y, (list, tuple)) and y and all(_is_array(v) for v in y):
        return list(y)
    return as_numeric_array(y, "y") if not _is_array(y) else y


def _slice(w: Any, sl: slice) -> Any:
    return None if w is None or np.ndim(w) == 0 else np.asarray(w)[sl]


def _rows(x: Any, sl: slice) -> Any:
    """Rows ``sl`` of an array; None and scalars (one value for every row) as they are."""
    return x if x is None or np.ndim(x) == 0 else x[sl]


def _column(x: Any) -> Any:
    """A 1-D array as a column, without materialising lazy (Dask) arrays."""
    return x[:, None] if hasattr(x, "ndim") and not isinstance(x, (list, tuple)) else np.asarray(x)[:, None]


def _check_batch_size(batch_size: Any) -> int:
    if batch_size is None:
        return DEFAULT_BATCH_SIZE
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"Argument `batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
    return int(batch_size)


def _common_length(trues: list[Any], preds: list[Any], weights: list[Any]) -> int:
    lengths = {("y_pred", i): len(np.asarray(p)) if np.ndim(p) else 1 for i, p in enumerate(preds)}
    lengths.update({("y_true", i): len(np.asarray(t)) if np.ndim(t) else 1 for i, t in enumerate(trues)})
    lengths.update({("sample_weight", i): len(np.asarray(w)) for i, w in enumerate(weights) if w is not None and np.ndim(w)})
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k[0]}[{k[1]}]: {v}" for k, v in lengths.items())
        raise ValueError(f"All arrays must have the same number of samples (rows). Received: {detail}")
    return next(iter(lengths.values()))


def evaluate(
    y_true: Any,
    y_pred: Any,
    loss: Any = None,
    metrics: Any = None,
    loss_weights: Any = None,
    weighted_metrics: Any = None,
    sample_weight: Any = None,
    batch_size: int | None = None,
    output_names: Sequence[str] | None = None,
) -> dict[str, float]:
    """Evaluate predictions with ``compile()``'s arguments; return Keras' ``evaluate`` dict.

    See :class:`Evaluator` for the arguments. Keys are Keras' (``loss``, metric
    names as given, ``<output>_<metric>`` and ``<output>_loss`` for several
    outputs); values are accumulated in batches of ``batch_size`` (32) as Keras
    does: the loss is the mean of the batch losses weighted by batch size.
    """
    return Evaluator(loss, metrics, loss_weights, weighted_metrics, output_names).evaluate(
        y_true, y_pred, sample_weight=sample_weight, batch_size=batch_size
    )


def load_compile_config(path: str | Path) -> tuple[dict[str, Any], list[str] | None]:
    """Read a compile config from a JSON file or a ``.keras`` file.

    Returns ``(compile_config, output_names)``; the output names come from a
    ``.keras`` model's functional config when it has several outputs.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No such file: {path}")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            if "config.json" not in archive.namelist():
                raise ValueError(f"{path} is a zip file but not a .keras model: it has no config.json.")
            model_config = json.loads(archive.read("config.json"))
        compile_config = model_config.get("compile_config")
        if not compile_config:
            raise ValueError(f"The model in {path} was saved without a compile config (it was not compiled).")
        return compile_config, _output_names(model_config)
    try:
        config = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{path} is neither a .keras file nor a JSON compile config: {err}") from err
    if isinstance(config, Mapping) and "compile_config" in config:
        return config["compile_config"], _output_names(config)
    return config, None


def _output_names(model_config: Mapping[str, Any]) -> list[str] | None:
    outputs = (model_config.get("config") or {}).get("output_layers")
    if isinstance(outputs, list) and outputs and isinstance(outputs[0], list):
        return [str(o[0]) for o in outputs]
    return None
