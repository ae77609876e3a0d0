"""Known cameras and their pairing: PENDING until an admin approves the code of the camera's X25519 exchange,
then PAIRED with the link key both ends derived (it never travels); a Hello signed with that key gets a
session, and a device without it that asks for a paired camera_id waits for the admin (re-pairing).

A key that RemoveCamera or a re-pairing replaced is kept as the camera's retired key, only to tell the device
holding it, in a reply signed with it, that it is no longer valid: a camera drops its key on nothing else."""
from __future__ import annotations

import hmac
import logging
import re
import threading
from dataclasses import dataclass, replace

from edge_node.capture.protocol_errors import PermissionDenied, Unauthenticated
from edge_node.capture.link_sessions import LinkSessions, SignedFrame
from edge_node.capture.pairing import PairingExchanges
from edge_node.capture.stream_settings import StreamSettings
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument, NotFound, ResourceExhausted
from edge_node.common.frame_mac import HELLO_NONCE_BYTES, MAC_BYTES, hello_mac
from edge_node.common.link_pairing import PUBLIC_KEY_BYTES
from edge_node.storage.schema import Tables

log = logging.getLogger(__name__)

PENDING, PAIRED, REVOKED = "PENDING", "PAIRED", "REVOKED"
PUSH = "PUSH"
CAMERA_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NONCE_BYTES = 16
# New cameras waiting for approval at once; beyond, a new camera_id is refused until an admin approves or
# removes some (so Hellos for invented camera ids cannot fill the database).
MAX_PENDING = 64
# How the link key is kept in the camera table's `token_hash` column: confirmed once a frame signed with
# it arrived, issued until then; a retired key follows after _RETIRED. Anything else there is a pairing
# token's hash from an earlier release: such a camera must re-pair.
_CONFIRMED, _ISSUED, _RETIRED = "link-v1:", "link-v1-issued:", ";retired:"


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
    # True once a frame signed with the link key arrived (or for a token from an earlier release).
    key_confirmed: bool = False
    # The code of a device without the key asking for this paired camera_id (in memory: it keeps saying Hello).
    repair_code: str = ""
    # The key RemoveCamera or a re-pairing replaced: a Hello signed with it is answered REVOKED, signed.
    retired_key: bytes = b""
    # False for sources from the [capture] config: not stored, not removable at run time.
    stored: bool = True
    # Set by an admin for a push camera; None: the [capture] defaults.
    stream_settings: StreamSettings | None = None


@dataclass(frozen=True)
class HelloIn:
    """A camera's Hello (capture.proto HelloRequest) as the registry reads it."""
    camera_id: str
    firmware_version: str
    device_nonce: bytes
    hello_nonce: bytes
    hello_mac: bytes = b""
    pairing_commitment: bytes = b""
    pairing_public_key: bytes = b""
    pairing_mac: bytes = b""


@dataclass(frozen=True)
class HelloOutcome:
    state: str
    pairing_code: str = ""
    session_id: bytes = b""  # PAIRED: the session offered to the camera
    box_public_key: bytes = b""  # pairing: the box's half of the exchange
    sign_key: bytes = b""  # the key that signs the reply (empty: unsigned)


def check_camera_id(camera_id: str) -> None:
    if not CAMERA_ID.match(camera_id):
        raise InvalidArgument(f"camera_id {camera_id!r} must be 1-32 letters, digits, '-' or '_'")


def _check_hello(hello: HelloIn) -> None:
    check_camera_id(hello.camera_id)
    if len(hello.device_nonce) != NONCE_BYTES:
        raise InvalidArgument(f"device_nonce must be {NONCE_BYTES} bytes (got {len(hello.device_nonce)})")
    if len(hello.firmware_version) > 16:
        raise InvalidArgument("firmware_version must be at most 16 characters")
    if len(hello.hello_nonce) != HELLO_NONCE_BYTES:
        raise InvalidArgument(f"hello_nonce must be {HELLO_NONCE_BYTES} fresh random bytes (got "
                              f"{len(hello.hello_nonce)}); firmware older than the X25519 link must be updated")
    for name, size in (("hello_mac", MAC_BYTES), ("pairing_mac", MAC_BYTES), ("pairing_commitment", 32),
                       ("pairing_public_key", PUBLIC_KEY_BYTES)):
        if len(getattr(hello, name)) not in (0, size):
            raise InvalidArgument(f"{name} must be empty or {size} bytes (got {len(getattr(hello, name))})")


def _signed_by(key: bytes, mac: bytes, hello: HelloIn) -> bool:
    return bool(key) and bool(mac) and hmac.compare_digest(
        hello_mac(key, hello.camera_id, hello.device_nonce, hello.hello_nonce), mac)


def _stored_key(column: str) -> tuple[bytes, bool, bytes]:
    """(link key, confirmed, retired key) from the `token_hash` column."""
    column, _, retired = column.partition(_RETIRED)
    old = bytes.fromhex(retired)
    if column.startswith(_CONFIRMED):
        return bytes.fromhex(column[len(_CONFIRMED):]), True, old
    if column.startswith(_ISSUED):
        return bytes.fromhex(column[len(_ISSUED):]), False, old
    return b"", bool(column), old


def _key_column(rec: CameraRecord) -> str:
    if not rec.link_key:
        column = "legacy-token" if rec.key_confirmed else ""
    else:
        column = (_CONFIRMED if rec.key_confirmed else _ISSUED) + rec.link_key.hex()
    return column + (_RETIRED + rec.retired_key.hex() if rec.retired_key else "")


class CameraRegistry:
    """Thread-safe; every change is written through to the `camera` table."""

    def __init__(self, tables: Tables, clock: Clock) -> None:
        self._t = tables
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions = LinkSessions()
        self._exchanges = PairingExchanges()
        self._cameras = {row.camera_id: self._record(row) for row in tables.camera.select()}

    @staticmethod
    def _record(row) -> CameraRecord:  # type: ignore[no-untyped-def] - a peewee row of the camera table
        link_key, confirmed, retired = _stored_key(row.token_hash)
        return CameraRecord(row.camera_id, row.state, row.source_kind, row.address, row.firmware_version,
                            bytes(row.device_nonce or b""), row.pairing_code, link_key, confirmed, retired_key=retired,
                            stream_settings=StreamSettings.from_json(row.stream_settings))

    def get(self, camera_id: str) -> CameraRecord | None:
        return self._cameras.get(camera_id)

    def all(self) -> list[CameraRecord]:
        return sorted(self._cameras.values(), key=lambda c: c.camera_id)

    def hello(self, hello: HelloIn, address: str) -> HelloOutcome:
        """PAIRED with a session for a Hello signed with the camera's key, REVOKED (signed) for one signed with
        its retired key, else a step of the pairing exchange (PENDING, unsigned)."""
        _check_hello(hello)
        camera_id = hello.camera_id
        with self._lock:
            rec = self._cameras.get(camera_id)
            if rec is not None and rec.source_kind != PUSH:
                raise FailedPrecondition(f"camera_id {camera_id!r} is a {rec.source_kind} pull source on this box")
            if rec is not None and rec.state == PAIRED and (
                    _signed_by(rec.link_key, hello.hello_mac, hello)
                    or (not rec.key_confirmed and _signed_by(rec.link_key, hello.pairing_mac, hello))):
                if rec.firmware_version != hello.firmware_version:
                    self._save(replace(rec, firmware_version=hello.firmware_version))
                session_id = self._sessions.offer(camera_id, rec.link_key, address, rec.address)
                return HelloOutcome(PAIRED, rec.pairing_code, session_id=session_id, sign_key=rec.link_key)
            if rec is not None and _signed_by(rec.retired_key, hello.hello_mac, hello):
                return HelloOutcome(REVOKED, sign_key=rec.retired_key)
            if not hello.pairing_commitment:
                if hello.hello_mac:
                    raise Unauthenticated(f"camera {camera_id!r}: the Hello is not signed with a key this box holds; "
                                          "the camera keeps its key and pairs anew (pairing_commitment)")
                raise InvalidArgument("a Hello without hello_mac must carry pairing_commitment (the camera's X25519 "
                                      "pairing); firmware older than the X25519 link must be updated")
            return self._pairing_step(rec, hello, address)

    def _pairing_step(self, rec: CameraRecord | None, hello: HelloIn, address: str) -> HelloOutcome:
        exchange, started = self._exchanges.exchange(hello.camera_id, hello.pairing_commitment, address)
        if hello.pairing_public_key and not started:  # a key revealed before this box key was sent is not taken
            self._exchanges.reveal(exchange, hello.pairing_public_key)
        code, outcome = exchange.code, HelloOutcome(PENDING, exchange.code, box_public_key=exchange.keys.public)
        if not code:  # the camera learns the box's key first; it is listed once the exchange is complete
            return outcome
        if rec is None and sum(c.state == PENDING for c in self._cameras.values()) >= MAX_PENDING:
            raise ResourceExhausted(f"{MAX_PENDING} cameras already wait for approval; approve or remove some "
                                    "(ListCameras, ApproveCamera, RemoveCamera) before pairing another")
        if rec is None or rec.state == REVOKED:
            log.info("camera %s: a device asks to pair (pairing code %s)", hello.camera_id, code)
            self._save(CameraRecord(hello.camera_id, PENDING, PUSH, address, hello.firmware_version,
                                    hello.device_nonce, code, retired_key=rec.retired_key if rec else b"",
                                    stream_settings=rec.stream_settings if rec else None))
        elif rec.state == PENDING and code != rec.pairing_code:
            if rec.pairing_code:
                log.warning("camera %s: another pairing exchange (code %s, was %s) from %s", hello.camera_id, code,
                            rec.pairing_code, address)
            self._save(replace(rec, pairing_code=code, device_nonce=hello.device_nonce, address=address,
                               firmware_version=hello.firmware_version))
        elif rec.state == PAIRED and code != rec.repair_code:
            log.warning("camera %s: a device without its key asks to re-pair (code %s, from %s); the paired device "
                        "keeps working until an admin approves it", hello.camera_id, code, address)
            self._cameras[rec.camera_id] = replace(rec, repair_code=code)
        return outcome

    def authenticate(self, frame: SignedFrame) -> tuple[CameraRecord, bytes]:
        """The PAIRED push camera that signed this frame and the session key that signs the reply, else the
        error the firmware acts on."""
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
        verified = self._sessions.verify(frame)
        if verified.started:
            with self._lock:
                current = self._cameras[camera_id]
                if current.link_key == rec.link_key and (not current.key_confirmed
                                                         or current.address != verified.address):
                    if not current.key_confirmed:
                        log.info("camera %s: link key confirmed by its first signed frame", camera_id)
                    rec = replace(current, key_confirmed=True, address=verified.address)
                    self._save(rec)
        return rec, verified.key

    def approve(self, camera_id: str, code: str = "") -> CameraRecord:
        """PAIRED with the link key of the exchange whose pairing code is `code` (the one the camera shows), or
        without a code of the device listed as waiting (pending, or asking to re-pair). The old key of a re-paired
        camera is retired here."""
        with self._lock:
            rec = self._require(camera_id)
            if rec.source_kind != PUSH:
                return rec
            waiting = rec.repair_code if rec.state == PAIRED else rec.pairing_code
            exchange = self._exchanges.find(camera_id, code or waiting)
            if exchange is None:
                if rec.state == PAIRED and code in ("", rec.pairing_code):
                    return rec  # approved already
                if not code and not waiting:
                    raise FailedPrecondition(f"camera {camera_id!r} has not completed its pairing exchange; approve "
                                             "it once ListCameras shows its pairing code")
                raise FailedPrecondition(f"camera {camera_id!r}: no device is waiting with pairing code {code or waiting} "
                                         f"(listed: {waiting or 'none'}; a restart of the box ends every exchange, the "
                                         "camera's next Hello starts a new one); approve only the code the camera shows")
            rec = replace(rec, state=PAIRED, pairing_code=exchange.code, link_key=exchange.link_key, key_confirmed=False,
                          repair_code="", retired_key=rec.link_key or rec.retired_key, address=exchange.address)
            self._save(rec)
            self._sessions.end(camera_id)
            self._exchanges.end(camera_id)
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
            rec = replace(rec, state=REVOKED, link_key=b"", key_confirmed=False, repair_code="",
                          retired_key=rec.link_key or rec.retired_key)
            self._save(rec)
            self._sessions.end(camera_id)
            self._exchanges.end(camera_id)
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
