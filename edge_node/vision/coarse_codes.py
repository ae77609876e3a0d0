"""Int8 codes of a gallery's coarse block, for a fast first pass that provably loses no row.

Each row is stored as int8 codes times its own scale, with the norm of what the codes miss (the
quantisation residual). The approximate product of a row with a query is then within
``residual * |query|`` of the exact one (Cauchy-Schwarz), so the rows whose exact product can be
among the ``k`` highest are exactly bounded: :meth:`CoarseCodes.candidates` returns a superset of
them, which the caller scores exactly in float32. A quarter of the float32 block's bytes are read.

The pass is an int8 product in ONNX Runtime (``vision/int8_product.py``; codes are stored offset by
128 for its kernel): the query is split into PROBE_TERMS int8 columns with a step each, and what
they miss adds ``|row approximation| * |miss|`` to each bound (a bound on every row's, once per
query). Without ONNX Runtime, codes are widened to float32 a cache-sized chunk at a time for BLAS
and multiplied by the query itself (numpy's int8 products are slower and accumulate in int8).
"""

from __future__ import annotations

import numpy as np

from edge_node.vision.int8_product import OFFSET, PROBE_LIMIT, int8_product

# Rows widened to float32 per step: 4,096 x 128 x 4 bytes = 2 MB, about a core's share of the cache;
# fewer rows a step cost more in per-step overhead (150k rows, p25 on a loaded machine against 4,096:
# 1,024 +25 %, 2,048 +6 %, 8,192 -5 %).
CHUNK_ROWS = 4_096
# Beyond this many rows the k-th highest bound is first estimated from every SAMPLE_STEP-th row, at
# rank 1.5 k: 0.11 ms against 0.15 ms for every 8th row at rank 1.25 k (150k rows), and no full
# partition was needed in 200 shuffles (every 32nd row at rank 1.5 k: 1 in 200).
SAMPLE_FROM = 16_384
SAMPLE_STEP = 16
# Float32 rounding in an approximate product, relative to |row| |query| (a float32 product of 128
# terms and a scaling are within 8e-6 of that), added to each row's residual.
_ROUNDING = 1e-5
# Int8 columns the query is split into: the second codes what the first misses, so the miss is
# about 1/64 of the first's (1e-4 |query| for 128 values). Up to four columns cost as much as one.
PROBE_TERMS = 2


class CoarseCodes:
    """Rows of int8 codes with per-row scale and residual norm, kept beside a float32 block.

    Rows may also be *derived*: approximated as their scale times the sum of the approximations of
    the encoded rows that feed them (a gallery's mean templates, from their person's templates), so
    the pass multiplies only the encoded rows' codes. A derived row's residual is the norm of
    what that weighted sum of decoded rows misses, so the same bound holds for it.
    """

    def __init__(self, capacity: int, dim: int, ort: bool = True) -> None:
        self.dim = dim
        self._product = int8_product() if ort else None
        # Stored codes are code + _offset: uint8 for ONNX Runtime, int8 for numpy's widening.
        self._offset = 0 if self._product is None else OFFSET
        self._codes = np.zeros((capacity, dim), dtype=np.int8 if self._product is None else np.uint8)
        self._scale = np.zeros(capacity, dtype=np.float32)
        self._residual = np.zeros(capacity, dtype=np.float32)
        self._longest = 0.0  # at least the norm of any row's approximation, for the query's miss
        self._buffer: np.ndarray | None = None  # the numpy path's widening chunk, made on first use

    @property
    def capacity(self) -> int:
        return self._codes.shape[0]

    def grow(self, n: int) -> None:
        """Double the capacity, keeping the first ``n`` rows."""
        self._codes, self._scale, self._residual = (
            doubled(a, n) for a in (self._codes, self._scale, self._residual))

    @classmethod
    def of(cls, block: np.ndarray, n: int, ort: bool = True) -> CoarseCodes:
        """Codes of the first ``n`` rows of ``block``, with the block's capacity (``ort``: the pass
        in ONNX Runtime when it is there, else numpy)."""
        codes = cls(block.shape[0], block.shape[1], ort)
        codes.put(0, block[:n])
        return codes

    def put(self, row: int, vectors: np.ndarray) -> None:
        """Encode ``vectors`` (float32, ``dim`` values each; one or a block of them) from ``row`` on."""
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        top = np.abs(vectors).max(axis=1).astype(np.float64)
        scale = np.where(top > 0, top / 127.0, 1.0).astype(np.float32)
        codes = np.clip(np.rint(vectors / scale[:, None]), -127, 127).astype(np.int16)
        exact = vectors.astype(np.float64)
        decoded = scale[:, None].astype(np.float64) * codes
        residual = np.linalg.norm(exact - decoded, axis=1)
        rows = slice(row, row + len(vectors))
        self._codes[rows], self._scale[rows] = codes + self._offset, scale
        self._lengthen(np.linalg.norm(decoded, axis=1))
        self._residual[rows] = _rounded_up(residual + _ROUNDING * np.linalg.norm(exact, axis=1))

    def derive(self, rows: np.ndarray, vectors: np.ndarray, sources: np.ndarray, owners: np.ndarray) -> None:
        """Make ``rows`` derived: ``vectors[i]`` (row ``rows[i]``) is approximated from the encoded
        ``sources`` whose ``owners`` entry is ``i`` (each ``i`` owns at least one), with the scale
        that fits their decoded sum best (least squares)."""
        order = np.argsort(owners, kind="stable")
        sources = np.asarray(sources)[order]
        starts = np.flatnonzero(np.diff(np.asarray(owners)[order], prepend=-1))
        decoded = (self._codes[sources] - np.float64(self._offset)) * self._scale[sources, None].astype(np.float64)
        sums = np.add.reduceat(decoded, starts, axis=0)
        lengths = np.add.reduceat(np.linalg.norm(decoded, axis=1), starts)
        vectors = np.asarray(vectors, dtype=np.float64).reshape(-1, self.dim)
        square = np.einsum("ij,ij->i", sums, sums)
        scale = (np.einsum("ij,ij->i", vectors, sums) / np.where(square > 0, square, 1.0)).astype(np.float32)
        approximations = scale[:, None].astype(np.float64) * sums
        residual = np.linalg.norm(vectors - approximations, axis=1)
        self._codes[rows], self._scale[rows] = self._offset, scale
        self._lengthen(np.linalg.norm(approximations, axis=1))
        # The sources' rounding, scaled, and 1 % more for float32 sums of their approximations.
        self._residual[rows] = _rounded_up(residual + 1.01 * _ROUNDING * np.abs(scale) * lengths)

    def move(self, source: int, target: int) -> None:
        """Copy row ``source`` over row ``target``."""
        self._codes[target], self._scale[target], self._residual[target] = (
            self._codes[source], self._scale[source], self._residual[source])

    def approximate(self, query: np.ndarray, n: int, encoded: int | None = None,
                    feeds: np.ndarray | None = None) -> np.ndarray:
        """Approximate products of the first ``n`` rows with ``query`` (float32): the first
        ``encoded`` (default all) from their codes, each later one derived from the encoded rows
        whose ``feeds`` entry is that row (0: none)."""
        encoded = n if encoded is None else encoded
        out = np.empty(n, dtype=np.float32)
        if self._product is not None:
            columns, steps, _ = _probe(query)
            np.dot(self._product(self._codes[:encoded], columns).astype(np.float32), steps, out=out[:encoded])
        else:
            self._widened_product(query, encoded, out)
        out[:encoded] *= self._scale[:encoded]
        if encoded < n and feeds is not None:
            sums = np.zeros(n, dtype=np.float32)
            np.add.at(sums, feeds[:encoded], out[:encoded])  # 0.17 ms for 100k rows; np.bincount 0.26
            np.multiply(sums[encoded:n], self._scale[encoded:n], out=out[encoded:n])
        return out

    def _widened_product(self, query: np.ndarray, encoded: int, out: np.ndarray) -> None:
        """The numpy path: the first ``encoded`` rows' codes times ``query`` into ``out``."""
        if self._buffer is None:
            self._buffer = np.empty((CHUNK_ROWS, self.dim), dtype=np.float32)
        for start in range(0, encoded, CHUNK_ROWS):
            stop = min(encoded, start + CHUNK_ROWS)
            wide = self._buffer[: stop - start]
            np.copyto(wide, self._codes[start:stop], casting="unsafe")
            np.dot(wide, query, out=out[start:stop])

    def error(self, query: np.ndarray, n: int) -> np.ndarray:
        """Per row of the first ``n``: a bound on how far its approximate product is from the exact one."""
        error = self._residual[:n] * np.float32(np.linalg.norm(query))
        if self._product is not None:
            error += _rounded_up(np.float64(self._longest * _probe(query)[2]))
        return error

    def _lengthen(self, lengths: np.ndarray) -> None:
        """Keep ``_longest`` at least each of ``lengths`` (rows' approximations' norms)."""
        if len(lengths):
            self._longest = max(self._longest, float(_rounded_up(lengths.max())))

    def candidates(self, query: np.ndarray, n: int, k: int, encoded: int | None = None,
                   feeds: np.ndarray | None = None) -> np.ndarray:
        """Rows (of the first ``n``, ``k < n``) that include every row whose exact product with
        ``query`` is among the ``k`` highest (``encoded`` and ``feeds`` as in ``approximate``).

        Each row's exact product lies within its own error ``e`` of its approximation ``a``. If ``t``
        is the k-th highest lower bound ``a - e``, at least ``k`` rows are exactly ``t`` or more, so
        the k-th highest exact product is too, and a row can reach it only if ``a + e >= t``.
        """
        approx = self.approximate(query, n, encoded, feeds)
        error = self.error(query, n)
        bound = np.subtract(approx, error)
        kth = _kth_highest(bound, k)
        return np.flatnonzero(np.add(approx, error, out=bound) >= kth)


def _kth_highest(values: np.ndarray, k: int) -> float:
    """The k-th highest of ``values``: beyond SAMPLE_FROM, partitioned among the values at or above
    a sample's estimate of rank 1.5 k (a full partition costs as much as half of the pass)."""
    n = len(values)
    if n >= SAMPLE_FROM:
        sample = values[::SAMPLE_STEP]
        rank = int(k / SAMPLE_STEP * 1.5) + 1
        if rank < len(sample):
            above = values[values >= np.partition(sample, len(sample) - rank)[len(sample) - rank]]
            if len(above) >= k:
                return float(np.partition(above, len(above) - k)[len(above) - k])
    return float(np.partition(values, n - k)[n - k])


def _probe(query: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """``query`` as PROBE_TERMS int8 columns within +-PROBE_LIMIT and a float32 step each (the
    query is about ``columns @ steps``), and the norm of what they miss (rounded up)."""
    rest = np.asarray(query, dtype=np.float64)
    columns = np.empty((len(rest), PROBE_TERMS), dtype=np.int8)
    steps = np.empty(PROBE_TERMS, dtype=np.float32)
    for term in range(PROBE_TERMS):
        top = np.abs(rest).max()
        steps[term] = top / PROBE_LIMIT if top > 0 else 1.0
        codes = np.clip(np.rint(rest / steps[term]), -PROBE_LIMIT, PROBE_LIMIT)
        columns[:, term] = codes
        rest = rest - np.float64(steps[term]) * codes
    return columns, steps, float(_rounded_up(np.float64(np.linalg.norm(rest))))


def _rounded_up(values: np.ndarray) -> np.ndarray:
    """Float64 bounds as float32 no smaller."""
    return np.nextafter(values.astype(np.float32), np.float32(np.inf))


def doubled(block: np.ndarray, n: int) -> np.ndarray:
    """``block`` with twice the rows, its first ``n`` copied."""
    grown = np.zeros((block.shape[0] * 2, *block.shape[1:]), dtype=block.dtype)
    grown[:n] = block[:n]
    return grown
