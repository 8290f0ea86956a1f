"""Speed and memory of every loss. Prints figures; asserts nothing.

    python benchmarks/bench_losses.py              # (1e6, 10) float32, with JAX and Keras if installed
    python benchmarks/bench_losses.py --quick      # (1e5, 10), a smoke run
    python benchmarks/bench_losses.py --no-peers   # without JAX jit and Keras

Every figure is measured in one run, so that the load of a shared machine
weighs on both sides of a ratio:

* ``floor``: the memory floor, NumPy reading both inputs once
  (``np.add.reduce`` of each), timed next to every case;
* ``ours``: the plain function on the large inputs, one thread, as a ratio
  to the floor (the issue's targets are for one thread);
* ``ours Nt``: the same on ``--threads`` threads (default: what
  ``rk.get_num_threads()`` gives without OMP_NUM_THREADS: the cores, at most 4),
  the figure to hold against JAX's multi-threaded jit;
* ``jax``: ``jax.jit`` of Keras' own function (the same formula, traced by
  JAX), inputs already on the device, as a ratio to the floor;
* ``keras``: Keras 3 called on the NumPy arrays (what a user without
  rkeraslosses would do), as a ratio to the floor;
* ``mem``: the peak extra memory of one large call on ``--threads`` threads
  (tracemalloc, which sees NumPy's allocations) as a multiple of one input array;
* ``fn``, ``r``, ``obj``: microseconds per call on (32, 10) float32 for the
  plain function, the R-style ``rk.loss_*(y_true, y_pred)`` and a Loss object,
  measured after the large inputs in ``2 * --repeat`` rounds over every case
  (the best of all rounds), so that a busy moment weighs on one round only.

Each time is the best of ``--repeat`` runs. NumPy's BLAS runs on one thread:
the script sets ``OPENBLAS_NUM_THREADS=1`` (and the other BLAS variables)
before NumPy is imported, unless they are already set; rkeraslosses' own
threads are set with ``rk.set_num_threads`` for each column. JAX runs with XLA's default
threads (which may use every core), or one thread with ``--jax-one-thread``.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("KERAS_BACKEND", "jax")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import timeit  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import rkeraslosses as rk  # noqa: E402
from rkeraslosses import losses as L  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loss_cases import CASES, make  # noqa: E402

CLASSES = {
    "mean_squared_error": L.MeanSquaredError,
    "mean_absolute_error": L.MeanAbsoluteError,
    "mean_absolute_percentage_error": L.MeanAbsolutePercentageError,
    "mean_squared_logarithmic_error": L.MeanSquaredLogarithmicError,
    "log_cosh": L.LogCosh,
    "huber": L.Huber,
    "cosine_similarity": L.CosineSimilarity,
    "hinge": L.Hinge,
    "squared_hinge": L.SquaredHinge,
    "categorical_hinge": L.CategoricalHinge,
    "kl_divergence": L.KLDivergence,
    "poisson": L.Poisson,
    "binary_crossentropy": L.BinaryCrossentropy,
    "categorical_crossentropy": L.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": L.SparseCategoricalCrossentropy,
}


def best(fn, number: int, repeat: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    lines = [
        f"CPU: {cpu}; {os.cpu_count()} logical cores; Python {platform.python_version()} on {platform.system()}",
        f"NumPy {np.__version__}; threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}",
    ]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        np.show_runtime()
    text = buf.getvalue()
    found = text.split("'found':", 1)[1].split("]", 1)[0] if "'found':" in text else "?"
    baseline = text.split("'baseline':", 1)[1].split("]", 1)[0] if "'baseline':" in text else "?"
    lines.append(f"NumPy SIMD: baseline {baseline.strip(' [')}; found {found.strip(' [')}")
    config = io.StringIO()
    with contextlib.redirect_stdout(config):
        np.show_config()
    blas = [ln.strip() for ln in config.getvalue().split("lapack:", 1)[0].splitlines() if ln.strip().startswith(("name:", "version:"))]
    if blas:
        lines.append("NumPy's BLAS: " + ", ".join(blas))
    from rkeraslosses.losses import regression

    lines.append(f"log-cosh formula here: {regression.LOG_COSH_FORMULA!r} (see rkeraslosses/losses/regression.py)")
    return lines


def peers() -> tuple[object, object]:
    try:
        import jax
        import keras
    except ImportError:
        return None, None
    return jax, keras


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="(1e5, 10) instead of (1e6, 10)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-peers", action="store_true", help="skip JAX jit and Keras")
    parser.add_argument("--only", default="", help="run only the cases whose label contains this text")
    parser.add_argument("--threads", type=int, default=None, help="threads for the 'ours Nt' column (default: the cores, at most 4)")
    parser.add_argument("--jax-one-thread", action="store_true", help="XLA on one thread, as NumPy here (default: XLA's own)")
    args = parser.parse_args()
    if args.jax_one_thread:
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()
    from rkeraslosses import _parallel

    threads = args.threads or max(1, min(_parallel._cores(), _parallel.DEFAULT_MAX_THREADS))
    n, c = (100_000 if args.quick else 1_000_000), 10
    rng = np.random.default_rng(0)
    jax, keras = (None, None) if args.no_peers else peers()

    for line in machine():
        print(line)
    if jax is not None:
        xla = "one thread" if args.jax_one_thread else "XLA's default threads"
        print(f"Peers: jax {jax.__version__} ({jax.default_backend()}, {xla}), keras {keras.__version__}")
    print(f"rkeraslosses: 'ours' on 1 thread, 'ours Nt' on {threads} threads (rk.set_num_threads)")
    print(f"Large inputs ({n}, {c}) float32; small inputs (32, {c}) float32; best of {args.repeat}.")
    print()
    header = (
        f"{'loss':40s} {'floor ms':>8s} {'ours':>5s} {'target':>6s} {'ours Nt':>7s} {'jax':>5s} {'keras':>6s} "
        f"{'mem':>5s} {'fn µs':>6s} {'r µs':>6s} {'obj µs':>6s}"
    )
    print(header)
    print("-" * len(header))
    labels = rng.integers(0, c, size=n)
    small_labels = rng.integers(0, c, size=32)
    rows: list[str] = []
    small: list[tuple] = []
    for label, name, options, true_kind, pred_kind, target in CASES:
        if args.only and args.only not in label:
            continue
        fn = getattr(L, name)
        t = make(true_kind, n, c, rng, labels)
        p = make(pred_kind, n, c, rng, labels)
        floor_fn = lambda: (np.add.reduce(t, axis=None), np.add.reduce(p, axis=None))  # noqa: E731
        def on(count, f):
            def run():
                previous = rk.set_num_threads(count)
                try:
                    return f()
                finally:
                    rk.set_num_threads(previous)

            return run

        timed = {"floor": floor_fn, "ours": on(1, lambda: fn(t, p, **options)), "ours_n": on(threads, lambda: fn(t, p, **options))}
        if jax is not None:
            kfn = getattr(keras.losses, name)
            jitted = jax.jit(lambda a, b: kfn(a, b, **options))
            tj, pj = jax.device_put(t), jax.device_put(p)
            jitted(tj, pj).block_until_ready()  # compile outside the timing
            timed["jax"] = lambda: jitted(tj, pj).block_until_ready()
            timed["keras"] = lambda: np.asarray(kfn(t, p, **options))
        times = dict.fromkeys(timed, float("inf"))
        for i in range(args.repeat):  # interleaved, so that load weighs on every side alike
            for key, f in timed.items():
                if key == "keras" and i >= 2:
                    continue  # 10-40x slower; two runs are enough to see it
                times[key] = min(times[key], best(f, 1, 1))
        floor, ours = times["floor"], times["ours"]
        jax_ratio = times.get("jax", float("nan")) / floor
        keras_ratio = times.get("keras", float("nan")) / floor
        tracemalloc.start()
        on(threads, lambda: fn(t, p, **options))()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ts = make(true_kind, 32, c, rng, small_labels)
        ps = make(pred_kind, 32, c, rng, small_labels)
        obj = CLASSES[name](**options)
        r_fn = getattr(rk, "loss_" + name)
        small.append(
            (
                lambda fn=fn, ts=ts, ps=ps, options=options: fn(ts, ps, **options),
                lambda r_fn=r_fn, ts=ts, ps=ps, options=options: r_fn(ts, ps, **options),
                lambda obj=obj, ts=ts, ps=ps: obj(ts, ps),
            )
        )
        rows.append(
            f"{label:40s} {floor * 1e3:8.2f} {ours / floor:5.2f} {'<=' + str(target):>6s} {times['ours_n'] / floor:7.2f} {jax_ratio:5.2f} "
            f"{keras_ratio:6.2f} {peak / p.nbytes:4.2f}x"
        )
        print(f"  measured: {label}", file=sys.stderr, flush=True)
    # Small calls: short loops, taken in rounds over every case, so that a busy
    # moment of a shared machine weighs on one round and not on one case; the
    # best of every round for each call.
    small_best = [[float("inf")] * 3 for _ in small]
    for _ in range(2 * args.repeat):
        for calls, best_times in zip(small, small_best):
            for k, call in enumerate(calls):
                best_times[k] = min(best_times[k], best(call, 500, 3))
    for row, (t_fn, t_r, t_obj) in zip(rows, small_best):
        print(f"{row} {t_fn * 1e6:6.1f} {t_r * 1e6:6.1f} {t_obj * 1e6:6.1f}")
    print()
    print("ours/ours Nt/jax/keras: time on the large inputs / floor (lower is faster); mem: peak extra memory")
    print("of one large call / bytes of one input; targets: fn <= 8 µs, r <= 10 µs, obj <= 12 µs.")
    if args.only:
        return
    print()
    print("Column-major (Fortran-ordered) inputs, what R hands over, vs row-major, large inputs:")
    for name in ("mean_squared_error", "categorical_crossentropy", "sparse_categorical_crossentropy"):
        fn = getattr(L, name)
        kind = "sparse" if name.startswith("sparse") else "onehot"
        t, p = make(kind, n, c, rng, labels), make("prob", n, c, rng, labels)
        pf = np.asfortranarray(p)
        tf = t if t.ndim == 1 else np.asfortranarray(t)
        c_time = best(lambda: fn(t, p), 1, args.repeat)
        f_time = best(lambda: fn(tf, pf), 1, args.repeat)
        print(f"  {name:34s} C-order {c_time * 1e3:8.2f} ms   F-order {f_time * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
