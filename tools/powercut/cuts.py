"""Power cuts under load: mount the volatile file system, record scans on it, pull the plug at a random
moment (kill the writer and unmount: every write not fsync'd is lost), then check the disk that is left
the way a rebooted box would find it: every acknowledged scan there, `PRAGMA integrity_check` ok."""
from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DB_NAME = "edge-node.db"
MOUNT_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class CutOptions:
    cuts: int = 20
    synchronous: str = "FULL"
    min_gap: float = 0.3  # seconds of load before a cut
    max_gap: float = 1.5
    seed: int = 0


@dataclass
class CutResult:
    cuts: int = 0
    acked: int = 0
    lost: int = 0
    integrity_ok: bool = True
    cuts_losing: int = 0  # cuts after which some acknowledged scan was missing
    integrity: list[str] = field(default_factory=list)


class _Lines:
    """Reads a child's stdout lines on a thread, so the parent can wait for one without blocking."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.lines.append(line.strip())
            if line.startswith("ready"):
                self.ready.set()

    def drain(self) -> list[str]:
        """All lines, once the child has exited and its pipe is empty."""
        self._thread.join(timeout=10)
        return self.lines


def _mount(image: Path, mountpoint: Path, log: Path) -> subprocess.Popen:
    with log.open("ab") as stderr:
        daemon = subprocess.Popen([sys.executable, "-m", "tools.powercut.volatile_fs", str(image), str(mountpoint)],
                                  cwd=REPO, stderr=stderr)
    deadline = time.monotonic() + MOUNT_TIMEOUT_S
    while not os.path.ismount(mountpoint):
        if daemon.poll() is not None or time.monotonic() > deadline:
            daemon.kill()
            raise RuntimeError(f"the volatile file system did not mount on {mountpoint} (exit {daemon.poll()})")
        time.sleep(0.05)
    return daemon


def _unmount(mountpoint: Path, daemon: subprocess.Popen) -> None:
    """Pull the plug: unmount; the daemon writes only what was fsync'd to the image and exits."""
    subprocess.run(["fusermount3", "-u", str(mountpoint)], check=True)
    if daemon.wait(timeout=60) != 0:
        raise RuntimeError(f"the volatile file system exited with {daemon.returncode}")


def _one_cut(image: Path, mountpoint: Path, options: CutOptions, number: int, rng: random.Random) -> list[str]:
    """Run the load on the mounted image and cut the power; the markers of the scans acknowledged."""
    daemon = _mount(image, mountpoint, mountpoint.parent / "volatile_fs.log")
    try:
        writer = subprocess.Popen([sys.executable, "-m", "tools.powercut.workload", str(mountpoint / DB_NAME),
                                   options.synchronous, str(number)], cwd=REPO, stdout=subprocess.PIPE, text=True)
        lines = _Lines(writer)
        if not lines.ready.wait(60):
            writer.kill()
            raise RuntimeError("the scan writer did not start")
        time.sleep(rng.uniform(options.min_gap, options.max_gap))  # the moment of the cut (the fault, not a sync)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        acked = [line.split()[1] for line in lines.drain() if line.startswith("ACK ")]
    finally:
        _unmount(mountpoint, daemon)
    return acked


def _check(image: Path, scratch: Path) -> tuple[set[str], str]:
    """Open a copy of the disk left after the cut (SQLite recovers as on boot): markers present, integrity."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(image, scratch)
    conn = sqlite3.connect(scratch / DB_NAME)
    try:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        # With NORMAL a cut before the first checkpoint loses even the tables: then nothing is present.
        has_events = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'event'").fetchone()[0]
        present = {row[0] for row in conn.execute("SELECT camera_id FROM event")} if has_events else set()
    finally:
        conn.close()
    return present, integrity


def run_cuts(work: Path, options: CutOptions) -> CutResult:
    image, mountpoint, scratch = work / "disk", work / "mnt", work / "after-cut"
    image.mkdir(parents=True, exist_ok=True)
    mountpoint.mkdir(exist_ok=True)
    rng = random.Random(options.seed)
    result = CutResult()
    acked: set[str] = set()
    for number in range(options.cuts):
        acked.update(_one_cut(image, mountpoint, options, number, rng))
        present, integrity = _check(image, scratch)
        missing = acked - present
        result.cuts += 1
        result.cuts_losing += bool(missing)
        result.lost = len(missing)
        if integrity != "ok":
            result.integrity_ok = False
            result.integrity.append(integrity)
    result.acked = len(acked)
    return result
