"""R keras' spelling: ``loss_categorical_crossentropy(y_true, y_pred, ...)`` and friends.

Each ``loss_*`` has R keras' two modes: with ``y_true`` and ``y_pred`` it
returns the per-sample losses (the Keras function, no reduction); with
neither it returns the configured Loss object, for compile-style use.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, Callable

from .losses import ALL_LOSSES
from .losses.base import Loss

_CLASS_OF = {fn.__name__: cls for fn, cls in ALL_LOSSES}
_FUNCTION_OF = {fn.__name__: fn for fn, _ in ALL_LOSSES}


def _make(r_name: str, keras_name: str, deprecated: bool = False) -> Callable[..., Any]:
    fn = _FUNCTION_OF[keras_name]
    cls = _CLASS_OF[keras_name]

    def r_loss(y_true: Any = None, y_pred: Any = None, **options: Any) -> Any:
        if deprecated:
            warnings.warn(
                f"`{r_name}` is deprecated: use `loss_{keras_name}` (the same loss).",
                FutureWarning,
                stacklevel=2,
            )
        loss = cls(**options)  # validates every option, in data mode too
        if y_true is None and y_pred is None:
            return loss
        if y_true is None or y_pred is None:
            missing = "y_true" if y_true is None else "y_pred"
            raise TypeError(
                f"`{r_name}` takes both `y_true` and `y_pred` (per-sample losses) or neither "
                f"(a loss object). Received: {missing}=None"
            )
        return fn(y_true, y_pred, **loss._fn_kwargs)

    options = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in list(inspect.signature(cls.__init__).parameters.values())[1:]]
    data = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None) for n in ("y_true", "y_pred")]
    r_loss.__signature__ = inspect.Signature(data + options)  # type: ignore[attr-defined]
    r_loss.__name__ = r_loss.__qualname__ = r_name
    option_names = ", ".join(f"`{p.name}`" for p in options)
    r_loss.__doc__ = (
        f"R keras' `{r_name}`{' (deprecated alias)' if deprecated else ''}.\n\n"
        f"With `y_true` and `y_pred`: the per-sample losses of `losses.{keras_name}` (no reduction).\n"
        f"Without them: a `losses.{cls.__name__}` object configured by the options ({option_names}).\n"
    )
    return r_loss


# (R keras name, Keras 3 function name). R keras 2.x names first, then keras3's.
R_NAMES = (
    ("loss_mean_squared_error", "mean_squared_error"),
    ("loss_mean_absolute_error", "mean_absolute_error"),
    ("loss_mean_absolute_percentage_error", "mean_absolute_percentage_error"),
    ("loss_mean_squared_logarithmic_error", "mean_squared_logarithmic_error"),
    ("loss_squared_hinge", "squared_hinge"),
    ("loss_hinge", "hinge"),
    ("loss_categorical_hinge", "categorical_hinge"),
    ("loss_logcosh", "log_cosh"),
    ("loss_log_cosh", "log_cosh"),
    ("loss_categorical_crossentropy", "categorical_crossentropy"),
    ("loss_sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
    ("loss_kullback_leibler_divergence", "kl_divergence"),
    ("loss_kl_divergence", "kl_divergence"),
    ("loss_poisson", "poisson"),
    ("loss_cosine_similarity", "cosine_similarity"),
    ("loss_binary_crossentropy", "binary_crossentropy"),
    ("loss_huber", "huber"),
)

R_LOSSES: dict[str, Callable[..., Any]] = {r: _make(r, k) for r, k in R_NAMES}
R_LOSSES["loss_cosine_proximity"] = _make("loss_cosine_proximity", "cosine_similarity", deprecated=True)


def is_loss_object(x: Any) -> bool:
    """True for a Loss object (what a ``loss_*`` returns without data)."""
    return isinstance(x, Loss)
