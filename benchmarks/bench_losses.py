"""Speed and memory of every loss. Prints figures; asserts nothing.

    python benchmarks/bench_losses.py            # full: (1e6, 10) float32
    python benchmarks/bench_losses.py --quick    # (1e5, 10), for a smoke run

For each loss: the time of the function on (N, 10) float32 inputs as a ratio
to the memory floor (NumPy reading both inputs once, timed in the same run),
the per-call time on (32, 10) for the function and for a Loss object, and
the peak extra memory (tracemalloc) as a multiple of one input array.
"""

from __future__ import annotations

import argparse
import sys
import timeit
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rkeraslosses import losses  # noqa: E402
from rkeraslosses.losses import ALL_LOSSES  # noqa: E402


def make_inputs(name: str, n: int, c: int, rng: np.random.Generator):
    p = rng.uniform(0.01, 1.0, size=(n, c)).astype(np.float32)
    if name == "sparse_categorical_crossentropy":
        return rng.integers(0, c, size=n).astype(np.int64), p
    if name in ("categorical_crossentropy", "categorical_hinge"):
        t = np.zeros((n, c), dtype=np.float32)
        t[np.arange(n), rng.integers(0, c, size=n)] = 1
        return t, p
    if name in ("binary_crossentropy", "hinge", "squared_hinge"):
        return rng.integers(0, 2, size=(n, c)).astype(np.float32), p
    return rng.uniform(0.0, 1.0, size=(n, c)).astype(np.float32), p


def best(fn, number: int, repeat: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="(1e5, 10) instead of (1e6, 10)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n, c = (100_000 if args.quick else 1_000_000), 10
    rng = np.random.default_rng(0)

    print(f"numpy {np.__version__}; large inputs ({n}, {c}) float32; small inputs (32, {c})")
    header = f"{'loss':34s} {'large ms':>9s} {'floor ms':>9s} {'ratio':>6s} {'fn µs':>7s} {'obj µs':>7s} {'peak mem':>9s}"
    print(header)
    print("-" * len(header))
    for fn, cls in ALL_LOSSES:
        name = fn.__name__
        t, p = make_inputs(name, n, c, rng)
        # The memory floor: NumPy reading both inputs once.
        floor = best(lambda: (np.add.reduce(t, axis=None), np.add.reduce(p, axis=None)), 1, args.repeat)
        large = best(lambda: fn(t, p), 1, args.repeat)
        ts, ps = make_inputs(name, 32, c, rng)
        obj = cls()
        small_fn = best(lambda: fn(ts, ps), 2000, 3)
        small_obj = best(lambda: obj(ts, ps), 2000, 3)
        tracemalloc.start()
        fn(t, p)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{name:34s} {large * 1e3:9.2f} {floor * 1e3:9.2f} {large / floor:6.2f} "
            f"{small_fn * 1e6:7.1f} {small_obj * 1e6:7.1f} {peak / p.nbytes:8.2f}x"
        )
    print()
    print("ratio = large / floor; peak mem = tracemalloc peak of one large call / bytes of one input array")
    print()
    print("Column-major (Fortran-ordered) inputs, what R hands over, vs row-major, large inputs:")
    for fn, _ in ALL_LOSSES[:1] + ALL_LOSSES[-3:]:
        t, p = make_inputs(fn.__name__, n, c, rng)
        tf, pf = np.asfortranarray(t), np.asfortranarray(p)
        c_time = best(lambda: fn(t, p), 1, args.repeat)
        f_time = best(lambda: fn(tf, pf), 1, args.repeat)
        print(f"  {fn.__name__:34s} C-order {c_time * 1e3:8.2f} ms   F-order {f_time * 1e3:8.2f} ms")
    # Keep a reference to the import so linters see it is used.
    assert losses.categorical_crossentropy is not None


if __name__ == "__main__":
    main()
