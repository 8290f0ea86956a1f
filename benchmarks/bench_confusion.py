"""Speed of the confusion-matrix metrics' ``update_state``, as ratios to the memory floor.

The floor is NumPy reading the inputs once (``y_true.sum()`` and
``y_pred.sum()``, plus the weights when given), measured in the same run, so
machine load affects both sides. Targets (issue 10): ``AUC(num_thresholds=200)``
<= 5x the floor on 1e6 float32 scores, ``Precision``/``Recall``/``TruePositives``
<= 3x. Keras' time on the same data is printed too when Keras is installed.
The rows marked "float64 data" give the same data as float64 (R's doubles) to
the float32 metrics, which cast it chunk by chunk; their floor reads the
float64 inputs.

    python benchmarks/bench_confusion.py [--n 1000000] [--repeat 7] [--no-keras]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import rkeraslosses.metrics as rm  # noqa: E402


def best_time(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, args.n).astype(np.float32)
    t = (rng.uniform(0, 1, args.n) < p).astype(np.float32)
    w = rng.uniform(0, 2, args.n).astype(np.float32)
    data = {np.float32: (t, p, w), np.float64: (t.astype(np.float64), p.astype(np.float64), w.astype(np.float64))}

    keras = None
    if not args.no_keras:
        try:
            os.environ.setdefault("KERAS_BACKEND", "jax")
            import keras  # noqa: F811
        except ImportError:
            keras = None

    cases = [
        ("AUC(num_thresholds=200)", lambda m: rm.AUC(num_thresholds=200), 5.0, False),
        ("AUC(num_thresholds=200), weighted", lambda m: rm.AUC(num_thresholds=200), 5.0, True),
        ("AUC(curve='PR')", lambda m: rm.AUC(curve="PR"), 5.0, False),
        ("Precision()", lambda m: rm.Precision(), 3.0, False),
        ("Recall()", lambda m: rm.Recall(), 3.0, False),
        ("TruePositives()", lambda m: rm.TruePositives(), 3.0, False),
        ("Precision(), weighted", lambda m: rm.Precision(), 3.0, True),
        ("Precision(thresholds=[0.2, 0.5, 0.8])", lambda m: rm.Precision(thresholds=[0.2, 0.5, 0.8]), None, False),
        ("AUC(thresholds=<50 uneven>)", lambda m: rm.AUC(thresholds=sorted(rng.uniform(0, 1, 50).tolist())), None, False),
        ("AUC(exact=True)", lambda m: rm.AUC(exact=True), None, False),
        ("AUC(num_thresholds=200), float64 data", lambda m: rm.AUC(num_thresholds=200), None, False),
        ("AUC(num_thresholds=200), weighted, float64 data", lambda m: rm.AUC(num_thresholds=200), None, True),
        ("Precision(), float64 data", lambda m: rm.Precision(), None, False),
        ("Precision(), weighted, float64 data", lambda m: rm.Precision(), None, True),
    ]
    keras_factories = {
        "AUC(num_thresholds=200)": lambda: keras.metrics.AUC(num_thresholds=200),
        "Precision()": lambda: keras.metrics.Precision(),
        "Recall()": lambda: keras.metrics.Recall(),
        "TruePositives()": lambda: keras.metrics.TruePositives(),
    }

    def floor_fn(weighted, dtype=np.float32):
        t, p, w = data[dtype]
        return (lambda: (t.sum(), p.sum(), w.sum())) if weighted else (lambda: (t.sum(), p.sum()))

    floor = best_time(floor_fn(False), args.repeat)
    floor_w = best_time(floor_fn(True), args.repeat)
    print(f"n = {args.n:,} float32 scores; floor (NumPy reading y_true, y_pred once): {floor * 1e3:.2f} ms; with weights: {floor_w * 1e3:.2f} ms")
    print("(each ratio: best of the metric's runs over best of floor runs interleaved with them, so load changes hit both)")
    print(f"{'metric':45s} {'ms':>8s} {'x floor':>8s} {'target':>7s} {'keras ms':>9s}")
    failures = 0
    for label, make, target, weighted in cases:
        metric = make(None)
        dtype = np.float64 if label.endswith("float64 data") else np.float32
        t_, p_, w_ = data[dtype]
        sw = w_ if weighted else None
        metric.update_state(t_, p_, sample_weight=sw)  # warm up
        seconds, floor_here = float("inf"), float("inf")
        for _ in range(args.repeat):
            floor_here = min(floor_here, best_time(floor_fn(weighted, dtype), 1))
            seconds = min(seconds, best_time(lambda: metric.update_state(t_, p_, sample_weight=sw), 1))
        ratio = seconds / floor_here
        keras_ms = ""
        if keras is not None and label in keras_factories:
            km = keras_factories[label]()
            km.update_state(t, p)
            keras_ms = f"{best_time(lambda: np.asarray(km.update_state(t, p) or km.result()), max(2, args.repeat // 3)) * 1e3:9.1f}"
        status = "" if target is None else ("ok" if ratio <= target else "SLOW")
        failures += status == "SLOW"
        print(f"{label:45s} {seconds * 1e3:8.2f} {ratio:8.2f} {('<=' + str(target)) if target else '':>7s} {keras_ms:>9s} {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
