"""Setting up a node for a fault run: persons, an enrolled face, and the shared photos to use."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import grpc

from edge_node.gen.edge.attendance.v1 import attendance_pb2, attendance_pb2_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2, recognition_pb2_grpc


def shared_dir() -> Path:
    """$EDGE_SHARED_DIR, else ../shared beside the repository."""
    return Path(os.environ.get("EDGE_SHARED_DIR", Path(__file__).resolve().parents[2].parent / "shared"))


def face_photo_paths(identity_index: int = 0) -> list[Path]:
    """The photos of one identity of the shared face set (sorted), or [] when the set is missing."""
    folders = sorted(p for p in (shared_dir() / "data" / "faces").glob("*") if p.is_dir())
    return sorted(folders[identity_index].glob("*.jpg")) if len(folders) > identity_index else []


def face_photos(identity_index: int = 0) -> list[bytes]:
    return [p.read_bytes() for p in face_photo_paths(identity_index)]


def recognition_available() -> bool:
    return "EDGE_NODE_RECOGNITION_MODELS_DIR" in models_env() and len(face_photo_paths()) >= 6


def models_env() -> dict[str, str]:
    """Environment that points the node at the shared models, or disables recognition when they are missing."""
    models = shared_dir() / "models"
    if models.is_dir():
        return {"EDGE_NODE_RECOGNITION_MODELS_DIR": str(models)}
    return {"EDGE_NODE_RECOGNITION_ENABLED": "0"}


def auth_for(data_dir: Path) -> tuple[tuple[str, str]]:
    return (("authorization", f"Bearer {(data_dir / 'admin.token').read_text().strip()}"),)


def add_persons(channel: grpc.Channel, auth: tuple, person_ids: Sequence[str]) -> None:
    stub = attendance_pb2_grpc.AttendanceServiceStub(channel)
    for person_id in person_ids:
        stub.UpsertPerson(attendance_pb2.UpsertPersonRequest(
            person=attendance_pb2.Person(person_id=person_id, display_name=f"Person {person_id}")),
            metadata=auth, timeout=10)


def enroll(channel: grpc.Channel, auth: tuple, person_id: str, images: Sequence[bytes]) -> int:
    """Create `person_id` and enrol `images`; the number of templates stored."""
    add_persons(channel, auth, [person_id])
    reply = recognition_pb2_grpc.RecognitionServiceStub(channel).Enroll(
        recognition_pb2.EnrollRequest(person_id=person_id, images=list(images)), metadata=auth, timeout=60)
    return reply.template_count
