"""The README's two commands in a fresh Debian 12 root: a clone of one commit at /srv/edge-node with the shared
material bound read-only at /srv/shared; `./scripts/setup` with the network (apt, npm, PyPI), then the demo and
`./scripts/test` in a network namespace of their own (only `lo`), so nothing of this machine, such as its
PostgreSQL on 127.0.0.1:5432, can be reached."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tools.debroot.root import chroot

CLONE, SHARED = "/srv/edge-node", "/srv/shared"
ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The last line pytest prints: "==== 812 passed, 3 skipped in 1534.20s (0:25:34) ====".
SUMMARY = re.compile(r"^=+ (.*\d+ (passed|failed|error|errors|skipped).*) =+$")


@dataclass
class Step:
    """One thing that ran in the root: its key (setup, demo, tests), what ran, whether it did what the README
    promises, how long, and a note."""
    key: str
    name: str
    ok: bool
    seconds: float
    note: str = ""


@dataclass
class DemoWatch:
    """The demo's output, read line by line on a thread: set when it enrolled its people and recorded a punch."""
    lines: list[str] = field(default_factory=list)
    enrolled: threading.Event = field(default_factory=threading.Event)
    punched: threading.Event = field(default_factory=threading.Event)

    def read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("enrolled: "):
                self.enrolled.set()
            if line.lstrip().startswith("event ") and self.enrolled.is_set():
                self.punched.set()


def clone(repo: Path, commit: str, root: Path) -> None:
    """`git clone` the repository into the root and check out `commit`."""
    target = root / CLONE.lstrip("/")
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(repo), str(target)], check=True, timeout=600)
    subprocess.run(["git", "-C", str(target), "checkout", "--quiet", "--detach", commit], check=True, timeout=600)


def bind_read_only(source: Path, point: Path) -> None:
    point.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "--bind", str(source), str(point)], check=True, timeout=30)
    subprocess.run(["mount", "-o", "remount,bind,ro", str(point)], check=True, timeout=30)


def unmount(point: Path) -> None:
    subprocess.run(["umount", "--lazy", str(point)], check=False, timeout=30)


def isolated(root: Path, command: str, cwd: str = CLONE) -> list[str]:
    """argv running `command` (bash, in `cwd`) in the root inside new network and mount namespaces with only
    `lo` up, a /dev/shm of its own (chromium needs one), and a clean environment. Every step execs, so the pid
    of the returned process is the command's own (a signal sent to it reaches the command)."""
    env = f"PATH={ROOT_PATH} HOME=/root LANG=C.UTF-8 PYTHONUNBUFFERED=1 TERM=xterm"
    inner = f"cd {shlex.quote(cwd)} && exec {command}"
    outer = (f"ip link set lo up && mount -t tmpfs -o mode=1777 shm {shlex.quote(str(root / 'dev/shm'))} && "
             f"exec chroot {shlex.quote(str(root))} /usr/bin/env -i {env} /bin/bash -c {shlex.quote(inner)}")
    return ["unshare", "--net", "--mount", "--", "/bin/sh", "-c", outer]


def run_setup(root: Path, log: Path) -> Step:
    """./scripts/setup in the root with this machine's network (apt, npm and PyPI)."""
    start = time.monotonic()
    done = chroot(root, "/bin/bash", "-c", f"cd {CLONE} && ./scripts/setup", timeout=3600, merge_output=True)
    output = done.stdout
    log.write_text(output)
    last = output.strip().splitlines()[-1] if output.strip() else ""
    return Step("setup", "./scripts/setup (with network)", done.returncode == 0, time.monotonic() - start, last)


def run_demo(root: Path, log: Path, timeout: float = 900) -> Step:
    """.venv/bin/edge-node demo, isolated: wait for its enrolments and a punch, then SIGINT and a clean exit."""
    start = time.monotonic()
    proc = subprocess.Popen(isolated(root, ".venv/bin/edge-node demo"), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    watch = DemoWatch()
    reader = threading.Thread(target=watch.read, args=(proc.stdout,), daemon=True)
    reader.start()
    punched = _wait(watch.punched, proc, timeout)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    reader.join(timeout=10)
    log.write_text("\n".join(watch.lines) + "\n")
    ok = punched and code == 0
    events = sum(1 for line in watch.lines if line.lstrip().startswith("event "))
    note = (f"enrolled={watch.enrolled.is_set()} punches_seen={events} exit={code}"
            + ("" if ok else f"; last: {watch.lines[-1] if watch.lines else '(no output)'}"))
    return Step("demo", ".venv/bin/edge-node demo (isolated; SIGINT after a punch)", ok, time.monotonic() - start,
                note)


def _wait(event: threading.Event, proc: subprocess.Popen, timeout: float) -> bool:
    """Wait for `event` until `timeout`, giving up early if the process ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if event.wait(timeout=1.0):
            return True
        if proc.poll() is not None:
            return event.is_set()
    return False


def run_tests(root: Path, log: Path, progress: Callable[[str], None]) -> tuple[Step, dict[str, int]]:
    """./scripts/test, isolated, its output to `log`; the step and the counts of pytest's summary line."""
    start = time.monotonic()
    with log.open("w") as out:
        code = subprocess.run(isolated(root, "./scripts/test"), stdout=out, stderr=subprocess.STDOUT).returncode
    summary = next((m.group(1) for line in reversed(log.read_text().splitlines())
                    if (m := SUMMARY.match(line.strip()))), "")
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|errors?|skipped)", summary)}
    progress(f"pytest: {summary or '(no summary line)'}")
    step = Step("tests", "./scripts/test (isolated)", code == 0, time.monotonic() - start, summary or f"exit {code}")
    return step, counts

