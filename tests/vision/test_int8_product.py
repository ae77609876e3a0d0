"""The coarse first pass's int8 product in ONNX Runtime: the same integers as numpy's, a bound
that covers what the query's int8 columns miss, and the numpy path when ONNX Runtime is missing."""

from __future__ import annotations

import logging
import sys

import numpy as np
import pytest

from edge_node.vision.coarse_codes import CoarseCodes, _probe
from edge_node.vision.int8_product import OFFSET, PROBE_LIMIT, int8_product


@pytest.mark.parametrize("rows", [1, 17, 4_099])
@pytest.mark.parametrize("columns", [1, 2, 4])
def test_the_product_equals_numpys_integer_product(rows: int, columns: int) -> None:
    """Random codes and probes, and their extremes (codes -128 and 127 against probes +-PROBE_LIMIT,
    in runs of one sign and alternating, where int16 pair sums would saturate first)."""
    product = int8_product()
    assert product is not None  # onnxruntime is a core dependency
    rng = np.random.default_rng(rows * 10 + columns)
    codes = rng.integers(-128, 128, (rows, 128), dtype=np.int8)
    codes[::3] = np.where(rng.random(128) < 0.5, -128, 127)
    codes[1::5] = 127
    codes[2::7] = -128
    probe = rng.integers(-PROBE_LIMIT, PROBE_LIMIT + 1, (128, columns), dtype=np.int8)
    probe[:, 0] = np.where(np.arange(128) % 2, PROBE_LIMIT, -PROBE_LIMIT)
    if columns > 1:
        probe[:, 1] = -PROBE_LIMIT
    stored = (codes.astype(np.int16) + OFFSET).astype(np.uint8)
    assert np.array_equal(product(stored, probe), codes.astype(np.int32) @ probe.astype(np.int32))


def test_the_bound_covers_what_the_querys_columns_miss() -> None:
    """Rows their codes hold exactly (a residual of rounding alone), one of them along what the
    query's int8 columns miss: only the miss's term keeps that row within its error."""
    rng = np.random.default_rng(5)
    query = rng.standard_normal(128).astype(np.float32)
    miss = query - (_probe(query)[0] @ _probe(query)[1].astype(np.float64))
    codes = rng.integers(-127, 128, (64, 128)).astype(np.float64)
    codes[0] = np.rint(miss / np.abs(miss).max() * 127)
    codes[:, 0] = 127  # every row's largest code, so its scale is exactly 1/128
    codes[0, 0] = 127 * np.sign(miss[0])
    rows = (codes / 128).astype(np.float32)
    coarse = CoarseCodes.of(rows, len(rows))
    off = np.abs(coarse.approximate(query, len(rows)) - rows @ query)
    error = coarse.error(query, len(rows))
    assert np.all(off <= error)
    assert off[0] > np.float32(np.linalg.norm(query)) * coarse._residual[0]  # the rounding alone falls short


def test_without_onnxruntime_the_numpy_path_is_taken_and_said_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime fails
    int8_product.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="edge_node.vision.int8_product"):
            assert int8_product() is None and int8_product() is None
            rows = np.random.default_rng(2).standard_normal((300, 128)).astype(np.float32)
            query = rows[4]
            assert 4 in CoarseCodes.of(rows, len(rows)).candidates(query, len(rows), 5)
        (record,) = caplog.records
        assert record.getMessage().startswith("the gallery's int8 first pass runs on numpy (no ONNX Runtime product:")
    finally:
        int8_product.cache_clear()
