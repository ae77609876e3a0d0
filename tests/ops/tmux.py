"""A private tmux server running one command in an 80×24 pane (tests only)."""
from __future__ import annotations

import shlex
import subprocess
import time
from pathlib import Path


class Tmux:
    def __init__(self, socket_dir: Path, command: list[str], width: int = 80, height: int = 24) -> None:
        self._socket = str(socket_dir / "tmux.sock")
        # The shell records the exit code in a file: tmux 3.3 sometimes leaves #{pane_dead_status} empty, and
        # a line printed after a full-screen program may not survive the switch back from the alternate screen.
        self._exit_file = socket_dir / "exit-status"
        self._exit_file.unlink(missing_ok=True)
        wrapped = ["sh", "-c", f"{shlex.join(command)}; echo $? > {shlex.quote(str(self._exit_file))}"]
        self._tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), "-E", *wrapped)
        self._tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self._socket, "-f", "/dev/null", *args], check=True,
                              capture_output=True, text=True, timeout=10).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, *texts: str, timeout: float = 15.0) -> str:
        """The screen once it shows every one of `texts`; fails with the last screen otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"screen never showed {texts}:\n{screen}")
            time.sleep(0.2)

    def send_keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def exit_status(self) -> int | None:
        """The command's exit status once it ended, else None."""
        text = self._exit_file.read_text().strip() if self._exit_file.exists() else ""
        return int(text) if text.isdigit() else None

    def kill(self) -> None:
        subprocess.run(["tmux", "-S", self._socket, "kill-server"], capture_output=True, timeout=10)
