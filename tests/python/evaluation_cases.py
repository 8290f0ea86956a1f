"""Every registry metric as a compile metric, with inputs it accepts.

Shared by the block-evaluation tests (``test_evaluate_chunks.py``) and the Dask
tests (``test_distributed.py``): both iterate over ``rkeraslosses.registry``, so
a metric row added there is covered without touching the tests, unless its
constructor needs arguments (``CTOR_ARGS``) or other inputs (``INPUT_KIND``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rkeraslosses import registry
from rkeraslosses.metrics import Mean, MeanMetricWrapper, Sum

K = 4  # classes

#: Constructor arguments of the metrics that need some (Keras' signatures).
CTOR_ARGS: dict[str, dict[str, Any]] = {
    "MeanIoU": dict(num_classes=K),
    "IoU": dict(num_classes=K, target_class_ids=[0, 2]),
    "OneHotIoU": dict(num_classes=K, target_class_ids=[0, 2]),
    "OneHotMeanIoU": dict(num_classes=K),
    "BinaryIoU": dict(target_class_ids=[0, 1], threshold=0.5),
    "PrecisionAtRecall": dict(recall=0.5),
    "RecallAtPrecision": dict(precision=0.5),
    "SensitivityAtSpecificity": dict(specificity=0.5),
    "SpecificityAtSensitivity": dict(sensitivity=0.5),
    "TopKCategoricalAccuracy": dict(k=2),
    "SparseTopKCategoricalAccuracy": dict(k=2),
    "FBetaScore": dict(beta=2.0),
    "MeanMetricWrapper": dict(fn=lambda t, p: np.abs(t - p).max(axis=-1), name="max_abs"),
}

#: Metrics that are not compile metrics of (y_true, y_pred): they take values.
NOT_COMPILE_METRICS = (Mean, Sum)

#: Inputs by the registry's ``labels`` kind; ``INPUT_KIND`` overrides by class name.
INPUT_KIND: dict[str, str] = {
    "MeanIoU": "class_ids",
    "IoU": "class_ids",
    "BinaryIoU": "binary",
    "AUC": "binary",
    "Precision": "binary",
    "Recall": "binary",
    "TruePositives": "binary",
    "TrueNegatives": "binary",
    "FalsePositives": "binary",
    "FalseNegatives": "binary",
    "PrecisionAtRecall": "binary",
    "RecallAtPrecision": "binary",
    "SensitivityAtSpecificity": "binary",
    "SpecificityAtSensitivity": "binary",
}


def make_inputs(kind: str, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(y_true, y_pred) of ``n`` rows for a label kind, float32 like model outputs."""
    rng = np.random.default_rng(seed)
    probs = rng.uniform(0.01, 1.0, (n, K)).astype(np.float32)
    probs /= probs.sum(axis=1, keepdims=True)
    labels = rng.integers(0, K, n)
    if kind == "sparse":
        return labels.astype(np.float32), probs
    if kind == "binary":
        return rng.integers(0, 2, (n, 1)).astype(np.float32), rng.uniform(0, 1, (n, 1)).astype(np.float32)
    if kind == "class_ids":
        return labels.astype(np.float32), rng.integers(0, K, n).astype(np.float32)
    return np.eye(K, dtype=np.float32)[labels], probs  # categorical, dense


def metric_cases() -> list[tuple[str, Any, str]]:
    """(id, metric factory, input kind) for every metric row of the registry."""
    cases = []
    for e in registry.entries("metric"):
        if e.cls is not None and issubclass(e.cls, NOT_COMPILE_METRICS) and not issubclass(e.cls, MeanMetricWrapper):
            continue
        if e.cls is not None:
            name = e.cls.__name__
            args = CTOR_ARGS.get(name, {})
            factory = (lambda cls=e.cls, args=args: cls(**args))
        else:
            name = e.name
            factory = (lambda name=name: name)  # a function name, as compile takes it
        cases.append((name, factory, INPUT_KIND.get(name, "dense" if e.labels == "dense" else e.labels)))
    return cases


def same_results(a: dict, b: dict) -> bool:
    """Two evaluate() results are the same: the same keys in the same order and
    bit-identical values (a metric with several values gives a NumPy array)."""
    import numpy as np

    return list(a) == list(b) and all(np.array_equal(np.asarray(a[k]), np.asarray(b[k]), equal_nan=True) for k in a)
