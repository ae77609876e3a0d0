"""Liveness per attack type on ``spoof/`` (calibration) and ``spoof_dev/`` (held out, evaluation only).

Used by ``scripts/bench_accuracy --liveness``. Each image is decided as it is ("original") and as
camera-grade bursts (the bench's camera condition, several seeds); a decision accepts the face as
live or not through ``vision.decision.decide`` with the configured liveness rule.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

# (set directory, its labels file relative to the data directory, path column relative to)
SETS = (("spoof", "spoof_labels.csv", ""), ("spoof_dev", "spoof_dev/labels.csv", "spoof_dev"))
LIVE = "live"


@dataclass(frozen=True)
class Sample:
    """One labelled image: its set, attack type (``LIVE`` for a live face) and path."""

    set_name: str
    kind: str
    path: Path


def samples(data: Path) -> list[Sample]:
    """Every labelled image of both sets."""
    found = []
    for name, labels, base in SETS:
        with (data / labels).open(newline="") as fh:
            for row in csv.DictReader(fh):
                kind = LIVE if row["label"] == "real" else row["attack_type"] or "attack"
                found.append(Sample(name, kind, data / base / row["path"]))
    return found


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Cell:
    """Decisions of one (set, variant, kind): how many were judged by liveness, how many of those
    were accepted as live, and how many were not judged (no face, or a quality gate refused it)."""

    n: int = 0
    accepted: int = 0
    unjudged: int = 0

    def line(self, what: str) -> str:
        lo, hi = wilson(self.accepted if what == "accepted" else self.n - self.accepted, self.n)
        k = self.accepted if what == "accepted" else self.n - self.accepted
        return (f"{what} {k:3d}/{self.n:<3d} = {k / max(self.n, 1):6.1%} (Wilson 95 % {lo:5.1%}-{hi:5.1%}); "
                f"not judged {self.unjudged}")


def table(decisions: list[tuple[Sample, str, bool | None]]) -> dict[tuple[str, str, str], Cell]:
    """(set, variant, kind) -> cell, plus an "all attacks" kind per set and variant; a decision is
    True (live), False (not live) or None (not judged)."""
    cells: dict[tuple[str, str, str], Cell] = defaultdict(Cell)
    for sample, variant, live in decisions:
        kinds = (sample.kind,) if sample.kind == LIVE else (sample.kind, "all attacks")
        for kind in kinds:
            cell = cells[(sample.set_name, variant, kind)]
            if live is None:
                cell.unjudged += 1
                continue
            cell.n += 1
            cell.accepted += live
    return dict(sorted(cells.items()))
