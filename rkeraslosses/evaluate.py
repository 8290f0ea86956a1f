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
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from . import identifiers, registry
from . import metrics as metrics_module
from ._inputs import as_numeric_array
from .losses.base import Loss, LossFunctionWrapper

#: Keras' default batch size for ``evaluate``.
DEFAULT_BATCH_SIZE = 32


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

    ``update_state`` takes one batch (one Keras test step), ``result`` gives
    the dict ``model.evaluate(return_dict=True)`` would, ``evaluate`` does it all.
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
                preds[i] = np.asarray(p)[:, None]
                if np.ndim(trues[i]) == 1:
                    trues[i] = np.asarray(trues[i])[:, None]
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
        """Evaluate whole arrays in batches of ``batch_size`` (Keras' default 32)."""
        self.reset_state()
        batch_size = _check_batch_size(batch_size)
        y_true, y_pred = _as_outputs(y_true), _as_outputs(y_pred)
        trues, preds, weights = self._outputs(y_true, y_pred, sample_weight)
        n = _common_length(trues, preds, weights)
        starts: Iterable[int] = range(0, n, batch_size)
        if progress is not None:
            starts = progress(starts, -(-n // batch_size))
        restructure = _restructurer(y_true, y_pred, sample_weight, self._names)
        for start in starts:
            sl = slice(start, start + batch_size)
            self.update_state(*restructure([t[sl] for t in trues], [p[sl] for p in preds], [_slice(w, sl) for w in weights]))
        if not self._built:
            self._build(trues, preds)
        return self.result()


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


def _restructurer(y_true: Any, y_pred: Any, sample_weight: Any, names: list[Any]) -> Callable[..., tuple[Any, Any, Any]]:
    """Turn per-output batch lists back into the caller's structure."""
    if len(names) == 1 and not isinstance(y_pred, (Mapping, list, tuple)):
        return lambda t, p, w: (t[0], p[0], w[0])
    if isinstance(y_pred, Mapping):
        return lambda t, p, w: (dict(zip(names, t)), dict(zip(names, p)), dict(zip(names, w)))
    return lambda t, p, w: (list(t), list(p), list(w))


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
