"""Preparing a started node for a fault run: persons, an enrolled face, the client calls and a paired camera."""
from __future__ import annotations

from pathlib import Path

from tools.faults import people
from tools.faults.camera import CameraSim, approve
from tools.faults.load import Call, open_channel, recognize_call, record_scan_call
from tools.faults.procs import Child


def prepare(work: Path, node: Child, prefix: str, persons: int, scan_threads: int, camera_id: str,
            recognize: bool = True) -> tuple[list[Call], CameraSim | None]:
    """`persons` persons for RecordScan from `scan_threads` threads; with the shared models and photos (and
    `recognize`), a Recognize(record) thread of an enrolled face and a simulated camera showing that face."""
    auth = people.auth_for(work / "node")
    ids = [f"{prefix}-{i:03d}" for i in range(persons)]
    with open_channel(node.address) as channel:
        people.add_persons(channel, auth, ids)
        calls = [record_scan_call(ids, auth) for _ in range(scan_threads)]
        if not (recognize and people.recognition_available()):
            return calls, None
        photos = people.face_photos()
        people.enroll(channel, auth, "face-0", photos[:3])
        calls.append(recognize_call(photos[3], auth))
        camera = CameraSim(work, node.capture_address, camera_id, people.face_photo_paths()[3:8])
        try:
            approve(channel, auth, camera_id)
        except Exception:
            camera.stop()
            raise
    return calls, camera
