"""Intersection-over-union metrics (Keras 3's ``keras/src/metrics/iou_metrics.py``):
``IoU``, ``MeanIoU``, ``BinaryIoU``, ``OneHotIoU``, ``OneHotMeanIoU``.

The state is a ``num_classes x num_classes`` confusion matrix (rows: true
class, columns: predicted class), accumulated from a ``bincount`` of
``num_classes * label + prediction``. Then, per class,
``iou = tp / (tp + fp + fn)``, and the result is the mean over the target
classes that occur (a class with no true and no predicted value is left out).

As in Keras:

* ``dtype`` is the confusion matrix's: Keras' default ``"int"`` (config
  ``"int32"``) counts in integers, so **fractional sample weights are
  truncated toward zero** (0.7 counts as 0; Keras warns, and so do we). Pass
  ``dtype="float32"`` (or any float dtype) for fractional weights. The result
  is float32 either way, as in Keras.
* Labels and predictions outside ``[0, num_classes)`` (and labels equal to
  ``ignore_class``) are left out of the matrix, not an error: that is how
  Keras skips void classes such as 255. Float labels and predictions are
  truncated toward zero (with an integer dtype before the range check, as
  Keras casts first). NaN labels are left out.

Where we differ, on purpose: the integer counts are int64 (Keras: int32,
which wraps after 2**31 values) and float counts are exact float64 sums;
``num_classes < 2`` and ``target_class_ids`` outside ``[0, num_classes)``
are errors (Keras checks only the largest id); ``sample_weight`` may also be
one weight per sample, ``(batch_size,)``, for labels of any rank.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, Sequence

import numpy as np

from .._inputs import EPSILON, _describe, as_numeric_array, check_axis, check_bool, resolve_dtype
from .._options import check_ignore_class
from ._argmax import argmax_rows
from .base import Metric

#: Labels per block in an update: the integer temporaries of a block stay in
#: cache. Measured on (1e6, 10) float32 id maps: 16K labels 3.9x the memory
#: floor, 64K 2.8x, 128K 3.0x, 256K 4.2x (one bincount a block, fewer calls).
_BLOCK = 1 << 16

#: Scores per block (labels x classes) when ids are an arg-max of scores:
#: the block and the arg-max's temporary (as large) stay in the L2 cache.
#: Measured on (1e6, 10) float32 (OneHotMeanIoU / IoU of scores): 64K 2.5 /
#: 2.65x the memory floor, 128K 2.4 / 2.5x, 256K 2.65 / 2.8x.
_SCORE_BLOCK_ELEMENTS = 1 << 17

_INT_NAMES = {"int": "int32"}


def _check_num_classes(num_classes: Any) -> int:
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Real) or num_classes != int(num_classes):
        raise TypeError(f"Argument `num_classes` must be an integer >= 2. Received: num_classes={_describe(num_classes)}")
    if num_classes < 2:
        raise ValueError(f"Argument `num_classes` must be at least 2 (the classes are 0, ..., num_classes - 1). Received: num_classes={num_classes!r}")
    return int(num_classes)


def _check_target_class_ids(ids: Any, num_classes: int) -> list[int]:
    if isinstance(ids, (str, bytes)) or not isinstance(ids, (Sequence, np.ndarray)) or isinstance(ids, bool):
        raise TypeError(f"Argument `target_class_ids` must be a list or tuple of class ids. Received: target_class_ids={_describe(ids)}")
    out = []
    for i in ids:
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (numbers.Real, np.number)) or i != int(i):
            raise TypeError(f"Argument `target_class_ids` must hold integer class ids. Received: target_class_ids={ids!r}")
        if not 0 <= i < num_classes:
            raise ValueError(
                f"Argument `target_class_ids` must hold 0-based class ids in [0, {num_classes}) for "
                f"num_classes={num_classes}. Received: target_class_ids={list(ids)!r}"
            )
        out.append(int(i))
    if not out:
        raise ValueError(f"Argument `target_class_ids` must name at least one class. Received: target_class_ids={ids!r}")
    return out


def _state_dtype(dtype: Any) -> tuple[str, bool]:
    """(config name, integer?) of an IoU dtype: Keras' ``"int"`` default, an
    integer dtype, or a float dtype / dtype policy."""
    if dtype is None:
        dtype = "int"
    if isinstance(dtype, str) and dtype in _INT_NAMES:
        return _INT_NAMES[dtype], True
    if not isinstance(dtype, (dict, bool)) and not type(dtype).__name__.endswith("DTypePolicy"):
        try:
            resolved = np.dtype(dtype)
        except TypeError:
            resolved = None
        if resolved is not None and resolved.kind in "iu":
            return resolved.name, True
    return resolve_dtype(dtype).name, False


class _IoUBase(Metric):
    """The confusion-matrix state and update shared by the IoU metrics."""

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        self._state_name, self._integer = _state_dtype(dtype)
        super().__init__(name=name, dtype=None if self._integer else dtype)
        self.num_classes = _check_num_classes(num_classes)
        if isinstance(ignore_class, (float, np.floating)) and float(ignore_class).is_integer():
            ignore_class = int(ignore_class)  # R hands whole doubles (255, not 255L)
        self.ignore_class = check_ignore_class(ignore_class)
        self.sparse_y_true = check_bool(sparse_y_true, "sparse_y_true")
        self.sparse_y_pred = check_bool(sparse_y_pred, "sparse_y_pred")
        check_axis(axis, 64)
        self.axis = int(axis)
        c = self.num_classes
        self.total_cm = self.add_variable("total_confusion_matrix", shape=(c, c), dtype="int64" if self._integer else "float64")

    @property
    def dtype(self) -> str:
        """The confusion matrix's dtype, as Keras reports it (``"int32"`` by default)."""
        return self._state_name

    def _cast(self, value: Any) -> Any:
        return np.float32(value)  # Keras' IoU result is float32 whatever the dtype

    # ---------------------------------------------------------------- update

    def _ids(self, y: Any, name: str, sparse: bool) -> np.ndarray:
        """Class ids (as given, float or int; flattened) from labels, or for
        scores, one row of scores per label (``(labels, classes)``): their
        arg-max is taken block by block in :meth:`_confusion`."""
        arr = as_numeric_array(y, name)
        if not sparse:
            if arr.ndim == 0:
                raise ValueError(f"Argument `{name}` must hold one score per class on axis {self.axis}. Received: {name}.shape={arr.shape}")
            axis = check_axis(self.axis, arr.ndim)
            if arr.shape[axis] == 0:
                return np.argmax(arr, axis=axis).reshape(-1)  # NumPy's error for an empty arg-max
            if axis != arr.ndim - 1:
                arr = np.moveaxis(arr, axis, -1)
            return arr.reshape(-1, arr.shape[-1])
        return arr.reshape(-1)

    def _block_ids(self, src: np.ndarray, start: int, stop: int) -> tuple[np.ndarray, bool]:
        """The ids of labels ``start:stop``, and whether they are known to be
        classes (an arg-max over at most ``num_classes`` columns is)."""
        if src.ndim == 1:
            return src[start:stop], False
        return argmax_rows(src[start:stop]), src.shape[1] <= self.num_classes

    def _in_range(self, x: np.ndarray) -> np.ndarray:
        """Which ids count: in ``[0, num_classes)`` after Keras' conversion to
        the metric's dtype (an integer dtype truncates first, so -0.5 is class
        0; a float dtype compares the values as given). NaN never counts."""
        c = self.num_classes
        if x.dtype.kind == "f" and self._integer:
            return (x > -1) & (x < c)
        return (x >= 0) & (x < c)

    def _weights(self, sample_weight: Any, y_shape: tuple[int, ...], size: int) -> tuple[np.ndarray | None, int]:
        """The weights, flat, and how many consecutive labels share each one."""
        if sample_weight is None:
            return None, 1
        w = as_numeric_array(sample_weight, "sample_weight")
        repeat = 1
        if w.size == size:
            w = w.reshape(-1)
        elif w.size == 1:
            w = np.broadcast_to(w.reshape(-1), (size,))
        elif w.ndim == 1 and y_shape and w.shape[0] == y_shape[0] and size % w.shape[0] == 0:
            repeat = size // w.shape[0]  # one weight per sample (we differ: Keras raises)
        else:
            raise ValueError(
                "Argument `sample_weight` must be a scalar, one weight per sample or one per label. "
                f"Received: sample_weight.shape={w.shape}, y_true.shape={y_shape}"
            )
        if self._integer and w.dtype.kind in "fc":
            if np.any(w != np.trunc(w)):
                warnings.warn(
                    "You are passing fractional `sample_weight`, but the IoU metric's dtype is an integer "
                    f"({self._state_name}): the weights are truncated toward zero, as Keras does. "
                    "Pass dtype='float32' to count fractional weights.",
                    stacklevel=3,
                )
            with np.errstate(invalid="ignore"):
                w = np.trunc(w)
        return w, repeat

    def _valid(self, x: np.ndarray) -> bool:
        """Whether every id of a block is a class (nothing to leave out), from
        its extremes: NaN makes them NaN, so a block with NaN is not valid."""
        if x.size == 0:
            return True
        c = self.num_classes
        kind = x.dtype.kind
        if kind == "b":
            return True  # 0 and 1, and num_classes >= 2
        if kind == "f":
            low = np.minimum.reduce(x)
            # An integer dtype truncates first (-0.5 is class 0); a float dtype compares the values.
            return bool((low > -1 if self._integer else low >= 0) and np.maximum.reduce(x) < c)
        if kind == "i":  # as unsigned, a negative id is huge: one maximum checks both ends
            x = x.view(np.dtype(f"u{x.dtype.itemsize}"))
        elif kind != "u":
            return False
        return bool(np.maximum.reduce(x) < c)

    def _fast_keys(self, tb: np.ndarray, t_valid: bool, pb: np.ndarray, p_valid: bool) -> np.ndarray | None:
        """``num_classes * label + prediction`` (int32 or intp) of a block whose ids are
        all classes, or None (a block with ids to leave out)."""
        if not (t_valid or self._valid(tb)) or not (p_valid or self._valid(pb)):
            return None
        c = self.num_classes
        if tb.dtype.kind == "f" and pb.dtype.kind == "f" and c * c < 1 << 31:
            # In (-1, num_classes): the cast to int32 (vectorised, unlike the
            # one to int64) truncates toward zero, as Keras' cast, and is defined.
            key = tb.astype(np.int32)
            key *= c
            key += pb.astype(np.int32)
            return key
        key = tb.astype(np.intp)  # in range: the cast truncates toward zero
        key *= c
        key += pb if pb.dtype == np.intp else pb.astype(np.intp)
        return key

    def _confusion(self, t: np.ndarray, p: np.ndarray, w: np.ndarray | None, repeat: int = 1) -> np.ndarray:
        c = self.num_classes
        cm = np.zeros(c * c, dtype=np.float64 if (w is not None) else np.int64)
        ignore = self.ignore_class if self.ignore_class is not None and 0 <= self.ignore_class < c else None
        width = max(t.shape[1] if t.ndim == 2 else 1, p.shape[1] if p.ndim == 2 else 1)
        block = _BLOCK if width == 1 else max(1, _SCORE_BLOCK_ELEMENTS // width)
        block = max(repeat, block // repeat * repeat)  # whole samples per block
        for start in range(0, t.shape[0], block):
            stop = start + block
            tb, t_valid = self._block_ids(t, start, stop)
            pb, p_valid = self._block_ids(p, start, stop)
            if w is None:
                wb = None
            elif repeat == 1:
                wb = w[start:stop]
            else:
                # float64 before repeating: bincount takes float64 weights, and
                # converting the sample weights costs a tenth of converting their repeats
                wb = np.repeat(w[start // repeat : stop // repeat].astype(np.float64), repeat)
            key = self._fast_keys(tb, t_valid, pb, p_valid)
            if key is not None:
                if ignore is not None:
                    keep = (key < ignore * c) | (key >= (ignore + 1) * c)  # the label is not ignore
                    key = key[keep]
                    wb = None if wb is None else wb[keep]
            else:
                with np.errstate(invalid="ignore"):
                    # astype truncates toward zero, as Keras' cast; what it makes of NaN depends on the platform.
                    ti = tb.astype(np.intp)
                    pi = pb.astype(np.intp)
                keep = self._in_range(tb) & self._in_range(pb)
                if ignore is not None:
                    keep &= ti != ignore
                key, pi = ti[keep], pi[keep]
                wb = None if wb is None else wb[keep]
                key *= c
                key += pi
            if wb is None:
                cm += np.bincount(key, minlength=c * c)
            else:
                cm += np.bincount(key, weights=wb.astype(np.float64, copy=False), minlength=c * c)
        cm = cm.reshape(c, c)
        if self._integer and cm.dtype != np.int64:
            with np.errstate(invalid="ignore"):
                cm = cm.astype(np.int64)  # integer weights summed in float64: exact below 2**53
        return cm

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch to the confusion matrix."""
        t = self._ids(y_true, "y_true", self.sparse_y_true)
        p = self._ids(y_pred, "y_pred", self.sparse_y_pred)
        if t.shape[0] != p.shape[0]:
            raise ValueError(
                "Arguments `y_true` and `y_pred` must hold the same number of labels (after the arg-max "
                f"of one-hot inputs). Received: {t.shape[0]} and {p.shape[0]} labels"
            )
        w, repeat = self._weights(sample_weight, np.shape(y_true) if self.sparse_y_true else np.shape(y_true)[:-1] or (), t.shape[0])
        self._commit(total_confusion_matrix=self._confusion(t, p, w, repeat))

    # ---------------------------------------------------------------- result

    def _class_iou(self, target_class_ids: list[int]) -> np.float32:
        """Keras' formula, in float32 as Keras computes it."""
        with self._lock:
            cm = self.total_cm.value
        f32 = np.float32
        sum_over_row = cm.sum(axis=0)
        sum_over_col = cm.sum(axis=1)
        tp = np.diag(cm)
        denominator = (sum_over_row + sum_over_col - tp)[target_class_ids].astype(f32)
        tp = tp[target_class_ids].astype(f32)
        valid = denominator > f32(1e-9)
        with np.errstate(invalid="ignore", divide="ignore"):
            iou = np.where(valid, tp / (denominator + f32(EPSILON)), f32(0))
            return f32(np.sum(iou, dtype=f32) / (f32(np.count_nonzero(valid)) + f32(EPSILON)))

    def result(self) -> Any:
        return self._class_iou(self.target_class_ids)


class IoU(_IoUBase):
    """The intersection over union of the classes ``target_class_ids``, averaged.

    Args:
        num_classes: the number of classes (labels are 0, ..., num_classes - 1).
        target_class_ids: the 0-based classes whose IoU is averaged (one id:
            that class's IoU).
        name: the metric's name (Keras' default: ``"io_u"``).
        dtype: the confusion matrix's dtype: ``"int"`` (Keras' default, which
            truncates fractional weights) or a float dtype.
        ignore_class: a label to leave out (e.g. a void class), or None.
        sparse_y_true, sparse_y_pred: whether labels / predictions are class
            ids (True) or per-class scores reduced by arg-max over ``axis``.
        axis: the class axis of non-sparse inputs.

    Example (values checked against Keras 3.15):

        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> print(m.result())
        0.3333333
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        self.target_class_ids = _check_target_class_ids(target_class_ids, self.num_classes)

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "num_classes": self.num_classes,
            "target_class_ids": list(self.target_class_ids),
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class MeanIoU(IoU):
    """The mean intersection over union of every class.

    Example (values checked against Keras 3.15):

        >>> m = MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> print(m.result())
        0.33333334
        >>> m.reset_state()
        >>> m = MeanIoU(num_classes=2, dtype="float32")
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
        >>> print(m.result())  # Keras' float32 matrix gives 0.2380952
        0.23809522
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        num_classes = _check_num_classes(num_classes)
        super().__init__(num_classes, list(range(num_classes)), name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["target_class_ids"]
        return config


class BinaryIoU(IoU):
    """IoU of a binary task: predictions ``>= threshold`` are class 1, the rest class 0.

    Example (values checked against Keras 3.15):

        >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
        >>> print(m.result())
        0.33333334
    """

    def __init__(self, target_class_ids: Sequence[int] = (0, 1), threshold: float = 0.5, name: str | None = None, dtype: Any = None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise TypeError(f"Argument `threshold` must be a number. Received: threshold={_describe(threshold)}")
        self.threshold = float(threshold)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Threshold ``y_pred`` (``>= threshold`` is class 1), then add the batch."""
        p = as_numeric_array(y_pred, "y_pred").astype(np.float32, copy=False)  # Keras thresholds float32 values
        super().update_state(y_true, (p >= np.float32(self.threshold)).astype(np.int8), sample_weight)

    def get_config(self) -> dict[str, Any]:
        return {"target_class_ids": list(self.target_class_ids), "threshold": self.threshold, "name": self.name, "dtype": self.dtype}


class OneHotIoU(IoU):
    """:class:`IoU` for one-hot labels (arg-max over ``axis``); predictions are scores unless ``sparse_y_pred``.

    Example (values checked against Keras 3.15):

        >>> m = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> print(m.result())
        0.16666667
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """:class:`MeanIoU` for one-hot labels (arg-max over ``axis``).

    Example (values checked against Keras 3.15):

        >>> m = OneHotMeanIoU(num_classes=3)
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> print(m.result())
        0.11111111
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["sparse_y_true"]
        return config
