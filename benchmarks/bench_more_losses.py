"""Speed of the focal crossentropies, Dice, Tversky and CTC. Prints figures; asserts nothing.

    python benchmarks/bench_more_losses.py            # full: (1e6, 10) float32
    python benchmarks/bench_more_losses.py --quick    # (1e5, 10), for a smoke run

For the focal losses, Dice and Tversky: the time of one call on (N, 10)
float32 inputs as a ratio to the memory floor (NumPy reading both inputs
once, timed in the same run, interleaved with each case's runs; targets: focal <= 5x, Dice/Tversky <= 3x), and
the peak extra memory (tracemalloc) as a multiple of one input array. For CTC
(batch 64, 100 time steps, 30 classes, labels of length 20): our time and,
when Keras is importable, Keras' ``keras.losses.ctc`` on the same data in the
same run, with the backend it runs on (``KERAS_BACKEND``), eager and compiled
(``jax.jit`` or ``tf.function``; the first, compiling call is left out of the
timing). TensorFlow is not a dependency of the project: for its figure, run
this script with a Python that has ``tensorflow`` and ``keras`` installed and
``KERAS_BACKEND=tensorflow``.
"""

from __future__ import annotations

import argparse
import os
import sys
import timeit
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rkeraslosses import losses  # noqa: E402


def best(fn, number: int, repeat: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def peak_memory(fn) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="(1e5, 10) instead of (1e6, 10)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras comparison")
    args = parser.parse_args()
    n, c = (100_000 if args.quick else 1_000_000), 10
    rng = np.random.default_rng(0)
    p = rng.uniform(0.0, 1.0, size=(n, c)).astype(np.float32)
    binary = rng.integers(0, 2, size=(n, c)).astype(np.float32)
    one_hot = np.zeros((n, c), dtype=np.float32)
    one_hot[np.arange(n), rng.integers(0, c, n)] = 1
    probs = p / p.sum(axis=1, keepdims=True)
    logits = rng.normal(scale=3.0, size=(n, c)).astype(np.float32)
    masks = (rng.uniform(size=(n, c)) > 0.5).astype(np.float32)

    floor = best(lambda: (np.add.reduce(binary, axis=None), np.add.reduce(p, axis=None)), 1, args.repeat)
    print(f"numpy {np.__version__}; inputs ({n}, {c}) float32; memory floor (read both inputs once): {floor * 1e3:.2f} ms")
    cases = [
        ("binary_focal_crossentropy", lambda: losses.binary_focal_crossentropy(binary, p), 5),
        ("binary_focal (class balancing)", lambda: losses.binary_focal_crossentropy(binary, p, apply_class_balancing=True), 5),
        ("binary_focal (from_logits)", lambda: losses.binary_focal_crossentropy(binary, logits, from_logits=True), 5),
        ("binary_focal (soft labels)", lambda: losses.binary_focal_crossentropy(p, probs), 5),
        ("categorical_focal_crossentropy", lambda: losses.categorical_focal_crossentropy(one_hot, probs), 5),
        ("categorical_focal (from_logits)", lambda: losses.categorical_focal_crossentropy(one_hot, logits, from_logits=True), 5),
        ("categorical_focal (smoothing)", lambda: losses.categorical_focal_crossentropy(one_hot, probs, label_smoothing=0.1), 5),
        ("dice", lambda: losses.dice(masks, p), 3),
        ("dice (axis=1)", lambda: losses.dice(masks, p, axis=1), 3),
        ("tversky", lambda: losses.tversky(masks, p, alpha=0.3, beta=0.7), 3),
        ("tversky (axis=1)", lambda: losses.tversky(masks, p, axis=1), 3),
    ]
    header = f"{'loss':34s} {'ms':>8s} {'ratio':>6s} {'target':>6s} {'peak mem':>9s}"
    print(header)
    print("-" * len(header))
    for name, fn, target in cases:
        # Interleaved with the floor, so that both sides see the same load on a shared machine; the best of each.
        floors, tooks = [], []
        for _ in range(args.repeat):
            floors.append(best(lambda: (np.add.reduce(binary, axis=None), np.add.reduce(p, axis=None)), 1, 1))
            tooks.append(best(fn, 1, 1))
        floor_here, t = min(floors), min(tooks)
        peak = peak_memory(fn)
        print(f"{name:34s} {t * 1e3:8.2f} {t / floor_here:6.2f} {'<=' + str(target) + 'x':>6s} {peak / p.nbytes:8.2f}x")
    print()
    print("ratio = time / memory floor (NumPy reading both inputs once, interleaved with the case's runs); "
          "peak mem = tracemalloc peak of one call / bytes of one input array")
    print()

    batch, steps, classes, length = 64, 100, 30, 20
    labels = rng.integers(1, classes, size=(batch, length))
    ctc_logits = rng.normal(size=(batch, steps, classes)).astype(np.float32)
    ours = best(lambda: losses.ctc(labels, ctc_logits), 5, args.repeat)
    print(f"CTC: batch {batch}, {steps} time steps, {classes} classes, labels of length {length}, float32")
    print(f"  rkeraslosses.losses.ctc          {ours * 1e3:8.2f} ms")
    if args.no_keras:
        return
    try:
        import keras
    except ImportError:
        print("  keras not importable here: no comparison")
        return
    keras_ctc = keras.losses.ctc
    np.asarray(keras_ctc(labels, ctc_logits))  # first call compiles
    theirs = best(lambda: np.asarray(keras_ctc(labels, ctc_logits)), 5, args.repeat)
    jitted = None
    if keras.backend.backend() in ("jax", "tensorflow"):
        if keras.backend.backend() == "jax":
            import jax

            fast = jax.jit(lambda t, x: keras_ctc(t, x))
        else:
            import tensorflow as tf

            fast = tf.function(keras_ctc)
        np.asarray(fast(labels, ctc_logits))  # traces and compiles
        jitted = best(lambda: np.asarray(fast(labels, ctc_logits)), 5, args.repeat)
    backend = os.environ.get("KERAS_BACKEND", keras.backend.backend())
    print(f"  keras.losses.ctc ({backend} backend) {theirs * 1e3:8.2f} ms   ratio ours/keras {ours / theirs:5.2f}")
    if jitted is not None:
        how = "jax.jit" if keras.backend.backend() == "jax" else "tf.function"
        print(f"  keras.losses.ctc ({how:11s})     {jitted * 1e3:8.2f} ms   ratio ours/keras {ours / jitted:5.2f}")
    agree = np.max(np.abs(losses.ctc(labels, ctc_logits) - np.asarray(keras_ctc(labels, ctc_logits))) / np.asarray(keras_ctc(labels, ctc_logits)))
    print(f"  max relative difference: {agree:.1e}")


if __name__ == "__main__":
    main()
