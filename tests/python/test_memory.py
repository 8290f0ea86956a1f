"""Peak extra memory of a large loss call (issue 13: at most a quarter of one
input on (1e6, 10) float32).

The losses run over blocks of ``BLOCK_ELEMENTS`` so that no temporary has the
size of the input; a path that took the whole input as one block (a small
call's direct path without its size check, say) would make temporaries as
large as the input and fail here. The peak is tracemalloc's, which sees NumPy's
allocations; the result itself (one float32 per row, a tenth of an input) is
part of it. Memory, not time: the figure does not depend on the machine's load.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from rkeraslosses import losses as L
from rkeraslosses._parallel import using

ROWS, CLASSES = 1_000_000, 10

# The benchmark's own rows and inputs (benchmarks/loss_cases.py: NumPy only, no settings).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from loss_cases import CASES, make  # noqa: E402


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(("label", "name", "options", "true_kind", "pred_kind"), [case[:5] for case in CASES], ids=[case[0] for case in CASES])
def test_large_call_peak_memory_is_at_most_a_quarter_of_one_input(label, name, options, true_kind, pred_kind, threads):
    rng = np.random.default_rng(3)
    labels = rng.integers(0, CLASSES, size=ROWS)
    t, p = make(true_kind, ROWS, CLASSES, rng, labels), make(pred_kind, ROWS, CLASSES, rng, labels)
    fn = getattr(L, name)
    with using(threads):
        fn(t, p, **options)  # warm up: the thread pool and cached constants are not the call's memory
        tracemalloc.start()
        try:
            out = fn(t, p, **options)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert out.shape == (ROWS,)
    assert peak <= 0.25 * p.nbytes, f"{label}: peak {peak / p.nbytes:.2f}x one input"

