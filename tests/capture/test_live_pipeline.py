"""End to end: the simulator streams to a real node; faces trigger HQ captures that become results."""
from __future__ import annotations

import time
from pathlib import Path

from edge_node.gen.edge.attendance.v1 import attendance_pb2
from tests.capture.conftest import photo_path
from tests.conftest import wait_until

ENTRY = attendance_pb2.EVENT_TYPE_ENTRY


def test_enrolled_person_gives_one_entry_and_an_accepted_signal(capture_node, start_sim, shared_dir: Path) -> None:
    sim = start_sim("door-1", [photo_path(shared_dir, "Bill_Gates", 2)])
    approved = time.monotonic()
    assert wait_until(lambda: any(e.event_type == ENTRY for e in capture_node.events_of("door-1")), 2.0), \
        (capture_node.results_of("door-1"), capture_node.node.capture.admin.cameras())
    assert time.monotonic() - approved <= 2.0
    entry = capture_node.events_of("door-1")[0]
    assert (entry.person_id, entry.event_type) == ("bill_gates", ENTRY)
    assert wait_until(lambda: ("ACCEPTED", "Bill_Gates_0003.jpg") in sim.sim.stats.results, 2.0), sim.sim.stats
    result = [r for r in capture_node.results_of("door-1") if r.kind == "MATCH"][0]
    assert (result.person_id, result.display_name, result.event_type) == ("bill_gates", "Bill Gates", "ENTRY")
    assert result.message == "Welcome, Bill Gates - IN at 09:00" and result.event_time is not None
    faces = capture_node.node.live_faces("door-1")
    assert len(faces) == 1 and faces[0][1:] == (320, 240)
    time.sleep(1.5)  # still in front of the camera: tracked, not logged again
    assert len(capture_node.events_of("door-1")) == 1
    assert capture_node.node.snapshots.snapshots_for_person("bill_gates")
    assert not list((capture_node.node.data_dir / "snapshots").glob("*bill_gates*"))


def test_impostor_is_unknown_and_logs_no_attendance(capture_node, start_sim, shared_dir: Path) -> None:
    sim = start_sim("door-2", [photo_path(shared_dir, "Antonio_Cassano", 0, "faces_singletons")])
    assert wait_until(lambda: capture_node.results_of("door-2"), 3.0)
    assert [r.kind for r in capture_node.results_of("door-2")] == ["UNKNOWN"]
    assert wait_until(lambda: capture_node.events_of("door-2"), 2.0)
    assert [e.event_type for e in capture_node.events_of("door-2")] == [attendance_pb2.EVENT_TYPE_UNKNOWN_FACE]
    assert wait_until(lambda: sim.sim.stats.results, 2.0) and sim.sim.stats.results[0][0] == "REJECTED"


def test_spoof_is_refused_and_kept_as_snapshot(capture_node, start_sim, shared_dir: Path) -> None:
    start_sim("door-3", [shared_dir / "data" / "spoof" / "fake" / "sf_print_03.jpg"])
    assert wait_until(lambda: capture_node.results_of("door-3"), 3.0)
    result = capture_node.results_of("door-3")[0]
    assert (result.kind, result.event_type) == ("SPOOF", "")
    assert wait_until(lambda: [e.event_type for e in capture_node.events_of("door-3")]
                      == [attendance_pb2.EVENT_TYPE_SPOOF], 2.0)
    assert list((capture_node.node.data_dir / "snapshots").glob("*_door-3_SPOOF_none.jpg"))


def test_small_face_asks_to_step_closer_without_capturing(capture_node, start_sim, shared_dir: Path) -> None:
    sim = start_sim("door-4", [shared_dir / "data" / "spoof" / "real" / "sf_real_04.jpg"])
    assert wait_until(lambda: capture_node.results_of("door-4"), 3.0)
    assert {r.kind for r in capture_node.results_of("door-4")} == {"LOOK_AT_CAMERA"}
    assert sim.sim.stats.hq_sent == 0 and capture_node.node.live_faces("door-4")


def test_deleting_a_person_deletes_their_snapshots(capture_node, start_sim, shared_dir: Path) -> None:
    start_sim("door-5", [photo_path(shared_dir, "Matt_Damon", 1)])
    snapshots = capture_node.node.snapshots
    assert wait_until(lambda: snapshots.snapshots_for_person("matt_damon"), 3.0), capture_node.results_of("door-5")
    capture_node.attendance.DeletePerson(attendance_pb2.DeletePersonRequest(person_id="matt_damon"),
                                         metadata=capture_node.auth)
    assert snapshots.snapshots_for_person("matt_damon") == []
