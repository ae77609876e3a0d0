"""The camera ingest over plain HTTP/1.1, the way Connect carries unary calls (what the firmware speaks):
`POST /edge.capture.v1.CaptureService/Hello|PushFrame`, `application/proto` in and out; errors are
non-200 replies with a JSON body {"code", "message"}. Keep-alive, always with Content-Length."""
from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from google.protobuf.message import DecodeError

from edge_node.capture.protocol_errors import HTTP_STATUS, connect_code
from edge_node.capture.protocol import CameraProtocol
from edge_node.common.errors import DomainError
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb

log = logging.getLogger(__name__)
PREFIX = "/edge.capture.v1.CaptureService/"
# Protobuf framing around the JPEG; bodies up to 4x the frame limit are read so the camera is counted.
_OVERHEAD = 4096
_IDLE_TIMEOUT_S = 60
# Camera connections served at once; further connections are closed at once (a camera retries with backoff).
MAX_CONNECTIONS = 64


class _BoundedHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a cap on connection threads, so a flood of sockets cannot exhaust the box."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, max_connections: int) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if not self._slots.acquire(blocking=False):
            log.warning("refusing camera connection from %s: %d connections already open",
                        client_address[0], MAX_CONNECTIONS)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        log.debug("camera connection from %s ended with an error", client_address[0], exc_info=True)


class IngestServer:
    """An HTTP server (one thread per camera connection, at most MAX_CONNECTIONS) in front of the camera protocol."""

    def __init__(self, protocol: CameraProtocol, listen: str, max_frame_bytes: int) -> None:
        host, _, port = listen.rpartition(":")
        handler = type("Handler", (_Handler,), {"protocol": protocol, "max_frame": max_frame_bytes})
        self._server = _BoundedHTTPServer((host.strip("[]"), int(port)), handler, MAX_CONNECTIONS)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.5,), name="capture-http",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _IDLE_TIMEOUT_S
    protocol: CameraProtocol
    max_frame: int

    def _methods(self) -> dict[str, tuple[type, Callable[[Any], Any]]]:
        address = self.client_address[0]
        return {"Hello": (pb.HelloRequest, lambda r: self.protocol.hello(r, address)),
                "PushFrame": (pb.PushFrameRequest, self.protocol.push_frame)}

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        name = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else ""
        method = self._methods().get(name)
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            return self._error("invalid_argument", "Content-Length is required (chunked bodies are not accepted)",
                               close=True)
        size = int(length)
        if size > 4 * self.max_frame + _OVERHEAD:
            return self._error("resource_exhausted", f"request body of {size} bytes is far above the frame limit "
                               f"of {self.max_frame} bytes", close=True)
        body = self.rfile.read(size)
        if method is None:
            return self._error("unimplemented", f"unknown method {self.path}; use {PREFIX}Hello or PushFrame")
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/proto":
            return self._error("invalid_argument", f"Content-Type must be application/proto (got {content_type!r})")
        message_type, call = method
        try:
            request = message_type.FromString(body)
        except DecodeError:
            return self._error("invalid_argument", f"body is not a valid {message_type.DESCRIPTOR.full_name}")
        try:
            reply = call(request)
        except DomainError as exc:
            return self._error(connect_code(exc), str(exc))
        except Exception:  # noqa: BLE001 - every failure becomes an answer, the server stays up
            log.exception("capture ingest: %s failed", name)
            return self._error("internal", "internal error; see the node's log")
        self._send(200, "application/proto", reply.SerializeToString())

    def _error(self, code: str, message: str, close: bool = False) -> None:
        self._send(HTTP_STATUS.get(code, 500), "application/json",
                   json.dumps({"code": code, "message": message}).encode(), close)

    def _send(self, status: int, content_type: str, body: bytes, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server signature
        log.debug("%s %s", self.address_string(), format % args)
