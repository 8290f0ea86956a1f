"""A Loss object converts its inputs once per call (issue 9, "Inputs converted once").

The loss function it wraps, the squeeze rule and the reduction receive arrays
that are already of the right dtype and shape, and do no conversion of their own.
"""

from __future__ import annotations

import numpy as np
import pytest

from rkeraslosses import _inputs
from rkeraslosses import losses

from .registry import CASES, IDS


@pytest.fixture
def conversions(monkeypatch):
    seen: list[str] = []
    original = _inputs.as_numeric_array

    def counting(x, name):
        seen.append(name)
        return original(x, name)

    def counting_pair(y_true, y_pred, dtype=None):
        seen.append("as_pair")  # the general conversion of a pair, after the fast check
        return original_pair(y_true, y_pred, dtype)

    original_pair = _inputs.as_pair
    monkeypatch.setattr(_inputs, "as_numeric_array", counting)
    monkeypatch.setattr(_inputs, "as_pair", counting_pair)
    return seen


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_loss_object_converts_each_input_once(case, conversions):
    t, p = case.inputs(seed=1)
    obj = case.cls()
    expected = obj(t, p)  # float64 arrays: each is cast to float32 once
    conversions.clear()
    assert obj(t.tolist(), p.tolist()) == expected  # nested lists: each is converted once
    assert sorted(conversions) == ["y_pred", "y_true"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_arrays_of_the_right_dtype_are_not_converted_at_all(case, conversions):
    t, p = (a.astype(np.float32) for a in case.inputs(seed=2))
    if case.sparse:
        t = t.astype(np.int64)
    case.cls()(t, p)
    case.fn(t, p)
    # Integer labels are checked (class labels: one reduction, int_labels_below)
    # without a conversion either.
    assert conversions == []


def test_a_squeezed_column_is_squeezed_once(conversions):
    t = np.arange(6, dtype=np.float32)[:, None]
    p = np.arange(6, dtype=np.float32)[::-1].copy()
    assert losses.MeanSquaredError()(t, p) == np.mean((t[:, 0] - p) ** 2)  # closed form
    assert conversions == []
