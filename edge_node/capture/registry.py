"""Known cameras and their pairing: PENDING until approved, then a link key issued once to the approved
device; a device without the key that asks for a paired camera_id waits for the admin (re-pairing)."""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass, replace

from edge_node.capture.errors import PermissionDenied
from edge_node.capture.link import LinkSessions, SignedFrame
from edge_node.capture.stream_settings import StreamSettings
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument, NotFound
from edge_node.common.frame_mac import LINK_KEY_BYTES
from edge_node.storage.schema import Tables

log = logging.getLogger(__name__)

PENDING, PAIRED, REVOKED = "PENDING", "PAIRED", "REVOKED"
PUSH = "PUSH"
CAMERA_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NONCE_BYTES = 16
# How the link key is kept in the camera table's `token_hash` column: confirmed once a frame signed with
# it arrived, issued while it may still be sent again. Anything else there is a pairing token's hash from
# an earlier release: such a camera must re-pair.
_CONFIRMED, _ISSUED = "link-v1:", "link-v1-issued:"


@dataclass(frozen=True)
class CameraRecord:
    camera_id: str
    state: str
    source_kind: str
    address: str = ""
    firmware_version: str = ""
    device_nonce: bytes = b""
    pairing_code: str = ""
    link_key: bytes = b""
    # True once a frame signed with the link key arrived (or for a token from an earlier release): from
    # then on only an admin's approval gives this camera_id a new key.
    key_confirmed: bool = False
    # A device without the key asking for this paired camera_id (kept in memory: it keeps saying Hello).
    repair_nonce: bytes = b""
    # False for sources from the [capture] config: not stored, not removable at run time.
    stored: bool = True
    # Set by an admin for a push camera; None: the [capture] defaults.
    stream_settings: StreamSettings | None = None


@dataclass(frozen=True)
class HelloOutcome:
    state: str
    pairing_code: str
    link_key: bytes = b""  # only on a reply that issues it
    session_id: bytes = b""  # PAIRED: the session offered to the camera


def check_camera_id(camera_id: str) -> None:
    if not CAMERA_ID.match(camera_id):
        raise InvalidArgument(f"camera_id {camera_id!r} must be 1-32 letters, digits, '-' or '_'")


def pairing_code(nonce: bytes) -> str:
    """Short code derived from the device nonce, e.g. 'K3QF-7ZPA'."""
    code = base64.b32encode(hashlib.sha256(nonce).digest()[:5]).decode()
    return f"{code[:4]}-{code[4:]}"


def _stored_key(column: str) -> tuple[bytes, bool]:
    """(link key, confirmed) from the `token_hash` column."""
    if column.startswith(_CONFIRMED):
        return bytes.fromhex(column[len(_CONFIRMED):]), True
    if column.startswith(_ISSUED):
        return bytes.fromhex(column[len(_ISSUED):]), False
    return b"", bool(column)


def _key_column(rec: CameraRecord) -> str:
    if not rec.link_key:
        return "legacy-token" if rec.key_confirmed else ""
    return (_CONFIRMED if rec.key_confirmed else _ISSUED) + rec.link_key.hex()


class CameraRegistry:
    """Thread-safe; every change is written through to the `camera` table."""

    def __init__(self, tables: Tables, clock: Clock) -> None:
        self._t = tables
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions = LinkSessions()
        self._cameras = {row.camera_id: CameraRecord(row.camera_id, row.state, row.source_kind, row.address,
                                                     row.firmware_version, bytes(row.device_nonce or b""),
                                                     row.pairing_code, *_stored_key(row.token_hash),
                                                     stream_settings=StreamSettings.from_json(row.stream_settings))
                         for row in tables.camera.select()}

    def get(self, camera_id: str) -> CameraRecord | None:
        return self._cameras.get(camera_id)

    def all(self) -> list[CameraRecord]:
        return sorted(self._cameras.values(), key=lambda c: c.camera_id)

    def hello(self, camera_id: str, firmware_version: str, nonce: bytes, has_link_key: bool,
              address: str) -> HelloOutcome:
        check_camera_id(camera_id)
        if len(nonce) != NONCE_BYTES:
            raise InvalidArgument(f"device_nonce must be {NONCE_BYTES} bytes (got {len(nonce)})")
        if len(firmware_version) > 16:
            raise InvalidArgument("firmware_version must be at most 16 characters")
        with self._lock:
            rec = self._cameras.get(camera_id)
            if rec is None or (rec.state == REVOKED and not has_link_key):
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
            if has_link_key and rec.link_key:
                # Whoever sent this gets a session it can only use with the key; the current one goes on.
                self._touch(rec, firmware_version, address)
                return HelloOutcome(PAIRED, rec.pairing_code, session_id=self._sessions.offer(camera_id, rec.link_key))
            if not rec.key_confirmed and nonce == rec.device_nonce:
                # Approved, and no frame was signed yet: (re)issue the key (a lost reply is simply sent anew).
                rec = replace(rec, link_key=os.urandom(LINK_KEY_BYTES), firmware_version=firmware_version,
                              address=address)
                self._save(rec)
                self._sessions.end(camera_id)
                log.info("camera %s paired: link key issued", camera_id)
                session_id = self._sessions.offer(camera_id, rec.link_key)
                return HelloOutcome(PAIRED, rec.pairing_code, rec.link_key, session_id)
            return self._ask_repair(rec, nonce)

    def _ask_repair(self, rec: CameraRecord, nonce: bytes) -> HelloOutcome:
        """A device without the link key asks for a paired camera_id: the admin decides; the key stays valid."""
        code = pairing_code(nonce)
        if rec.repair_nonce != nonce:
            log.warning("camera %s: a device without the link key asks to re-pair (code %s); the paired device "
                        "keeps working until an admin approves it", rec.camera_id, code)
            self._cameras[rec.camera_id] = replace(rec, repair_nonce=nonce)
        return HelloOutcome(PENDING, code)

    def _touch(self, rec: CameraRecord, firmware_version: str, address: str) -> None:
        if (rec.firmware_version, rec.address) != (firmware_version, address):
            self._save(replace(rec, firmware_version=firmware_version, address=address))

    def authenticate(self, frame: SignedFrame) -> CameraRecord:
        """The PAIRED push camera that signed this frame, else the error the firmware acts on."""
        camera_id = frame.camera_id
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
        if self._sessions.verify(frame) and not rec.key_confirmed:
            with self._lock:
                current = self._cameras[camera_id]
                if current.link_key == rec.link_key and not current.key_confirmed:  # not re-paired meanwhile
                    rec = replace(current, key_confirmed=True)
                    self._save(rec)
                    log.info("camera %s: link key confirmed by its first signed frame", camera_id)
        return rec

    def approve(self, camera_id: str, code: str = "") -> CameraRecord:
        """PAIRED; the link key goes to the next Hello of the device waiting (pending, or asking to re-pair),
        whose pairing code must be `code` when given. The old key of a re-paired camera ends here."""
        with self._lock:
            rec = self._require(camera_id)
            nonce = rec.repair_nonce if rec.state == PAIRED and rec.repair_nonce else rec.device_nonce
            if code and code != pairing_code(nonce):
                raise FailedPrecondition(f"camera {camera_id!r}: the device waiting shows pairing code "
                                         f"{pairing_code(nonce)}, not {code}; ListCameras shows it")
            if rec.state != PAIRED or rec.repair_nonce:
                rec = replace(rec, state=PAIRED, device_nonce=nonce, pairing_code=pairing_code(nonce), link_key=b"",
                              key_confirmed=False, repair_nonce=b"")
                self._save(rec)
                self._sessions.end(camera_id)
                log.info("camera %s approved (pairing code %s)", camera_id, rec.pairing_code)
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
            rec = replace(rec, state=REVOKED, link_key=b"", key_confirmed=False, repair_nonce=b"")
            self._save(rec)
            self._sessions.end(camera_id)
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
                 pairing_code=rec.pairing_code, token_hash=_key_column(rec), created_us=now_us, updated_us=now_us,
                 stream_settings=settings) \
            .on_conflict(conflict_target=[C.camera_id],
                         preserve=[C.state, C.source_kind, C.address, C.firmware_version, C.device_nonce,
                                   C.pairing_code, C.token_hash, C.updated_us, C.stream_settings]).execute()
        self._cameras[rec.camera_id] = rec
