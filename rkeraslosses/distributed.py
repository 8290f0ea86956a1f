"""Compile-style evaluation on a Dask cluster (placeholder, filled in below)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_dask(x: Any) -> bool:
    """Whether ``x`` is a Dask collection (array, DataFrame, Series), without importing Dask."""
    return type(x).__module__.split(".", 1)[0] in ("dask", "dask_expr") and hasattr(x, "dask") or type(x).__module__.startswith("dask")


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
