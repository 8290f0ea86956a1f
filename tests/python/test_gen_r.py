"""The R side generated from the registry: scripts/gen_r.py, NAMESPACE, man/, keras3's exports."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rkeraslosses import _rstyle, losses, metrics, registry

from .r_side import ROOT, gen_r

FIXTURES = ROOT / "tests" / "python" / "fixtures"


def test_committed_r_files_are_what_the_script_writes(tmp_path):
    g = gen_r()
    g.write(tmp_path)
    for name in ("losses.R", "metrics.R"):
        expected = (tmp_path / name).read_text(encoding="utf-8")
        committed = (ROOT / "R" / name).read_text(encoding="utf-8")
        assert committed == expected, (
            f"R/{name} differs from what scripts/gen_r.py writes: run "
            "`PYTHONPATH=$PWD python scripts/gen_r.py && Rscript -e 'roxygen2::roxygenise()'` and commit"
        )


def _exports() -> set[str]:
    text = (ROOT / "NAMESPACE").read_text(encoding="utf-8")
    return set(re.findall(r"^export\(([^)]+)\)$", text, flags=re.M))


def _rd_aliases() -> set[str]:
    aliases: set[str] = set()
    for rd in (ROOT / "man").glob("*.Rd"):
        aliases |= set(re.findall(r"\\alias\{([^}]+)\}", rd.read_text(encoding="utf-8")))
    return aliases


def test_every_r_name_is_exported_and_has_an_rd_page():
    names = set(registry.r_index())
    exports, aliases = _exports(), _rd_aliases()
    assert names - exports == set(), "R names of the registry missing from NAMESPACE (run roxygen2::roxygenise())"
    assert names - aliases == set(), "R names of the registry without an Rd page in man/ (run roxygen2::roxygenise())"
    # and no hand-written loss_*/metric_* left beside the generated ones
    stale = {n for n in exports if n.startswith(("loss_", "metric_"))} - names
    assert stale == set(), "exported loss_*/metric_* functions that the registry does not name"


def _keras3_exports() -> list[str]:
    lines = (FIXTURES / "keras3_r_exports.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_keras3_fixture_lists_its_70_functions():
    # keras3's NAMESPACE (see the fixture's header) exports 22 loss_* and 48 metric_*
    names = _keras3_exports()
    assert len(names) == len(set(names)) == 70
    assert sum(n.startswith("loss_") for n in names) == 22
    assert all(n.startswith(("loss_", "metric_")) for n in names)


def test_every_keras3_r_export_is_an_r_name_of_the_registry():
    missing = [n for n in _keras3_exports() if n not in registry.r_index()]
    assert missing == [], f"R keras3 exports these, the registry has no R name for them: {missing}"


# ----------------------------------------------------------- the generator itself
@pytest.mark.parametrize(
    "value,arg,annotation,expected",
    [
        (None, "x", None, "NULL"),
        (True, "x", None, "TRUE"),
        (False, "x", None, "FALSE"),
        (200, "num_thresholds", "int", "200L"),
        (0, "label_smoothing", "float", "0"),  # an int default of a float option stays a double
        (0.25, "alpha", "float", "0.25"),
        (1.0, "delta", "float", "1"),
        (-1, "axis", "int", "-1L"),
        (1, "axis", "int", "2L"),  # a Python axis of 1 is R's 2: R counts from 1
        ("ROC", "curve", "str", '"ROC"'),
        ((0, 1), "target_class_ids", None, "c(0L, 1L)"),
        ((), "x", None, "NULL"),
        (float("inf"), "x", "float", "Inf"),
        (object(), "x", None, "NULL"),  # what R cannot spell: NULL keeps the core's default
    ],
)
def test_python_defaults_written_in_r(value, arg, annotation, expected):
    assert gen_r().r_literal(value, arg, annotation) == expected


@pytest.mark.parametrize("name,expected", [("axis", "axis"), ("from_logits", "from_logits"), ("function", "`function`"), ("_private", "`_private`")])
def test_argument_names_that_r_cannot_spell_are_backquoted(name, expected):
    assert gen_r().r_arg(name) == expected


def test_rst_markup_becomes_roxygen_markdown():
    g = gen_r()
    assert g.rst_to_md("Loss object for :func:`hinge`, ``mean(x)``, 100%") == "Loss object for `hinge`, `mean(x)`, 100\\%"


def _fake_focal(y_true, y_pred, *, gamma=2.0, alpha=0.25):
    """A made-up focal-like loss for this test: ``mean(alpha * (y_pred - y_true)**gamma)``."""
    return np.mean(alpha * np.abs(np.asarray(y_pred) - np.asarray(y_true)) ** gamma, axis=-1)


class FakeFocal(losses.LossFunctionWrapper):
    """Loss object for :func:`_fake_focal`."""

    def __init__(self, *, gamma: float = 2.0, alpha: float = 0.25, reduction: str | None = "sum_over_batch_size", name: str | None = "fake_focal", dtype=None):
        super().__init__(_fake_focal, reduction=reduction, name=name, dtype=dtype, gamma=gamma, alpha=alpha)


class FakeAUC(metrics.Metric):
    """A made-up metric without a per-sample function, shaped like Keras' ``AUC``.

    Args:
        num_thresholds: documented here, but the generator's table comes first.
        wobble: how much to wobble, when ``multi_label`` is
            ``True`` (an option Keras does not have).
    """

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC", summation_method: str = "interpolation", name=None, dtype=None,
                 thresholds=None, multi_label: bool = False, num_labels=None, label_weights=None, from_logits: bool = False,
                 wobble: float = 0.5, jiggle: int = 3):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable("total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._commit(total=float(np.sum(y_pred)))

    def result(self):
        return self._cast(self.total.value)


class FakeMeanIoU(metrics.Metric):
    """A made-up metric with a required first argument, shaped like Keras' ``MeanIoU``."""

    def __init__(self, num_classes: int, name=None, dtype=None, ignore_class=None, sparse_y_true: bool = True,
                 sparse_y_pred: bool = True, axis: int = -1, target_class_ids=(0, 1)):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = num_classes
        self.total = self.add_variable("total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._commit(total=float(np.size(y_true)))

    def result(self):
        return self._cast(self.total.value / self.num_classes)


class FakeMystery(metrics.Metric):
    """A made-up metric whose required argument the generator has no example value for."""

    def __init__(self, mystery, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)


@pytest.fixture
def new_rows(monkeypatch):
    """The registry with rows the generator has never seen (as the other issues add them)."""
    rows = (
        registry._loss(FakeFocal, _fake_focal, r=("loss_fake_focal",), labels="binary"),
        registry._metric(FakeAUC, None, r=("metric_fake_auc",), r_deprecated=("metric_fake_old_auc",), labels="binary"),
        registry._metric(FakeMeanIoU, None, r=("metric_fake_mean_iou",), labels="sparse"),
        registry._metric(FakeMystery, None, r=("metric_fake_mystery",)),
    )
    monkeypatch.setattr(registry, "ENTRIES", registry.ENTRIES + rows)
    monkeypatch.setattr(_rstyle, "R_FUNCTIONS", _rstyle._build())
    return rows


def _flat(text: str) -> str:
    """The text on one line, without the roxygen prefixes of continued lines."""
    return re.sub(r"\s+", " ", re.sub(r"\n#'", "\n", text))


def test_new_rows_are_generated_without_an_edit(new_rows, tmp_path):
    g = gen_r()
    g.write(tmp_path)
    loss_text = _flat((tmp_path / "losses.R").read_text())
    metric_text = _flat((tmp_path / "metrics.R").read_text())
    # signatures: Keras' defaults in R, options before `...`, a required argument without a default
    assert ('loss_fake_focal <- function(y_true, y_pred, gamma = 2, alpha = 0.25, ..., reduction = "sum_over_batch_size", '
            'name = "fake_focal", dtype = NULL) {') in loss_text
    # (the name default is the name the object gets)
    assert ('metric_fake_auc <- function(y_true, y_pred, num_thresholds = 200L, curve = "ROC", summation_method = "interpolation", '
            "thresholds = NULL, multi_label = FALSE, num_labels = NULL, label_weights = NULL, from_logits = FALSE, wobble = 0.5, jiggle = 3L, ..., "
            f'name = "{FakeAUC().name}", dtype = NULL) {{') in metric_text
    assert ("metric_fake_mean_iou <- function(y_true, y_pred, num_classes, ignore_class = NULL, sparse_y_true = TRUE, "
            f'sparse_y_pred = TRUE, axis = -1L, target_class_ids = c(0L, 1L), ..., name = "{FakeMeanIoU(3).name}", dtype = NULL) {{') in metric_text
    # parameter docs: from the table, the generic line for an unknown argument, the 0-based convention
    assert "@param gamma The focusing parameter" in loss_text
    assert "@param jiggle An option of Keras' `FakeAUC`, with the same meaning; `3L` by default." in metric_text
    # an argument the table lacks: from the class docstring's Args section, in R's spelling
    assert ("@param wobble How much to wobble, when `multi_label` is `TRUE` (an option Keras does not have). "
            "Default: `0.5`.") in metric_text
    assert "@param num_thresholds The number of thresholds (a whole number, at least 2)" in metric_text
    assert "@param mystery An argument of Keras' `FakeMystery`, with the same meaning. Required: it has no default." in metric_text
    assert "@param thresholds A number or a numeric vector" in metric_text
    assert "@param target_class_ids The classes to compute the metric for (and average over): an integer vector of class indices, 0-based as in R keras." in metric_text
    assert "@param num_classes The number of classes (a whole number). Required: it has no default." in metric_text
    # a metric without a per-sample function says that it has no data mode, and its example does not use one
    assert "Keras has no per-sample function for this metric: given `y_true` and `y_pred` it is an error." in metric_text
    assert "metric_fake_auc(y_true, y_pred)" not in metric_text
    # examples run (checked in Python when written): a required argument gets a value from the table;
    # the numbers: 2 labels / 3 classes; sum(y_pred) = 2; 0.25 * mean(|y_pred - y_true|^2) per row
    assert ("m <- metric_fake_mean_iou(num_classes = 3L) m$update_state(y_true, y_pred) m$result() # 0.6667") in metric_text
    assert "y_pred <- rbind(c(0.6, 0.4), c(0.4, 0.6)) m <- metric_fake_auc() m$update_state(y_true, y_pred) m$result() # 2" in metric_text
    assert "loss_fake_focal(y_true, y_pred) # 0.09 0.065 loss <- loss_fake_focal() loss(y_true, y_pred) # 0.0775" in loss_text
    # no value known for a required argument: the example only shows the arguments
    assert "@examplesIf core_available() args(metric_fake_mystery)" in metric_text
    # the deprecated name warns and forwards
    assert 'metric_fake_old_auc <- function(...) { deprecated_alias("metric_fake_old_auc", "metric_fake_auc", "metric") metric_fake_auc(...) }' in metric_text


@pytest.mark.r
def test_generated_r_parses(r, new_rows, tmp_path):
    for path in gen_r().write(tmp_path):
        exprs = r(f'parse(file = "{path.as_posix()}")')
        assert len(exprs) > 0
