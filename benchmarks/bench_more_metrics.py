"""Speed and memory of issue 11's metrics. Prints figures; asserts nothing.

    python benchmarks/bench_more_metrics.py            # full: (1e6, 10) float32
    python benchmarks/bench_more_metrics.py --quick    # (1e5, 10), for a smoke run

For each metric: the time of one update (or function call) on (N, 10)
float32 inputs as a ratio to the memory floor (NumPy reading both inputs
once, timed in the same run), and the peak extra memory (tracemalloc) as a
multiple of one (N, 10) float32 array. Targets (issue 11): top-k <= 4x the
floor, IoU update <= 3x, RMSE / R2 update <= 2x. The top-1 categorical
accuracies (what compile(metrics=["accuracy"]) picks) are printed too.
"""

from __future__ import annotations

import argparse
import sys
import timeit
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rkeraslosses import metrics as M  # noqa: E402


def best(fn, repeat: int) -> float:
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="(1e5, 10) instead of (1e6, 10)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n, c = (100_000 if args.quick else 1_000_000), 10
    rng = np.random.default_rng(0)
    labels = rng.integers(0, c, n)
    onehot = np.eye(c, dtype=np.float32)[labels]
    scores = rng.uniform(size=(n, c)).astype(np.float32)
    id_maps = rng.integers(0, c, (n, c)).astype(np.float32), rng.integers(0, c, (n, c)).astype(np.float32)
    reg_true = rng.normal(size=(n, c)).astype(np.float32)
    reg_pred = (reg_true + rng.normal(size=(n, c))).astype(np.float32)
    weights = rng.uniform(0, 2, n).astype(np.float32)

    def updater(make, t, p, w=None):
        def run():
            make().update_state(t, p, sample_weight=w)
        return run

    cases = [
        ("categorical_accuracy", lambda: M.categorical_accuracy(onehot, scores), (onehot, scores), None),
        ("sparse_categorical_accuracy", lambda: M.sparse_categorical_accuracy(labels, scores), (labels, scores), None),
        ("top_k_categorical_accuracy(k=5)", lambda: M.top_k_categorical_accuracy(onehot, scores, k=5), (onehot, scores), 4),
        ("sparse_top_k_categorical_accuracy(k=5)", lambda: M.sparse_top_k_categorical_accuracy(labels, scores, k=5), (labels, scores), 4),
        ("TopKCategoricalAccuracy update", updater(lambda: M.TopKCategoricalAccuracy(), onehot, scores), (onehot, scores), 4),
        ("MeanIoU update, (N, 10) id maps", updater(lambda: M.MeanIoU(c), *id_maps), id_maps, 3),
        ("MeanIoU update, weighted, float", updater(lambda: M.MeanIoU(c, dtype="float32"), *id_maps, weights), id_maps, 3),
        ("IoU update, sparse_y_pred=False", updater(lambda: M.IoU(c, [0, 1], sparse_y_pred=False), labels, scores), (labels, scores), 3),
        ("OneHotMeanIoU update", updater(lambda: M.OneHotMeanIoU(c), onehot, scores), (onehot, scores), 3),
        ("RootMeanSquaredError update", updater(M.RootMeanSquaredError, reg_true, reg_pred), (reg_true, reg_pred), 2),
        ("RootMeanSquaredError update, weighted", updater(M.RootMeanSquaredError, reg_true, reg_pred, weights), (reg_true, reg_pred), 2),
        ("R2Score update", updater(M.R2Score, reg_true, reg_pred), (reg_true, reg_pred), 2),
        ("R2Score update, weighted", updater(M.R2Score, reg_true, reg_pred, weights), (reg_true, reg_pred), 2),
        ("PearsonCorrelation update", updater(M.PearsonCorrelation, reg_true, reg_pred), (reg_true, reg_pred), None),
    ]
    print(f"numpy {np.__version__}; inputs ({n}, {c}) float32 (labels int64 ({n},))")
    header = f"{'case':42s} {'ms':>8s} {'floor ms':>9s} {'ratio':>6s} {'target':>7s} {'peak mem':>9s}"
    print(header)
    print("-" * len(header))
    for name, fn, inputs, target in cases:
        a, b = inputs
        # Interleaved, so that both sides see the same load on a shared machine; the best of each.
        floors, tooks = [], []
        for _ in range(args.repeat):
            floors.append(best(lambda: (np.add.reduce(a, axis=None), np.add.reduce(b, axis=None)), 1))
            tooks.append(best(fn, 1))
        floor, took = min(floors), min(tooks)
        tracemalloc.start()
        fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        goal = f"<= {target}x" if target else "-"
        print(f"{name:42s} {took * 1e3:8.2f} {floor * 1e3:9.2f} {took / floor:6.2f} {goal:>7s} {peak / scores.nbytes:8.2f}x")
    print()
    print("ratio = time / floor (NumPy reading both inputs once, same run); peak mem = tracemalloc peak / bytes of one (N, 10) float32 array")


if __name__ == "__main__":
    main()
