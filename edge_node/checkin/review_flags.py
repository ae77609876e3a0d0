"""Anomalies a recognition raises on the punch it makes: what a manager should look at."""

from __future__ import annotations

from edge_node.attendance.model import Anomaly, AnomalyKind
from edge_node.vision.types import FaceResult


def liveness_doubt(face: FaceResult) -> tuple[Anomaly, ...]:
    """LIVENESS_DOUBT for a MATCH whose face the liveness check did not confirm live (the site's
    liveness policy is "flag"); nothing otherwise."""
    if not face.liveness.checked or face.liveness.live:
        return ()
    return (Anomaly(AnomalyKind.LIVENESS_DOUBT, f"face recognised but not confirmed live (liveness "
                                                f"{face.liveness.score:.2f}); punched for review under the "
                                                "site's liveness policy"),)
