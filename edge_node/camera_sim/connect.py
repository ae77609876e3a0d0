"""The firmware's HTTP client side: Connect unary calls with binary protobuf over one keep-alive connection."""
from __future__ import annotations

import http.client
import json
from typing import TypeVar

from google.protobuf.message import Message

PREFIX = "/edge.capture.v1.CaptureService/"
# What the firmware does on these codes: back to Hello (auth), drop the frame (invalid_argument).
AUTH_CODES = ("unauthenticated", "permission_denied", "not_found", "failed_precondition")
M = TypeVar("M", bound=Message)


class ConnectError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class ConnectClient:
    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self._conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def call(self, method: str, request: Message, reply_type: type[M]) -> M:
        return reply_type.FromString(self.post(method, request.SerializeToString()))

    def post(self, method: str, body: bytes, content_type: str = "application/proto") -> bytes:
        """POST raw bytes; the reply body on 200, else ConnectError (network errors propagate)."""
        try:
            self._conn.request("POST", PREFIX + method, body, {"Content-Type": content_type})
            response = self._conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self._conn.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self._conn.close()
        if response.status == 200:
            return data
        try:
            error = json.loads(data)
            code, message = str(error.get("code", "unknown")), str(error.get("message", ""))
        except ValueError:
            code, message = "unknown", data[:200].decode("latin-1")
        raise ConnectError(response.status, code, message)

    def close(self) -> None:
        self._conn.close()
