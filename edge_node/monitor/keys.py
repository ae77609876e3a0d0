"""Single key presses from the terminal without Enter (cbreak mode), restored on exit."""
from __future__ import annotations

import os
import select
import sys
import termios
import tty
from types import TracebackType


class KeyReader:
    """Context manager; `read(timeout)` returns one typed character or "" after `timeout` seconds."""

    def __init__(self) -> None:
        self._fd = sys.stdin.fileno() if sys.stdin.isatty() else -1
        self._saved: list | None = None

    def __enter__(self) -> KeyReader:
        if self._fd >= 0:
            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd)
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._saved is not None:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def read(self, timeout: float) -> str:
        if self._fd < 0:
            select.select([], [], [], timeout)
            return ""
        ready, _, _ = select.select([self._fd], [], [], timeout)
        return os.read(self._fd, 1).decode(errors="replace") if ready else ""
