"""The benchmark's forward timer records every model run of a frame and restores the sessions."""

from __future__ import annotations

from pathlib import Path

from edge_node.vision import FacePipeline
from edge_node.vision.backend import LiteRtSession, OrtSession
from tools.forward_timer import ForwardTimer

from .conftest import read


def test_records_each_forward_of_a_frame_and_replays_them(pipeline: FacePipeline, data_dir: Path) -> None:
    frame = read(data_dir / "misc" / "astronaut.png")
    runs = (OrtSession.run, LiteRtSession.run)
    timer = ForwardTimer()
    with timer.recording(keep_feeds=True):
        faces = pipeline.observe_burst(frame)
    assert len(faces) == 1 and faces[0][0].embedding is not None
    calls = list(timer.forwards)
    # detector, then the two liveness models and SFace, with the second recogniser on its own thread
    assert len(calls) == 5 and all(c.ms > 0 for c in calls)
    assert sorted(next(iter(c.feeds.values())).shape[-1] for c in calls[1:]) == [80, 80, 112, 128]
    assert timer.take_ms() == sum(c.ms for c in calls) and timer.forwards == []
    alone = timer.isolated(calls, 3)
    assert len(alone) == 5 and all(0 < p50 <= p95 for p50, p95 in alone)
    assert (OrtSession.run, LiteRtSession.run) == runs
