"""The cases of ``bench_losses.py``: one row per benchmarked loss, and the
inputs each row is measured on. Kept apart (NumPy only, no environment
settings) so that ``tests/python/test_memory.py`` checks the memory target on
exactly the benchmarked rows.
"""

from __future__ import annotations

import numpy as np

# (label, function name, options, kind of y_true, kind of y_pred, target ratio)
# Targets (issue 13): crossentropies with one-hot or integer labels <= 3, MSE and
# MAE <= 2, crossentropies on logits <= 5, log-cosh <= 6, every other loss <= 4.
CASES = [
    ("mean_squared_error", "mean_squared_error", {}, "uniform", "prob", 2),
    ("mean_absolute_error", "mean_absolute_error", {}, "uniform", "prob", 2),
    ("mean_absolute_percentage_error", "mean_absolute_percentage_error", {}, "uniform", "prob", 4),
    ("mean_squared_logarithmic_error", "mean_squared_logarithmic_error", {}, "uniform", "prob", 4),
    ("log_cosh", "log_cosh", {}, "uniform", "prob", 6),
    ("huber", "huber", {}, "uniform", "prob", 4),
    ("cosine_similarity", "cosine_similarity", {}, "uniform", "prob", 4),
    ("hinge (0/1 labels)", "hinge", {}, "binary", "prob", 4),
    ("squared_hinge (0/1 labels)", "squared_hinge", {}, "binary", "prob", 4),
    ("categorical_hinge", "categorical_hinge", {}, "onehot", "prob", 4),
    ("kl_divergence", "kl_divergence", {}, "uniform", "prob", 4),
    ("poisson", "poisson", {}, "uniform", "prob", 4),
    ("binary_crossentropy (0/1 labels)", "binary_crossentropy", {}, "binary", "prob", 3),
    ("binary_crossentropy (soft labels)", "binary_crossentropy", {}, "uniform", "prob", 4),
    ("binary_crossentropy logits", "binary_crossentropy", {"from_logits": True}, "binary", "logits", 5),
    ("categorical_crossentropy (one-hot)", "categorical_crossentropy", {}, "onehot", "prob", 3),
    ("categorical_crossentropy logits", "categorical_crossentropy", {"from_logits": True}, "onehot", "logits", 5),
    ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy", {}, "sparse", "prob", 3),
    ("sparse_categorical_crossentropy logits", "sparse_categorical_crossentropy", {"from_logits": True}, "sparse", "logits", 5),
]


def make(kind: str, n: int, c: int, rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    if kind == "uniform":
        return rng.uniform(0.0, 1.0, size=(n, c)).astype(np.float32)
    if kind == "prob":
        return rng.uniform(0.01, 1.0, size=(n, c)).astype(np.float32)
    if kind == "logits":
        return rng.normal(0.0, 3.0, size=(n, c)).astype(np.float32)
    if kind == "binary":
        return rng.integers(0, 2, size=(n, c)).astype(np.float32)
    if kind == "sparse":
        return labels.copy()
    if kind == "onehot":
        t = np.zeros((n, c), dtype=np.float32)
        t[np.arange(n), labels] = 1
        return t
    raise ValueError(kind)
