"""Kiosk semantics of the check-in flow: a person who stays at the kiosk is punched once, and the burst
keeps only fresh frames of a well-placed face."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest

from edge_node.capture.config import CaptureConfig
from edge_node.checkin.burst import Burst, BurstBuffer
from edge_node.vision.pipeline import FrameView
from tools.manual_clock import ManualClock
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2
from edge_node.gen.edge.capture.v1 import capture_pb2
from tests.capture.conftest import CaptureNode, RunningSim, photo_path
from tests.conftest import node_config, wait_until
from edge_node.camera_sim.playlist import load_frame
from edge_node.camera_sim.simulator import SimOptions


LINGER_SECONDS = 120.0


@pytest.fixture
def eager_node(tmp_path: Path, shared_dir: Path) -> Iterator[CaptureNode]:
    """A node whose trigger re-arms after 0.3 s while the face stays, with the default linger window:
    the node's clock (simulated) says how long the person has stayed."""
    config = node_config(tmp_path)
    config = replace(config, recognition=RecognitionConfig(models_dir=str(shared_dir / "models")),
                     capture=CaptureConfig(listen="127.0.0.1:0", mdns=False, pending_retry_ms=100,
                                           cooldown_seconds=0.3, linger_seconds=LINGER_SECONDS))
    node = CaptureNode(config, ManualClock(datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)), shared_dir)
    yield node
    node.stop()


def test_a_person_standing_at_the_kiosk_is_punched_once(eager_node: CaptureNode, shared_dir: Path) -> None:
    """Ten minutes in view, seen every 10 s of the node's clock: one ENTRY. Gone for longer than the window,
    then back: a new punch (EXIT)."""
    sim = RunningSim(eager_node, "lobby", [load_frame(photo_path(shared_dir, "Bill_Gates", 2))],
                     SimOptions(hold_seconds=3600.0))

    def matches() -> list:
        return [r for r in eager_node.results_of("lobby") if r.kind == "MATCH"]

    try:
        assert wait_until(lambda: sim.sim.stats.state == "PENDING", 5), sim.sim.stats
        eager_node.capture.ApproveCamera(capture_pb2.ApproveCameraRequest(camera_id="lobby"), metadata=eager_node.auth)
        sightings = 0
        while eager_node.clock.now() < datetime(2026, 11, 24, 8, 10, tzinfo=timezone.utc):
            assert wait_until(lambda: len(matches()) > sightings, 15), eager_node.results_of("lobby")
            sightings = len(matches())
            eager_node.clock.advance(10)  # each sighting is 10 s after the one before (or less)
        eager_node.clock.advance(LINGER_SECONDS + 10)  # out of view for longer than the window
        assert wait_until(lambda: any(r.event_type == "EXIT" for r in matches()), 15), matches()
    finally:
        sim.stop()
    seen = matches()
    assert len(seen) >= 60 and seen[-1].event_type == "EXIT"
    assert {r.event_type for r in seen[1:-1]} == {"DUPLICATE"}
    assert seen[0].event_type == "ENTRY" and seen[1].message == "Already recorded - you are IN since 08:00"
    assert seen[1].event_time == seen[0].event_time
    assert seen[-2].at >= datetime(2026, 11, 24, 8, 9, 50, tzinfo=timezone.utc), "the stay lasted ten minutes"
    assert wait_until(lambda: len(eager_node.events_of("lobby")) >= 2, 5)
    punches = [e for e in eager_node.events_of("lobby") if e.event_type in
               (attendance_pb2.EVENT_TYPE_ENTRY, attendance_pb2.EVENT_TYPE_EXIT, attendance_pb2.EVENT_TYPE_DUPLICATE)]
    assert [e.event_type for e in punches] == [attendance_pb2.EVENT_TYPE_ENTRY, attendance_pb2.EVENT_TYPE_EXIT]
    assert ("ACCEPTED", "Bill_Gates_0003.jpg") in sim.sim.stats.results


def test_the_burst_keeps_only_fresh_frames() -> None:
    burst = BurstBuffer(size=2, max_age_s=1.0)
    for at, jpeg in ((0.0, b"a"), (0.5, b"b"), (0.9, b"c")):
        burst.add(jpeg, at)
    assert burst.take(1.2).frames == [b"b", b"c"]
    assert burst.take(1.2).frames == []
    burst.add(b"d", 2.0)
    assert burst.take(3.5).frames == []
    off = BurstBuffer(size=0, max_age_s=1.0)
    off.add(b"x", 0.0)
    assert off.take(0.0).frames == []


def test_the_burst_is_observed_ahead_while_the_camera_switches() -> None:
    burst = BurstBuffer(size=3, max_age_s=1.0)
    view = FrameView(320, 240, None)  # type: ignore[arg-type]  # the buffer does not look inside
    asked: list[list[bytes]] = []

    def observe(jpegs):
        asked.append(list(jpegs))
        return [view if jpeg == b"a" else None for jpeg in jpegs]  # b"b" has no face

    burst.add(b"a", 0.0)
    burst.add(b"b", 0.1)
    burst.observe_ahead(observe)
    burst.add(b"c", 0.2)  # came after the HQ request: decided on as a plain frame
    taken = burst.take(0.5)
    assert asked == [[b"a", b"b"]]
    assert taken.ahead == [view] and taken.frames == [b"c"]

    burst.add(b"a", 1.0)
    burst.observe_ahead(observe)
    burst.add(b"c", 1.1)
    burst.observe_ahead(observe)  # only the frame not observed yet is asked for
    assert asked[1:] == [[b"a"], [b"c"]]
    assert burst.take(1.2) == Burst([], [view])
