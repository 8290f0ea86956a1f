"""The registry is the one table of names: every reader agrees with it, and
every metric behaves as a metric must (registry-driven, no per-metric code
beyond the constructor arguments some metrics require)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import identifiers, metrics, registry
from rkeraslosses._rstyle import R_FUNCTIONS

PACKAGE = Path(rk.__file__).parent

#: Constructor arguments that some metrics require (they have no default in Keras).
REQUIRED = {
    "MeanMetricWrapper": {"fn": rk.losses.mean_absolute_error},
    "IoU": {"num_classes": 3, "target_class_ids": [0, 2]},
    "MeanIoU": {"num_classes": 3},
    "OneHotIoU": {"num_classes": 3, "target_class_ids": [0, 2]},
    "OneHotMeanIoU": {"num_classes": 3},
    "PrecisionAtRecall": {"recall": 0.5},
    "RecallAtPrecision": {"precision": 0.5},
    "SensitivityAtSpecificity": {"specificity": 0.5},
    "SpecificityAtSensitivity": {"sensitivity": 0.5},
}


def _inputs(entry: registry.Entry, seed: int, n: int = 6, c: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Valid inputs for an entry, from the labels kind it declares."""
    rng = np.random.default_rng(seed)
    probs = rng.uniform(0.05, 1.0, size=(n, c))
    probs /= probs.sum(axis=-1, keepdims=True)
    if entry.labels == "sparse":
        return rng.integers(0, c, size=(n,)).astype(np.float32), probs.astype(np.float32)
    if entry.labels == "binary":
        return rng.integers(0, 2, size=(n, 1)).astype(np.float32), rng.uniform(0.05, 0.95, size=(n, 1)).astype(np.float32)
    if entry.labels == "categorical":
        return np.eye(c, dtype=np.float32)[rng.integers(0, c, size=n)], probs.astype(np.float32)
    if entry.labels == "multiclass":
        return rng.integers(0, c, size=(n,)).astype(np.float32), rng.integers(0, c, size=(n,)).astype(np.float32)
    return rng.uniform(0.0, 1.0, size=(n, c)).astype(np.float32), rng.uniform(0.05, 1.0, size=(n, c)).astype(np.float32)


def _metric_entries() -> list[registry.Entry]:
    return [e for e in registry.entries("metric") if e.cls is not None and e.cls not in (metrics.Mean, metrics.Sum)]


def _make(entry: registry.Entry) -> metrics.Metric:
    return entry.cls(**REQUIRED.get(entry.cls.__name__, {}))


METRICS = _metric_entries()
IDS = [e.cls.__name__ for e in METRICS]


# ------------------------------------------------------------- names


def test_every_name_resolves_on_its_own_side():
    for kind, get in (("loss", rk.get), ("metric", rk.metrics.get)):
        for e in registry.entries(kind):
            for name in e.names():
                if e.cls in (rk.LossFunctionWrapper, metrics.MeanMetricWrapper):
                    continue
                try:
                    got = get(name)
                except TypeError:  # a class whose constructor requires arguments
                    assert e.cls is not None and e.cls.__name__ in REQUIRED, name
                    continue
                if kind == "loss":
                    assert got is e.fn or isinstance(got, e.cls), (name, got)
                else:
                    assert isinstance(got, e.cls) if e.cls is not None else got._fn is e.fn, (name, got)


def test_an_alias_resolves_as_a_loss_and_as_a_metric_where_both_exist():
    for loss_entry in registry.entries("loss"):
        for name in loss_entry.aliases + loss_entry.legacy:
            metric_entry = registry.NAMES["metric"].get(name)
            same = [m for m in registry.entries("metric") if m.fn is loss_entry.fn]
            if same and loss_entry.fn is not None:
                assert metric_entry is not None, f"{name!r} resolves as a loss but not as a metric"


def test_no_name_is_given_to_two_entries_of_one_kind():
    for kind in ("loss", "metric"):
        seen: dict[str, registry.Entry] = {}
        for e in registry.entries(kind):
            for name in e.names():
                assert name not in seen or seen[name] is e, f"{kind} name {name!r} names two entries"
                seen[name] = e


def test_every_r_name_is_an_exported_python_function():
    names = set(registry.r_index())
    assert names == set(R_FUNCTIONS)
    for name in names:
        assert getattr(rk, name) is R_FUNCTIONS[name] and name in rk.__all__


def test_r_flags_come_from_the_registry():
    assert rk._rstyle.r_flags("loss_sparse_categorical_crossentropy")["sparse_labels"] is True
    assert rk._rstyle.r_flags("metric_sparse_categorical_accuracy")["sparse_labels"] is True
    assert rk._rstyle.r_flags("loss_categorical_crossentropy")["sparse_labels"] is False
    assert rk._rstyle.r_flags("metric_mean")["kind"] == "metric"


def test_a_keras_name_we_do_not_have_says_so():
    unimplemented = [n for n in registry.KERAS_NAMES["metric"] if n not in registry.NAMES["metric"]]
    for name in unimplemented[:3]:
        with pytest.raises(ValueError, match="rkeraslosses does not implement yet"):
            rk.metrics.get(name)
    with pytest.raises(ValueError, match="Unknown metric: 'mean_absolute_eror'.*Did you mean 'mean_absolute_error'"):
        rk.metrics.get("mean_absolute_eror")
    with pytest.raises(ValueError, match="Unknown loss"):
        rk.get("no_such_loss_at_all")


@pytest.mark.parametrize(
    "true_shape,pred_shape,labels",
    [((4, 1), (4, 1), "binary"), ((4,), (4, 3), "sparse"), ((4, 1), (4, 3), "sparse"), ((4, 3), (4, 3), "categorical")],
)
def test_one_shape_rule_for_crossentropy_and_accuracy(true_shape, pred_shape, labels):
    assert registry.pick_by_shape(true_shape, pred_shape) == labels
    t, p = np.zeros(true_shape), np.full(pred_shape, 0.5)
    assert identifiers.pick("loss", "crossentropy", t, p).labels == labels
    assert identifiers.pick("metric", "accuracy", t, p).labels == labels


# ------------------------------------------------------------- imports


def _imports_of(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports (any import statement, at any depth)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if module.endswith(".__init__"):
        module = module[: -len(".__init__")]
        package = module
    else:
        package = module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("rkeraslosses")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("rkeraslosses"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists() or (PACKAGE.parent / sub.replace(".", "/")).is_dir() else target)
    out.discard(module)
    return out


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        graph[module] = _imports_of(path)
    return graph


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of imports, ignoring the implicit import of a package by its own modules."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if node.startswith(dep + "."):
                continue  # a submodule importing a name of its own parent package (re-exports)
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_module_imports_one_that_imports_it_back():
    cycle = _find_cycle(_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_walker_sees_function_level_imports(tmp_path):
    graph = _graph()
    assert "rkeraslosses.registry" in graph["rkeraslosses.identifiers"]
    assert "rkeraslosses.metrics.base" in graph["rkeraslosses.metrics"]


# ------------------------------------------------------------- metrics, from the registry


MEANS_OF_FUNCTIONS = [e for e in METRICS if e.fn is not None and issubclass(e.cls, metrics.BuiltinMetric)]


@pytest.mark.parametrize("entry", MEANS_OF_FUNCTIONS, ids=[e.cls.__name__ for e in MEANS_OF_FUNCTIONS])
def test_metric_update_equals_the_function_values(entry):
    t, p = _inputs(entry, 0)
    m = _make(entry)
    m.update_state(t, p)
    expected = np.mean(np.asarray(entry.fn(t, p), dtype=np.float64))
    assert float(m.result()) == pytest.approx(expected, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("entry", METRICS, ids=IDS)
def test_two_halves_merged_equal_one_pass(entry):
    one, a, b = _make(entry), _make(entry), _make(entry)
    for seed in range(4):
        t, p = _inputs(entry, seed)
        w = np.random.default_rng(seed).uniform(0.1, 2.0, size=t.shape[0]).astype(np.float32)
        one.update_state(t, p, sample_weight=w)
        (a if seed % 2 else b).update_state(t, p, sample_weight=w)
    a.merge_state([b])
    np.testing.assert_array_equal(np.asarray(a.result()), np.asarray(one.result()))


@pytest.mark.parametrize("entry", METRICS, ids=IDS)
def test_metric_pickles_with_its_state(entry):
    m = _make(entry)
    t, p = _inputs(entry, 1)
    m.update_state(t, p)
    clone = pickle.loads(pickle.dumps(m))
    np.testing.assert_array_equal(np.asarray(clone.result()), np.asarray(m.result()))
    t, p = _inputs(entry, 2)
    clone.update_state(t, p)
    m.update_state(t, p)
    np.testing.assert_array_equal(np.asarray(clone.result()), np.asarray(m.result()))


@pytest.mark.parametrize("entry", METRICS, ids=IDS)
def test_metric_config_round_trips(entry):
    m = _make(entry)
    config = m.get_config()
    rebuilt = rk.metrics.deserialize(rk.metrics.serialize(m))
    assert type(rebuilt) is type(m) and rebuilt.get_config() == config


@pytest.mark.parametrize("entry", METRICS, ids=IDS)
def test_reset_state_zeroes_the_metric(entry):
    """After reset_state, a metric gives what a new one gives on the same data."""
    fresh, m = _make(entry), _make(entry)
    m.update_state(*_inputs(entry, 3))
    m.reset_state()
    t, p = _inputs(entry, 5)
    m.update_state(t, p)
    fresh.update_state(t, p)
    np.testing.assert_array_equal(np.asarray(m.result()), np.asarray(fresh.result()))


@pytest.mark.parametrize("entry", METRICS, ids=IDS)
def test_metric_casts_its_inputs_to_its_dtype(entry):
    m = entry.cls(**REQUIRED.get(entry.cls.__name__, {}), dtype="float64")
    t, p = _inputs(entry, 4)
    m.update_state(t.tolist(), p.tolist())
    expected = np.float32 if entry.cls.__name__ in FLOAT32_RESULTS else np.float64
    assert np.asarray(m.result()).dtype == expected


#: Keras' IoU metrics return float32 whatever their dtype (keras 3.15: MeanIoU(dtype="float64").result().dtype).
FLOAT32_RESULTS = {"IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU"}


def test_readme_table_is_generated_from_the_registry():
    import subprocess
    import sys

    root = PACKAGE.parent
    done = subprocess.run([sys.executable, str(root / "scripts" / "gen_readme_table.py"), "--check"], cwd=root, capture_output=True, text=True, env={**__import__("os").environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
