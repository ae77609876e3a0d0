"""Int8 codes of a gallery's coarse block, for a fast first pass that provably loses no row.

Each row is stored as int8 codes times its own scale, with the norm of what the codes miss (the
quantisation residual). The approximate product of a row with a query is then within
``residual * |query|`` of the exact one (Cauchy-Schwarz), so the rows whose exact product can be
among the ``k`` highest are exactly bounded: :meth:`CoarseCodes.candidates` returns a superset of
them, which the caller scores exactly in float32. A quarter of the float32 block's bytes are read;
numpy's int8 products are slower than float32 BLAS (and accumulate in int8), so codes are widened
to float32 a cache-sized chunk at a time for BLAS.
"""

from __future__ import annotations

import numpy as np

# Rows widened to float32 per step: 4,096 x 128 x 4 bytes = 2 MB, about a core's share of the cache;
# fewer rows a step cost more in per-step overhead (150k rows, p25 on a loaded machine against 4,096:
# 1,024 +25 %, 2,048 +6 %, 8,192 -5 %).
CHUNK_ROWS = 4_096
# Beyond this many rows the k-th highest approximation is estimated from every SAMPLE_STEP-th row.
SAMPLE_FROM = 16_384
SAMPLE_STEP = 8
# Covers float32 rounding in the approximate products themselves (each below 1e-6 here).
_ROUNDING = 1e-5


class CoarseCodes:
    """Rows of int8 codes with per-row scale and residual norm, kept beside a float32 block."""

    def __init__(self, capacity: int, dim: int) -> None:
        self.dim = dim
        self._codes = np.zeros((capacity, dim), dtype=np.int8)
        self._scale = np.zeros(capacity, dtype=np.float32)
        self._residual = np.zeros(capacity, dtype=np.float32)
        self._buffer: np.ndarray | None = None  # the widening chunk, made on first use

    @property
    def capacity(self) -> int:
        return self._codes.shape[0]

    def grow(self, n: int) -> None:
        """Double the capacity, keeping the first ``n`` rows."""
        self._codes, self._scale, self._residual = (doubled(a, n) for a in (self._codes, self._scale, self._residual))

    @classmethod
    def of(cls, block: np.ndarray, n: int) -> CoarseCodes:
        """Codes of the first ``n`` rows of ``block``, with the block's capacity."""
        codes = cls(block.shape[0], block.shape[1])
        codes.put(0, block[:n])
        return codes

    def put(self, row: int, vectors: np.ndarray) -> None:
        """Encode ``vectors`` (float32, ``dim`` values each; one or a block of them) from ``row`` on."""
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        top = np.abs(vectors).max(axis=1).astype(np.float64)
        scale = np.where(top > 0, top / 127.0, 1.0)
        codes = np.clip(np.rint(vectors / scale[:, None]), -127, 127).astype(np.int8)
        residual = np.linalg.norm(vectors.astype(np.float64) - scale[:, None] * codes, axis=1)
        rows = slice(row, row + len(vectors))
        self._codes[rows], self._scale[rows] = codes, scale
        self._residual[rows] = np.nextafter(residual.astype(np.float32), np.float32(np.inf))

    def move(self, source: int, target: int) -> None:
        """Copy row ``source`` over row ``target``."""
        self._codes[target], self._scale[target], self._residual[target] = (
            self._codes[source], self._scale[source], self._residual[source])

    def approximate(self, query: np.ndarray, n: int) -> np.ndarray:
        """Approximate products of the first ``n`` rows with ``query`` (float32)."""
        if self._buffer is None:
            self._buffer = np.empty((CHUNK_ROWS, self.dim), dtype=np.float32)
        out = np.empty(n, dtype=np.float32)
        for start in range(0, n, CHUNK_ROWS):
            stop = min(n, start + CHUNK_ROWS)
            wide = self._buffer[: stop - start]
            np.copyto(wide, self._codes[start:stop], casting="unsafe")
            np.dot(wide, query, out=out[start:stop])
        out *= self._scale[:n]
        return out

    def error(self, query: np.ndarray, n: int) -> float:
        """A bound on how far any of the first ``n`` rows' approximate products is from the exact one."""
        return float(self._residual[:n].max()) * float(np.linalg.norm(query)) + _ROUNDING

    def candidates(self, query: np.ndarray, n: int, k: int) -> np.ndarray:
        """Rows (of the first ``n``, ``k < n``) that include every row whose exact product with
        ``query`` is among the ``k`` highest.

        With every approximation within ``e`` of the truth and at least ``k`` rows approximated at
        ``t`` or more, the k-th highest exact product is at least ``t - e``, and a row reaching it
        is approximated at ``t - 2e`` or more. ``t`` comes from a sample of the rows (a full
        partition costs as much as a third of the pass), checked by counting.
        """
        approx = self.approximate(query, n)
        error = self.error(query, n)
        return np.flatnonzero(approx >= _kth_or_below(approx, k) - 2 * error)


def _kth_or_below(values: np.ndarray, k: int) -> float:
    """A value with at least ``k`` of ``values`` at or above it, close below the k-th highest."""
    n = len(values)
    if n >= SAMPLE_FROM:
        sample = values[::SAMPLE_STEP]
        rank = int(k / SAMPLE_STEP * 1.25) + 1  # the sample's estimate of rank 1.25 k
        if rank < len(sample):
            guess = float(np.partition(sample, len(sample) - rank)[len(sample) - rank])
            if np.count_nonzero(values >= guess) >= k:
                return guess
    return float(np.partition(values, n - k)[n - k])


def doubled(block: np.ndarray, n: int) -> np.ndarray:
    """``block`` with twice the rows, its first ``n`` copied."""
    grown = np.zeros((block.shape[0] * 2, *block.shape[1:]), dtype=block.dtype)
    grown[:n] = block[:n]
    return grown
