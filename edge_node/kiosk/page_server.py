"""The kiosk's HTTP server (stdlib): the page, an MJPEG preview and a server-sent event stream."""
from __future__ import annotations

import json
import logging
import queue
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from edge_node.common.addresses import check_listen
from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import Event, EventType
from edge_node.kiosk.config import KioskConfig
from edge_node.kiosk.messages import (clock_message, enrolment_message, event_message, faces_message, presence,
                                      result_message, status_message)
from edge_node.node import Node

log = logging.getLogger(__name__)

STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/kiosk.css": ("kiosk.css", "text/css; charset=utf-8"),
          "/kiosk.js": ("kiosk.js", "text/javascript; charset=utf-8")}
TICK_SECONDS = 0.2
STATUS_EVERY_SECONDS = 1.0
BOUNDARY = "frame"
# The kiosk camera counts as missing when its newest frame is older than this.
CAMERA_STALE_MS = 5000


class KioskServer:
    """Serves the kiosk page for one node on `config.listen` (port 0 picks a free port) until stop()."""

    def __init__(self, node: Node, config: KioskConfig) -> None:
        self.node = node
        self.config = config
        self.stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(check_listen("kiosk.listen", config.listen), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.kiosk = self  # type: ignore[attr-defined]
        self.port: int = self._httpd.server_address[1]
        # Hooks for the clock monitor and the check-in flow: each returns a JSON-ready dict or None
        # (formats in messages.status_message); the page shows them when present.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(TICK_SECONDS,),
                                        name="kiosk-http", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def camera_id(self) -> str:
        """The configured camera, else the first one the capture service knows, else ""."""
        capture = getattr(self.node, "capture", None)
        if self.config.camera_id or capture is None:
            return self.config.camera_id
        cameras = capture.admin.cameras()
        return cameras[0].camera_id if cameras else ""

    def shows(self, camera_id: str) -> bool:
        """Whether a result from `camera_id` belongs on this kiosk's banner."""
        return not self.config.camera_id or camera_id in ("", self.config.camera_id)

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.node.store.get_rules().time_zone)

    def status(self) -> dict[str, Any]:
        sync = self.node.sync
        hub = "off" if sync is None else "reachable" if sync.status().healthy else "unreachable"
        capture = getattr(self.node, "capture", None)
        cameras = capture.admin.cameras() if capture is not None else []
        camera_id = self.camera_id()
        live = any(c.camera_id == camera_id and 0 <= c.last_frame_age_ms <= CAMERA_STALE_MS for c in cameras)
        return status_message(hub, len(cameras), "live" if live else "missing", self.clock_state(),
                              self.enrolment_state(camera_id))

    def clock_state(self) -> dict[str, Any] | None:
        """The clock pill: synchronised, not synchronised, or held after the clock went back."""
        return clock_message(self.node.store.trusted_time.state())

    def enrolment_state(self, camera_id: str) -> dict[str, Any] | None:
        """The enrolment panel while someone is being enrolled at this kiosk's camera."""
        checkin = self.node.checkin
        running = checkin.enrolments.running(camera_id) if checkin is not None and camera_id else None
        return enrolment_message(*running) if running else None

    def presence(self, person_id: str, event_type: str) -> dict[str, str]:
        """IN/OUT for a DUPLICATE (already recorded) result; {} for any other result."""
        if event_type != EventType.DUPLICATE.value or not person_id:
            return {}
        counted = (EventType.ENTRY, EventType.EXIT)
        last, _ = self.node.store.log.list(EventFilter(person_id=person_id, event_types=counted), size=1)
        return presence(last[0] if last else None, self.zone())

    def faces(self, camera_id: str) -> dict[str, Any] | None:
        live_faces = getattr(self.node, "live_faces", None)
        return faces_message(live_faces(camera_id)) if live_faces is not None and camera_id else None


class _Handler(BaseHTTPRequestHandler):
    server_version = "edge-node-kiosk"

    @property
    def kiosk(self) -> KioskServer:
        return self.server.kiosk  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        try:
            if path in STATIC:
                self._static(*STATIC[path])
            elif path == "/events":
                self._events()
            elif path == "/preview.mjpg":
                self._preview()
            else:
                self.send_error(HTTPStatus.NOT_FOUND)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the screen went away; its subscriptions are dropped in the finally blocks

    def _static(self, name: str, content_type: str) -> None:
        body = resources.files("edge_node.kiosk").joinpath("static", name).read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _start_stream(self, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _events(self) -> None:
        """Server-sent events: `result` (banner), `status` (indicator), `faces` (overlay), `config`."""
        kiosk, node = self.kiosk, self.kiosk.node
        outbox: queue.Queue[tuple[str, dict]] = queue.Queue(256)

        def on_result(result: Any) -> None:
            if kiosk.shows(result.camera_id):
                present = kiosk.presence(result.person_id, result.event_type)
                _offer(outbox, ("result", result_message(result, kiosk.zone(), present)))

        def on_event(event: Event) -> None:
            # A camera's own punches reach the page as its check-in result; events show the rest (RecordScan).
            if kiosk.shows(event.camera_id) and node.capture.registry.get(event.camera_id) is None:
                present = kiosk.presence(event.person_id, event.event_type.value)
                _offer(outbox, ("result", event_message(event, kiosk.zone(), present)))

        live_results = getattr(node, "live_results", None)
        if live_results is not None:
            live_results.subscribe(on_result)
        node.store.events.subscribe(on_event)
        try:
            self._start_stream("text/event-stream")
            self.wfile.write(b"retry: 2000\n\n")
            self._send_event("config", {"banner_seconds": kiosk.config.banner_seconds})
            self._pump(outbox)
        finally:
            node.store.events.unsubscribe(on_event)
            if live_results is not None:
                live_results.unsubscribe(on_result)

    def _pump(self, outbox: queue.Queue[tuple[str, dict]]) -> None:
        kiosk, last_status, last_faces, sent = self.kiosk, 0.0, None, None
        while not kiosk.stopping.is_set():
            status = kiosk.status()
            if status != sent or time.monotonic() - last_status >= STATUS_EVERY_SECONDS:
                self._send_event("status", status)
                last_status, sent = time.monotonic(), status
            faces = kiosk.faces(kiosk.camera_id())
            if faces is not None and faces != last_faces:
                self._send_event("faces", faces)
                last_faces = faces
            try:
                self._send_event(*outbox.get(timeout=TICK_SECONDS))
            except queue.Empty:
                pass

    def _send_event(self, name: str, data: dict) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()

    def _preview(self) -> None:
        """multipart/x-mixed-replace JPEGs of the kiosk camera's newest frame, at most preview_fps."""
        kiosk = self.kiosk
        capture = getattr(kiosk.node, "capture", None)
        if capture is None:
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "no capture service on this node")
            return
        self._start_stream(f"multipart/x-mixed-replace; boundary={BOUNDARY}")
        period, last = 1.0 / kiosk.config.preview_fps, None
        while not kiosk.stopping.is_set():
            frame = capture.admin.latest_frame(kiosk.camera_id())
            if frame is not None and frame.captured_at != last:
                last = frame.captured_at
                self.wfile.write(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(frame.jpeg)}"
                                 "\r\n\r\n".encode() + frame.jpeg + b"\r\n")
                self.wfile.flush()
            time.sleep(period)


def _offer(outbox: queue.Queue, item: tuple[str, dict]) -> None:
    """Publishers never block on a slow screen: when its queue is full the item is dropped."""
    try:
        outbox.put_nowait(item)
    except queue.Full:
        pass


def start_kiosk(node: Node, config: KioskConfig) -> KioskServer | None:
    """Start the kiosk if enabled; a kiosk that cannot listen is logged, the node serves on without it."""
    if not config.enabled:
        return None
    try:
        kiosk = KioskServer(node, config)
    except OSError as exc:
        log.error("kiosk not started: cannot listen on %s: %s", config.listen, exc)
        return None
    kiosk.start()
    log.info("kiosk on http://%s:%d/", config.listen.rpartition(":")[0], kiosk.port)
    return kiosk
