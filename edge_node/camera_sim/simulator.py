"""CameraSimulator: the firmware's state machine (Hello with the X25519 pairing and signed Hellos, pairing
wait, PushFrame at the stream fps, the box's signed replies checked, CaptureHighQuality answered with an HQ
frame, StreamSettings obeyed, ShowResult reported, CameraControls applied to its frames through the exposure
model)."""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from edge_node.camera_sim.connect import AUTH_CODES, ConnectClient, ConnectError
from edge_node.camera_sim.exposure_model import applied, expose_jpeg
from edge_node.camera_sim.camera_link import CameraLink, frame_reply
from edge_node.camera_sim.playlist import SimFrame, blank_frame
from edge_node.common.frame_mac import frame_mac, session_key
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from edge_node.common.tokens import write_private

FIRMWARE_VERSION = "sim-1.1"


@dataclass
class SimOptions:
    # Fixed stream rate; None obeys the box's StreamSettings (5 fps until told, the firmware's default).
    fps: float | None = None
    hold_seconds: float = 2.0  # each image is in front of the camera this long ...
    gap_seconds: float = 1.0  # ... then nobody, this long
    loop: bool = True
    # The OV2640's switch to the HQ frame size, as the firmware does it: set_framesize writes the
    # register table and waits 10 ms (esp32-camera, sensors/ov2640.c), then the frame still taken at
    # the old size is discarded and the next whole frame is read at the new size, one sensor frame
    # time (about 40 ms at the ~25 fps of the SVGA register set) each: 10 + 2 x 40 ms.
    hq_switch_ms: float = 90.0
    # Light on the face relative to what the AEC meters (camera_sim.exposure_model); 1.0 = even light.
    face_light: float = 1.0


@dataclass
class SimStats:
    frames_sent: int = 0
    hq_sent: int = 0
    refused: int = 0
    # Replies whose MAC did not verify (ignored, as the firmware does).
    unverified_replies: int = 0
    # Hellos answered PAIRED with a session (one per session).
    sessions: int = 0
    # (signal name, frame name) per ShowResult
    results: list[tuple[str, str]] = field(default_factory=list)
    # Per scene with a result: ms from its first stream frame until the LED showed the result (walk-up).
    walkups_ms: list[float] = field(default_factory=list)
    # HELLO, PENDING (once the box lists the camera, with the code below), PAIRED or REVOKED.
    state: str = "HELLO"
    # The code the camera shows for its pairing exchange (as the firmware logs it).
    pairing_code: str = ""


class DeviceState:
    """The device nonce and link key, kept in a small JSON file like the firmware's NVS."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        data = json.loads(path.read_text()) if path is not None and path.exists() else {}
        self.nonce = bytes.fromhex(data["nonce"]) if "nonce" in data else os.urandom(16)
        self.link_key = bytes.fromhex(data.get("link_key", ""))
        self.save()

    def set_link_key(self, key: bytes) -> None:
        if key != self.link_key:
            self.link_key = key
            self.save()

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_private(self.path, json.dumps({"nonce": self.nonce.hex(), "link_key": self.link_key.hex()}))


class CameraSimulator:
    def __init__(self, host: str, port: int, camera_id: str, frames: Sequence[SimFrame],
                 state_file: Path | None = None, options: SimOptions | None = None,
                 report: Callable[[str], None] = lambda _line: None) -> None:
        self.camera_id = camera_id
        self.frames = list(frames)
        self.options = options or SimOptions()
        self.stats = SimStats()
        self.device = DeviceState(state_file)
        self.link = CameraLink(camera_id, self.device.nonce, self.device)
        self._client = ConnectClient(host, port)
        self._report = report
        self._blank = blank_frame()
        self._fps = self.options.fps or 5.0
        self._started = 0.0
        # The frame session from the last Hello: (id, key); frames count from 1 in each session.
        self._session = (b"", b"")
        self._sequence = 0
        # The scene in front of the camera: its name, when its first frame was pushed, whether it got a result.
        self._scene = ("", 0.0, True)
        # What the box last set with CameraControls (the driver's defaults until then).
        self.exposure = pb.CameraControls()

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set: pair, then stream; network failures back off like the firmware."""
        backoff = 0.5
        paired = False
        while not stop.is_set():
            try:
                paired = self._stream(stop) if paired else self._hello(stop)
                backoff = 0.5
            except ConnectError as exc:
                self._report(f"{self.camera_id}: {exc}")
                if exc.code in AUTH_CODES:
                    paired = False
                elif exc.code == "invalid_argument":
                    self.stats.refused += 1
                else:
                    stop.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
            except OSError as exc:
                self._report(f"{self.camera_id}: box unreachable ({exc}); retry in {backoff:.1f} s")
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._client.close()

    def _hello(self, stop: threading.Event) -> bool:
        request = self.link.hello(FIRMWARE_VERSION)
        try:
            body = self._client.post("Hello", request.SerializeToString())
        except ConnectError as exc:
            if exc.code != "unauthenticated":
                raise
            self._report(f"{self.camera_id}: the box does not accept this link key; pairing anew beside it")
            self.link.refused()
            stop.wait(3.0)
            return False
        unverified = self.link.unverified_replies
        answer = self.link.answer(request, body)
        reply = answer.reply
        self.stats.unverified_replies += self.link.unverified_replies - unverified
        if answer.outcome in ("PAIRED", "REVOKED"):
            self.stats.state = answer.outcome
        elif answer.outcome == "WAIT" and reply.pairing_code:  # the box lists it now: approvable
            self.stats.state, self.stats.pairing_code = "PENDING", self.link.pairing_code
        if answer.outcome == "PAIRED":
            self._apply(reply.settings)
            if len(reply.session_id) == 8:
                self._session = (reply.session_id, session_key(self.device.link_key, reply.session_id))
                self._sequence = 0
                self.stats.sessions += 1
                self._report(f"{self.camera_id}: paired, streaming at {self._fps:g} fps")
                self._started = time.monotonic()
                return True
            self._report(f"{self.camera_id}: paired but no session offered; saying Hello again")
        elif answer.outcome == "REVOKED":
            self._report(f"{self.camera_id}: revoked by the box (signed), pairing anew")
        elif answer.outcome == "AGAIN":
            return False
        else:
            self._report(f"{self.camera_id}: waiting for approval, pairing code {self.link.pairing_code or '-'}")
        stop.wait((reply.retry_after_ms or 3000) / 1000)
        return False

    def current(self) -> SimFrame:
        """The scene now: each image for hold_seconds, then an empty scene for gap_seconds."""
        if not self.frames:
            return self._blank
        period = self.options.hold_seconds + self.options.gap_seconds
        elapsed = time.monotonic() - self._started
        index, offset = divmod(elapsed, period)
        if not self.options.loop and index >= len(self.frames):
            return self._blank
        return self.frames[int(index) % len(self.frames)] if offset < self.options.hold_seconds else self._blank

    def _stream(self, stop: threading.Event) -> bool:
        """Push one stream frame, act on the reply's commands, wait for the next frame time."""
        tick = time.monotonic()
        frame = self.current()
        if frame.name != self._scene[0]:
            self._scene = (frame.name, tick, frame is self._blank)
        self._push(frame, self._exposed(frame.stream_jpeg), pb.FRAME_SIZE_QVGA, False, 0)
        stop.wait(max(0.0, tick + 1.0 / self._fps - time.monotonic()))
        return True

    def _push(self, frame: SimFrame, jpeg: bytes, size: int, hq: bool, command_id: int) -> None:
        """Send one signed frame and act on the reply's commands if its MAC verifies."""
        self.stats.frames_sent += 1
        self._sequence += 1
        session_id, key = self._session
        captured_at_ms = int(time.monotonic() * 1000)
        mac = frame_mac(key, self.camera_id, self._sequence, captured_at_ms, size, hq, command_id, jpeg)
        body = self._client.post("PushFrame", pb.PushFrameRequest(
            camera_id=self.camera_id, session_id=session_id, sequence=self._sequence, captured_at_ms=captured_at_ms,
            frame_size=size, high_quality=hq, command_id=command_id, jpeg=jpeg, mac=mac).SerializeToString())
        reply = frame_reply(key, self._sequence, body)
        if reply is None:
            self.stats.unverified_replies += 1
            self._report(f"{self.camera_id}: a PushFrame reply without a valid MAC was ignored")
            return
        for command in reply.commands:
            self._command(command, frame)

    def _command(self, command: pb.Command, frame: SimFrame) -> None:
        kind = command.WhichOneof("kind")
        if kind == "capture_high_quality":
            self.stats.hq_sent += 1
            time.sleep(self.options.hq_switch_ms / 1000)  # the sensor's resolution switch (device time)
            self._push(frame, self._exposed(frame.hq_jpeg),
                       command.capture_high_quality.frame_size or pb.FRAME_SIZE_VGA, True, command.command_id)
        elif kind == "stream_settings":
            self._apply(command.stream_settings)
        elif kind == "camera_controls":
            self.exposure = applied(command.camera_controls)
        elif kind == "show_result":
            signal = pb.ResultSignal.Name(command.show_result.signal).removeprefix("RESULT_SIGNAL_")
            self.stats.results.append((signal, frame.name))
            name, since, reported = self._scene
            if not reported:
                self.stats.walkups_ms.append((time.monotonic() - since) * 1000)
                self._scene = (name, since, True)
            self._report(f"{self.camera_id}: ShowResult {signal} ({command.show_result.duration_ms} ms) "
                         f"for {frame.name}")

    def _exposed(self, jpeg: bytes) -> bytes:
        return expose_jpeg(jpeg, self.exposure, self.options.face_light)

    def _apply(self, settings: pb.StreamSettings) -> None:
        if settings.fps and self.options.fps is None:
            self._fps = float(min(max(settings.fps, 1), 30))
