"""Known cameras and their pairing: PENDING until approved, a token issued once, kept only as a hash."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import threading
from dataclasses import dataclass, replace

from edge_node.capture.errors import PermissionDenied, Unauthenticated
from edge_node.capture.stream_settings import StreamSettings
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument, NotFound
from edge_node.storage.schema import Tables
from edge_node.tokens import new_token

log = logging.getLogger(__name__)

PENDING, PAIRED, REVOKED = "PENDING", "PAIRED", "REVOKED"
PUSH = "PUSH"
CAMERA_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NONCE_BYTES = 16
MAX_TOKEN_CHARS = 64


@dataclass(frozen=True)
class CameraRecord:
    camera_id: str
    state: str
    source_kind: str
    address: str = ""
    firmware_version: str = ""
    device_nonce: bytes = b""
    pairing_code: str = ""
    token_hash: str = ""
    # False for sources from the [capture] config: not stored, not removable at run time.
    stored: bool = True
    # Set by an admin for a push camera; None: the [capture] defaults.
    stream_settings: StreamSettings | None = None


@dataclass(frozen=True)
class HelloOutcome:
    state: str
    pairing_code: str
    token: str = ""  # only on the one reply that issues it


def check_camera_id(camera_id: str) -> None:
    if not CAMERA_ID.match(camera_id):
        raise InvalidArgument(f"camera_id {camera_id!r} must be 1-32 letters, digits, '-' or '_'")


def pairing_code(nonce: bytes) -> str:
    """Short code derived from the device nonce, e.g. 'K3QF-7ZPA'."""
    code = base64.b32encode(hashlib.sha256(nonce).digest()[:5]).decode()
    return f"{code[:4]}-{code[4:]}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CameraRegistry:
    """Thread-safe; every change is written through to the `camera` table."""

    def __init__(self, tables: Tables, clock: Clock) -> None:
        self._t = tables
        self._clock = clock
        self._lock = threading.Lock()
        self._cameras = {row.camera_id: CameraRecord(row.camera_id, row.state, row.source_kind, row.address,
                                                     row.firmware_version, bytes(row.device_nonce or b""),
                                                     row.pairing_code, row.token_hash,
                                                     stream_settings=StreamSettings.from_json(row.stream_settings))
                         for row in tables.camera.select()}

    def get(self, camera_id: str) -> CameraRecord | None:
        return self._cameras.get(camera_id)

    def all(self) -> list[CameraRecord]:
        return sorted(self._cameras.values(), key=lambda c: c.camera_id)

    def hello(self, camera_id: str, firmware_version: str, nonce: bytes, token: str, address: str) -> HelloOutcome:
        check_camera_id(camera_id)
        if len(nonce) != NONCE_BYTES:
            raise InvalidArgument(f"device_nonce must be {NONCE_BYTES} bytes (got {len(nonce)})")
        if len(firmware_version) > 16 or len(token) > MAX_TOKEN_CHARS:
            raise InvalidArgument("firmware_version must be at most 16 and pairing_token at most 64 characters")
        with self._lock:
            rec = self._cameras.get(camera_id)
            if rec is None or (rec.state == REVOKED and not token):
                if rec is None:
                    log.info("camera %s is new: PENDING, pairing code %s", camera_id, pairing_code(nonce))
                rec = CameraRecord(camera_id, PENDING, PUSH, address, firmware_version, nonce, pairing_code(nonce))
                self._save(rec)
                return HelloOutcome(PENDING, rec.pairing_code)
            if rec.source_kind != PUSH:
                raise FailedPrecondition(f"camera_id {camera_id!r} is a {rec.source_kind} pull source on this box")
            if rec.state == REVOKED:
                return HelloOutcome(REVOKED, rec.pairing_code)
            if rec.state == PENDING:
                if nonce != rec.device_nonce:
                    log.warning("camera %s: Hello from another device (code %s, first seen %s)",
                                camera_id, pairing_code(nonce), rec.pairing_code)
                return HelloOutcome(PENDING, pairing_code(nonce))
            if token:
                if not (rec.token_hash and hmac.compare_digest(_hash(token), rec.token_hash)):
                    raise Unauthenticated("the pairing token is not valid; remove and re-approve the camera on the box")
                self._touch(rec, firmware_version, address)
                return HelloOutcome(PAIRED, rec.pairing_code)
            if not rec.token_hash and nonce == rec.device_nonce:
                issued = new_token()
                self._save(replace(rec, token_hash=_hash(issued), firmware_version=firmware_version, address=address))
                log.info("camera %s paired: token issued", camera_id)
                return HelloOutcome(PAIRED, rec.pairing_code, issued)
            return HelloOutcome(PAIRED, rec.pairing_code)

    def _touch(self, rec: CameraRecord, firmware_version: str, address: str) -> None:
        if (rec.firmware_version, rec.address) != (firmware_version, address):
            self._save(replace(rec, firmware_version=firmware_version, address=address))

    def authenticate(self, camera_id: str, token: str) -> CameraRecord:
        """The PAIRED push camera this token belongs to, else the error the firmware acts on."""
        rec = self._cameras.get(camera_id)
        if rec is None:
            raise NotFound(f"camera {camera_id!r} is not known to this box; send Hello first")
        if rec.source_kind != PUSH:
            raise FailedPrecondition(f"camera_id {camera_id!r} is a {rec.source_kind} pull source on this box")
        if rec.state == REVOKED:
            raise PermissionDenied(f"camera {camera_id!r} was removed by an admin; send Hello to pair again")
        if rec.state == PENDING:
            raise FailedPrecondition(f"camera {camera_id!r} is waiting for approval (pairing code {rec.pairing_code}); "
                                     "an admin must call ApproveCamera")
        if not token or not rec.token_hash or not hmac.compare_digest(_hash(token), rec.token_hash):
            raise Unauthenticated(f"camera {camera_id!r}: the pairing token is missing or not valid; send Hello")
        return rec

    def approve(self, camera_id: str) -> CameraRecord:
        """PAIRED; the token is issued on the next Hello from the device whose nonce was seen first."""
        with self._lock:
            rec = self._require(camera_id)
            if rec.state != PAIRED:
                rec = replace(rec, state=PAIRED, token_hash="")
                self._save(rec)
                log.info("camera %s approved", camera_id)
            return rec

    def remove(self, camera_id: str) -> CameraRecord:
        """Revoke a push camera (it hears REVOKED and pairs anew) or forget a stored pull source."""
        with self._lock:
            rec = self._require(camera_id)
            if not rec.stored:
                raise FailedPrecondition(f"camera {camera_id!r} is defined in the [capture] sources; remove it there")
            if rec.source_kind != PUSH:
                self._t.camera.delete_by_id(camera_id)
                del self._cameras[camera_id]
                return rec
            rec = replace(rec, state=REVOKED, token_hash="")
            self._save(rec)
            return rec

    def set_stream_settings(self, camera_id: str, settings: StreamSettings) -> CameraRecord:
        """Keep `settings` for a pending or paired push camera (pull sources stream as they do)."""
        with self._lock:
            rec = self._require(camera_id)
            if rec.source_kind != PUSH:
                raise FailedPrecondition(f"camera {camera_id!r} is a {rec.source_kind} pull source; the box reads it "
                                         "at [capture] pull_fps and cannot change how it streams")
            if rec.state == REVOKED:
                raise FailedPrecondition(f"camera {camera_id!r} was removed; it must pair again first")
            rec = replace(rec, stream_settings=settings)
            self._save(rec)
            return rec

    def add_source(self, camera_id: str, kind: str, address: str, stored: bool) -> CameraRecord:
        check_camera_id(camera_id)
        with self._lock:
            if camera_id in self._cameras:
                raise FailedPrecondition(f"camera_id {camera_id!r} is already in use; remove it first")
            rec = CameraRecord(camera_id, PAIRED, kind, address, stored=stored)
            if stored:
                self._save(rec)
            else:
                self._cameras[camera_id] = rec
            return rec

    def _require(self, camera_id: str) -> CameraRecord:
        rec = self._cameras.get(camera_id)
        if rec is None:
            raise NotFound(f"camera {camera_id!r} is not known; ListCameras shows the known ones")
        return rec

    def _save(self, rec: CameraRecord) -> None:
        now_us = int(self._clock.now().timestamp() * 1_000_000)
        settings = rec.stream_settings.to_json() if rec.stream_settings else ""
        C = self._t.camera
        C.insert(camera_id=rec.camera_id, state=rec.state, source_kind=rec.source_kind, address=rec.address,
                 firmware_version=rec.firmware_version, device_nonce=rec.device_nonce or None,
                 pairing_code=rec.pairing_code, token_hash=rec.token_hash, created_us=now_us, updated_us=now_us,
                 stream_settings=settings) \
            .on_conflict(conflict_target=[C.camera_id],
                         preserve=[C.state, C.source_kind, C.address, C.firmware_version, C.device_nonce,
                                   C.pairing_code, C.token_hash, C.updated_us, C.stream_settings]).execute()
        self._cameras[rec.camera_id] = rec
