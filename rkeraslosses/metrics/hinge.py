"""Hinge metrics: the means of the hinge losses."""

from __future__ import annotations

from .. import losses as _losses
from .base import builtin_metric

Hinge = builtin_metric("Hinge", _losses.hinge, "hinge", __name__)
SquaredHinge = builtin_metric("SquaredHinge", _losses.squared_hinge, "squared_hinge", __name__)
CategoricalHinge = builtin_metric("CategoricalHinge", _losses.categorical_hinge, "categorical_hinge", __name__)
