"""What bounds the speed targets of issue 13 that NumPy does not reach, measured.
Prints figures; asserts nothing.

    python benchmarks/bench_bounds.py              # (32, 10) calls; 1e6 scores, (1e6, 10) arrays
    python benchmarks/bench_bounds.py --quick      # fewer repeats, a tenth of the sizes: a smoke run

Three parts, each as the primitive alone next to the whole computation and its
target, so that "bound by X" in the README and the issue notes can be checked
on any machine:

1. Small calls, (32, 10) float32. Each NumPy call that the loss's kernel makes
   on such a call (the sequence of ``losses/probabilistic.py``, written out
   here), timed alone on the kernel's own intermediate arrays; their sum is the
   NumPy work with no Python around it. A call costs 0.3-1.3 µs whatever its
   size here, so the count of calls bounds the function: the target is 8 µs.
   "The rest" is the function's time minus that sum: the Python between the
   calls (checks, the functions of the kernel), and what a call costs more
   inside the sequence than repeated back to back on the same arrays.
2. Counting, 1e6 values: ``np.bincount`` alone, on the index array the update
   builds (AUC's 402 buckets and weighted Precision's 4 cells in 16 lanes, on
   1e6 scores; weighted MeanIoU's 100 cells, on (1e6, 10) id maps), as a ratio
   to the memory floor of the update's inputs (each benchmark's own floor),
   next to the whole update.
3. Row sums of (1e6, 10) float32 in 256K-element blocks: ``einsum`` (what every
   row-wise loss uses, one row's order whatever its place) against BLAS
   (``x @ ones``, faster, but it sums a row in another order when the row falls
   in its kernel's remainder, so a sample's loss would change with its batch),
   per value, next to the floor per value.

The sequences of part 1 are today's kernels, written out by hand; if a kernel
changes, its sequence here must change with it. The script recomputes the
last steps of each sequence from its own arrays and compares them with the
function's numbers, bit for bit: that catches a change in the arithmetic of
those steps, not a call added to or dropped from the kernel (read the kernel).
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rkeraslosses import losses as L, metrics as M  # noqa: E402
from rkeraslosses._inputs import einsum, quiet, restore  # noqa: E402
from rkeraslosses.losses._rowwise import _clip  # noqa: E402  (the ufunc behind np.clip, as the kernels call it)


def best(fn, number: int, repeat: int) -> float:
    """Seconds per call: the best of ``repeat`` loops of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


# ------------------------------------------------------------------ part 1


def lse_steps(x, e, lse, inside, bound=np.float32(16)):
    """The log-sum-exp steps of both logits kernels (no shift: in range)."""
    return [
        ("exp", lambda: np.exp(x)),
        ("row sums (einsum)", lambda: einsum("ij->i", e)),
        ("log", lambda: np.log(lse)),
        ("range check: abs", lambda: np.abs(lse)),
        ("range check: <= 16", lambda: np.less_equal(lse, bound)),
        ("range check: count_nonzero", lambda: np.count_nonzero(inside)),
    ]


def small_sequences(rng: np.random.Generator):
    """(label, function call, [(step, thunk)], check) per loss; ``check`` gives
    the sequence's result, to compare with the function's."""
    n, c = 32, 10
    f32 = np.float32
    zero, bound = f32(0), f32(16)
    eps, one_minus_eps = f32(1e-7), f32(1) - f32(1e-7)
    labels = rng.integers(0, c, n)
    rows = np.arange(n)
    logits = rng.normal(0.0, 3.0, (n, c)).astype(f32)
    probs = rng.uniform(0.01, 1.0, (n, c)).astype(f32)
    onehot = np.eye(c, dtype=f32)[labels]

    # Categorical crossentropy on logits (dense: a small call's labels are not searched for one-hot rows).
    e = np.exp(logits)
    lse = einsum("ij->i", e)
    np.log(lse, out=lse)
    inside = np.less_equal(np.abs(lse), bound)
    z = np.subtract(logits, lse[:, None])
    np.minimum(z, zero, out=z)

    def cce_result():
        out = einsum("ij,ij->i", z, onehot)
        return np.negative(out, out=out)

    cce = [
        ("errors quieted (quiet + restore)", lambda: restore(quiet())),
        *lse_steps(logits, e, lse, inside),
        ("x - lse[:, None] (broadcast)", lambda: np.subtract(logits, lse[:, None])),
        ("minimum(z, 0)", lambda: np.minimum(z, zero, out=z)),
        ("rowdot(z, t) (einsum)", lambda: einsum("ij,ij->i", z, onehot)),
        ("negative", lambda: np.negative(lse)),
    ]

    # Sparse crossentropy on probabilities and on logits: integer labels.
    unsigned = labels.view(np.uint64)
    picked_p = probs[rows, labels]
    s = einsum("ij->i", probs)
    ratio = s / s

    def scce_result():
        q = picked_p / s
        _clip(q, eps, one_minus_eps, out=q)
        np.log(q, out=q)
        return np.negative(q, out=q)

    # The steps of both sparse kernels before their own: the error state and the labels' check.
    sparse_head = [
        ("errors quieted (quiet + restore)", lambda: restore(quiet())),
        ("labels seen as unsigned (view)", lambda: labels.view(np.uint64)),
        ("label range (maximum.reduce)", lambda: np.maximum.reduce(unsigned, axis=None)),
        ("labels as intp (astype, no copy)", lambda: labels.astype(np.intp, copy=False)),
    ]
    scce = sparse_head + [
        ("pick x[rows, labels]", lambda: probs[rows, labels]),
        ("row sums (einsum)", lambda: einsum("ij->i", probs)),
        ("finite non-zero sums: s / s", lambda: s / s),
        ("  and their sum (einsum)", lambda: einsum("i->", ratio)),
        ("picked / s", lambda: picked_p / s),
        ("clip", lambda: _clip(ratio, eps, one_minus_eps)),
        ("log", lambda: np.log(ratio)),
        ("negative", lambda: np.negative(ratio)),
    ]

    picked_x = logits[rows, labels]
    e2 = np.exp(logits)
    lse2 = np.log(einsum("ij->i", e2))
    inside2 = np.less_equal(np.abs(lse2), bound)

    def scce_logits_result():
        out = picked_x - lse2
        np.minimum(out, zero, out=out)
        return np.negative(out, out=out)

    scce_logits = sparse_head + [
        ("pick x[rows, labels]", lambda: logits[rows, labels]),
        *lse_steps(logits, e2, lse2, inside2),
        ("picked - lse", lambda: picked_x - lse2),
        ("minimum(., 0)", lambda: np.minimum(lse2, zero)),
        ("no -inf logit: count_nonzero(exp)", lambda: np.count_nonzero(e2)),
        ("negative", lambda: np.negative(lse2)),
    ]
    assert inside.all() and inside2.all(), "the sequences are the in-range (no shift) path"
    return [
        ("categorical_crossentropy logits", lambda: L.categorical_crossentropy(onehot, logits, from_logits=True), cce, cce_result),
        ("sparse_categorical_crossentropy", lambda: L.sparse_categorical_crossentropy(labels, probs), scce, scce_result),
        (
            "sparse_categorical_crossentropy logits",
            lambda: L.sparse_categorical_crossentropy(labels, logits, from_logits=True),
            scce_logits,
            scce_logits_result,
        ),
    ]


def part_small(rng: np.random.Generator, repeat: int) -> None:
    print("1. Small calls, (32, 10) float32: each NumPy call of the kernel alone (µs)")
    for label, call, steps, result in small_sequences(rng):
        got, want = result(), call()
        if not np.array_equal(got.view(np.uint32), np.asarray(want).view(np.uint32)):
            print(f"   {label}: the written-out sequence no longer gives the function's bits; update it")
        # In rounds over the function and every step, the best of each: a busy
        # moment of a shared machine then weighs on one round, not on one step.
        thunks = [call] + [thunk for _, thunk in steps]
        fastest = [float("inf")] * len(thunks)
        for _ in range(repeat):
            for k, thunk in enumerate(thunks):
                fastest[k] = min(fastest[k], best(thunk, 1000, 1) * 1e6)
        whole = fastest[0]
        times = [(step, t) for (step, _), t in zip(steps, fastest[1:])]
        numpy_only = sum(t for _, t in times)
        print(f"   {label}")
        for step, t in times:
            print(f"      {step:36s} {t:5.2f}")
        print(
            f"      {'the NumPy calls alone (sum)':36s} {numpy_only:5.2f}   the function: {whole:5.2f}"
            f"   target 8   ({len(times)} calls; the rest: {whole - numpy_only:4.2f})"
        )


# ------------------------------------------------------------------ part 2


def chunked(fn, n: int, chunk: int = 1 << 15):
    return lambda: [fn(start, min(start + chunk, n)) for start in range(0, n, chunk)]


def part_counting(rng: np.random.Generator, n: int, repeat: int) -> None:
    print()
    print(f"2. Counting, {n:,} values: np.bincount alone vs the whole update (ratio to the memory floor)")
    p = rng.uniform(0, 1, n).astype(np.float32)
    t = (rng.uniform(0, 1, n) < p).astype(np.float32)
    w = rng.uniform(0, 2, n).astype(np.float32)
    floor = best(lambda: (t.sum(), p.sum()), 1, repeat)
    floor_w = best(lambda: (t.sum(), p.sum(), w.sum()), 1, repeat)

    # AUC(num_thresholds=200): index 2 ceil(199 p) + ceil(t), 402 buckets, in 32K chunks.
    x = np.ceil(p * np.float32(199))
    x += x
    x += np.ceil(t)
    idx = x.astype(np.intp)
    auc_count = best(chunked(lambda a, b: np.bincount(idx[a:b], minlength=402), n), 1, repeat)
    auc_convert = best(chunked(lambda a, b: x[a:b].astype(np.intp), n), 1, repeat)
    auc = best(lambda: M.AUC(num_thresholds=200).update_state(t, p), 1, repeat)
    print(
        f"   AUC(200)             bincount {auc_count / floor:4.2f}  + float->intp {auc_convert / floor:4.2f}"
        f"   the update {auc / floor:4.2f}   target 5"
    )

    # Precision(), weighted: index 4 (i % 16) + 2 above + label (int8), float64 weights.
    lanes = np.resize(np.arange(16, dtype=np.int8) * np.int8(4), n)
    cell = (p > 0.5).astype(np.int8) * np.int8(2) + (t != 0).astype(np.int8) + lanes
    w64 = w.astype(np.float64)
    prec_count = best(chunked(lambda a, b: np.bincount(cell[a:b], weights=w64[a:b], minlength=64), n), 1, repeat)
    prec = best(lambda: M.Precision().update_state(t, p, sample_weight=w), 1, repeat)
    print(f"   Precision, weighted  bincount {prec_count / floor_w:4.2f}   the update {prec / floor_w:4.2f}   target 3")

    # MeanIoU(10), weighted, as bench_more_metrics.py: (N, 10) float32 id maps,
    # key 10 t + p, one weight per sample repeated along the row (float64).
    ti = rng.integers(0, 10, (n, 10)).astype(np.float32)
    pi = rng.integers(0, 10, (n, 10)).astype(np.float32)
    wi = rng.uniform(0, 2, n).astype(np.float32)
    key = (ti.astype(np.intp) * 10 + pi.astype(np.intp)).reshape(-1)
    wr = np.repeat(wi.astype(np.float64), 10)
    floor_iou = best(lambda: (ti.sum(), pi.sum()), 1, repeat)
    iou_count = best(chunked(lambda a, b: np.bincount(key[a:b], weights=wr[a:b], minlength=100), 10 * n, 1 << 17), 1, repeat)
    iou = best(lambda: M.MeanIoU(10, dtype="float32").update_state(ti, pi, sample_weight=wi), 1, repeat)
    print(f"   MeanIoU, weighted    bincount {iou_count / floor_iou:4.2f}   the update {iou / floor_iou:4.2f}   target 3")


# ------------------------------------------------------------------ part 3


def part_row_sums(rng: np.random.Generator, n: int, repeat: int) -> None:
    print()
    c = 10
    x = rng.uniform(0, 1, (n // c, c)).astype(np.float32)
    step = (1 << 18) // c
    ones = np.ones(c, dtype=np.float32)
    floor = best(lambda: x.sum(), 1, repeat)
    blocks = range(0, x.shape[0], step)
    ein = best(lambda: [einsum("ij->i", x[s : s + step]) for s in blocks], 1, repeat)
    blas = best(lambda: [x[s : s + step] @ ones for s in blocks], 1, repeat)
    per = 1e9 / n
    print(f"3. Row sums of ({n // c:,}, {c}) float32 in 256K-element blocks (ns a value)")
    print(f"   reading it once (floor) {floor * per:4.2f}   einsum {ein * per:4.2f}   BLAS x @ ones {blas * per:4.2f} (row order varies)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes and 3 repeats: a smoke run")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    n = 100_000 if args.quick else 1_000_000
    rng = np.random.default_rng(0)
    print(f"NumPy {np.__version__}; best of {repeat}; one thread (the counting and row sums do not use more)")
    part_small(rng, repeat)
    part_counting(rng, n, repeat)
    part_row_sums(rng, 10 * n, repeat)


if __name__ == "__main__":
    main()
