"""Helpers for the tests of the R side: the generator script, and inputs by label kind."""

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np

from rkeraslosses import registry

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=None)
def gen_r() -> ModuleType:
    """scripts/gen_r.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("rkl_gen_r", ROOT / "scripts" / "gen_r.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _probs(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.uniform(0.01, 1.0, size=shape)
    return x / x.sum(axis=-1, keepdims=True)


def inputs(labels: str, seed: int, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Valid (y_true, y_pred) for an entry's label kind; ``shape`` is y_pred's."""
    rng = np.random.default_rng(seed)
    if labels == "sparse":
        return rng.integers(0, shape[-1], size=shape[:-1]).astype(float), _probs(rng, shape)
    if labels == "categorical":
        return np.eye(shape[-1])[rng.integers(0, shape[-1], size=shape[:-1])], _probs(rng, shape)
    if labels == "binary":
        return rng.integers(0, 2, size=shape).astype(float), rng.uniform(0.01, 0.99, size=shape)
    # dense (and any kind without a maker of its own): positive values on a
    # coarse grid, so that equality-based metrics (accuracy) see matches too
    return np.round(rng.uniform(0.0, 1.0, size=shape), 1), np.round(rng.uniform(0.1, 1.0, size=shape), 1)


#: R names whose functions take values or a function, not (y_true, y_pred).
SPECIAL = {"metric_mean", "metric_sum", "metric_mean_wrapper"}

#: (R name, entry) of every R name (deprecated ones aside) that takes y_true and y_pred.
R_DATA_NAMES = [(r, e) for e in registry.ENTRIES for r in e.r_names if r not in SPECIAL]
#: (deprecated R name, the name it forwards to).
R_DEPRECATED = [(d, e.r_names[0]) for e in registry.ENTRIES for d in e.r_deprecated]


def required_options(r_name: str, classes: int) -> tuple[dict, dict]:
    """The constructor arguments without a default: (Python values, R code), from gen_r's table."""
    g = gen_r()
    py, r_code = {}, {}
    for o in g.options_of(r_name):
        if o.required:
            code, value = g.REQUIRED_EXAMPLE_VALUES[o.name](classes)
            py[o.name], r_code[o.name] = value, code
    return py, r_code
