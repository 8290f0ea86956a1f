"""Option validation and naming shared by the loss and the metric classes."""

from __future__ import annotations

import numbers
import re
from typing import Any

from ._inputs import check_axis, check_bool, check_fraction


def to_snake_case(name: str) -> str:
    """Keras' ``to_snake_case``: ``"MeanSquaredError"`` -> ``"mean_squared_error"``, ``"AUC"`` -> ``"auc"``,
    ``"KLDivergence"`` -> ``"kl_divergence"``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(class_name: str) -> str:
    """Keras' default object name: the class name in snake_case (Keras' ``auto_name``)."""
    return to_snake_case(class_name)


def check_ignore_class(ignore_class: Any) -> int | None:
    if ignore_class is None:
        return None
    if isinstance(ignore_class, bool) or not isinstance(ignore_class, numbers.Integral):
        raise TypeError(f"Argument `ignore_class` must be an integer or None. Received: ignore_class={ignore_class!r}")
    return int(ignore_class)


def check_ce_options(from_logits: Any, label_smoothing: Any, axis: Any) -> dict[str, Any]:
    """Validate the options of the binary and categorical crossentropies."""
    check_axis(axis, 64)
    return {
        "from_logits": check_bool(from_logits, "from_logits"),
        "label_smoothing": check_fraction(label_smoothing, "label_smoothing"),
        "axis": int(axis),
    }


def check_sparse_options(from_logits: Any, ignore_class: Any, axis: Any) -> dict[str, Any]:
    """Validate the options of the sparse categorical crossentropy."""
    check_axis(axis, 64)
    return {
        "from_logits": check_bool(from_logits, "from_logits"),
        "ignore_class": check_ignore_class(ignore_class),
        "axis": int(axis),
    }
