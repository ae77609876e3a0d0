"""Pull sources: an MJPEG stream served the way the stock ESP32 CameraWebServer serves /stream."""
from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from edge_node.capture.mjpeg import boundary_of, iter_parts
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from tests.capture.conftest import photo_path
from tests.conftest import wait_until

BOUNDARY = "123456789000000000000987654321"


def camera_web_server(frames: list[bytes], fps: float) -> ThreadingHTTPServer:
    """esp32-camera's app_httpd.cpp stream_handler: boundary before each part, then headers and the JPEG."""

    class Stream(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", f"multipart/x-mixed-replace;boundary={BOUNDARY}")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            try:
                for i in range(100000):
                    jpeg = frames[i % len(frames)]
                    now = time.time()
                    self.wfile.write(f"\r\n--{BOUNDARY}\r\n".encode())
                    self.wfile.write(f"Content-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n"
                                     f"X-Timestamp: {int(now)}.{int(now % 1 * 1e6):06d}\r\n\r\n".encode())
                    self.wfile.write(jpeg)
                    time.sleep(1 / fps)
            except OSError:
                pass

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stream)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def stream_of(shared_dir: Path) -> Iterator:
    servers: list[ThreadingHTTPServer] = []

    def start(frames: list[bytes], fps: float = 10.0) -> str:
        servers.append(camera_web_server(frames, fps))
        return f"http://127.0.0.1:{servers[-1].server_address[1]}/stream"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_mjpeg_source_feeds_the_live_pipeline(capture_node, stream_of, shared_dir: Path) -> None:
    face = photo_path(shared_dir, "Bill_Gates", 3).read_bytes()
    url = stream_of([face, b"\xff\xd8 truncated", b"\xff\xd8" + b"\x00" * (70 * 1024) + b"\xff\xd9"])
    reply = capture_node.capture.AddSource(pb.AddSourceRequest(camera_id="esp-web", url=url), metadata=capture_node.auth)
    assert (reply.camera.state, reply.camera.source_kind) == (pb.CAMERA_STATE_PAIRED, pb.SOURCE_KIND_MJPEG)
    assert wait_until(lambda: [r for r in capture_node.results_of("esp-web") if r.kind == "MATCH"], 5.0), \
        capture_node.node.capture.admin.cameras()
    status = next(c for c in capture_node.node.capture.admin.cameras() if c.camera_id == "esp-web")
    assert status.frames_received >= 3 and status.frames_corrupt >= 1 and status.frames_oversized >= 1
    assert status.address == url and status.fps > 0
    assert capture_node.node.capture.admin.latest_frame("esp-web").jpeg == face
    capture_node.capture.RemoveCamera(pb.RemoveCameraRequest(camera_id="esp-web"), metadata=capture_node.auth)
    assert "esp-web" not in [c.camera_id for c in capture_node.node.capture.admin.cameras()]


def test_multipart_parts_without_content_length() -> None:
    body = (b"--frame\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8one\r\n\xff\xd9\r\n"
            b"--frame\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8two\xff\xd9\r\n--frame--\r\n")
    assert boundary_of('multipart/x-mixed-replace; boundary="frame"') == b"frame"
    assert list(iter_parts(io.BytesIO(body), b"frame", 1024)) == [b"\xff\xd8one\r\n\xff\xd9", b"\xff\xd8two\xff\xd9"]
    assert list(iter_parts(io.BytesIO(body), b"frame", 4)) == [None, None]
