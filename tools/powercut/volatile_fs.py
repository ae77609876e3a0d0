"""A FUSE file system that loses every write not yet fsync'd when the plug is pulled (after LazyFS).

Files live in memory. Each file keeps what a reader sees now and what is on "disk": writes and truncates
reach the disk copy only when the file is fsync'd. Unmounting is the power cut: the disk copies are written
to the image directory, and whatever was written but never fsync'd is gone. Creating, renaming and deleting
files is durable at once (a journalled file system's metadata); only file contents are volatile.
One flat directory (no subdirectories), which is all a node's SQLite files need.

  python -m tools.powercut.volatile_fs IMAGE_DIR MOUNTPOINT    (runs until `fusermount3 -u MOUNTPOINT`)
"""
from __future__ import annotations

import errno
import os
import stat
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import mfusepy as fuse


@dataclass
class VolatileFile:
    """The contents a reader sees, the contents on disk, and the changes between them in order."""
    current: bytearray
    durable: bytearray
    pending: list[tuple[int, bytes | None, int]] = field(default_factory=list)  # (offset, data) or (-1, None, size)
    mode: int = 0o644
    mtime: int = field(default_factory=time.time_ns)

    def write(self, data: bytes, offset: int) -> None:
        _write_into(self.current, data, offset)
        self.pending.append((offset, bytes(data), 0))
        self.mtime = time.time_ns()

    def truncate(self, length: int) -> None:
        _truncate(self.current, length)
        self.pending.append((-1, None, length))
        self.mtime = time.time_ns()

    def sync(self) -> None:
        """fsync: every change so far reaches the disk copy."""
        for offset, data, length in self.pending:
            if data is None:
                _truncate(self.durable, length)
            else:
                _write_into(self.durable, data, offset)
        self.pending.clear()


def _write_into(buffer: bytearray, data: bytes, offset: int) -> None:
    if offset > len(buffer):
        buffer.extend(b"\0" * (offset - len(buffer)))
    buffer[offset:offset + len(data)] = data


def _truncate(buffer: bytearray, length: int) -> None:
    if length < len(buffer):
        del buffer[length:]
    else:
        buffer.extend(b"\0" * (length - len(buffer)))


class VolatileFS(fuse.Operations):
    """The FUSE operations over a dict of VolatileFile, serialised by one lock."""

    use_ns = True

    def __init__(self, image: Path) -> None:
        self.image = image
        self.files: dict[str, VolatileFile] = {}
        self._guard = threading.Lock()
        self.started = time.time_ns()
        for path in image.iterdir():
            content = path.read_bytes()
            self.files["/" + path.name] = VolatileFile(bytearray(content), bytearray(content),
                                                       mode=stat.S_IMODE(path.stat().st_mode))

    def save_image(self) -> None:
        """What survives the power cut: each file's disk copy, written to the image directory."""
        for path in self.image.iterdir():
            if "/" + path.name not in self.files:
                path.unlink()
        for name, entry in self.files.items():
            target = self.image / name.lstrip("/")
            target.write_bytes(bytes(entry.durable))
            os.chmod(target, entry.mode)

    def _file(self, path: str) -> VolatileFile:
        entry = self.files.get(path)
        if entry is None:
            raise fuse.FuseOSError(errno.ENOENT)
        return entry

    def getattr(self, path: str, fh: int | None = None) -> dict:
        with self._guard:
            if path == "/":
                return {"st_mode": stat.S_IFDIR | 0o755, "st_nlink": 2, "st_mtime": self.started,
                        "st_ctime": self.started, "st_atime": self.started, "st_uid": os.getuid(), "st_gid": os.getgid()}
            entry = self._file(path)
            return {"st_mode": stat.S_IFREG | entry.mode, "st_nlink": 1, "st_size": len(entry.current),
                    "st_mtime": entry.mtime, "st_ctime": entry.mtime, "st_atime": entry.mtime,
                    "st_uid": os.getuid(), "st_gid": os.getgid()}

    def readdir(self, path: str, fh: int) -> list[str]:
        with self._guard:
            return [".", "..", *(name.lstrip("/") for name in self.files)]

    def create(self, path: str, mode: int, fi: object = None) -> int:
        with self._guard:
            if path.count("/") != 1:
                raise fuse.FuseOSError(errno.EPERM)
            self.files.setdefault(path, VolatileFile(bytearray(), bytearray(), mode=stat.S_IMODE(mode)))
            return 0

    def open(self, path: str, flags: int) -> int:
        with self._guard:
            self._file(path)
            return 0

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        with self._guard:
            return bytes(self._file(path).current[offset:offset + size])

    def write(self, path: str, data: bytes, offset: int, fh: int) -> int:
        with self._guard:
            self._file(path).write(data, offset)
            return len(data)

    def truncate(self, path: str, length: int, fh: int | None = None) -> int:
        with self._guard:
            self._file(path).truncate(length)
            return 0

    def fsync(self, path: str, datasync: int, fh: int) -> int:
        with self._guard:
            self._file(path).sync()
            return 0

    def fsyncdir(self, path: str, datasync: int, fh: int) -> int:
        return 0

    def flush(self, path: str, fh: int) -> int:
        return 0

    def release(self, path: str, fh: int) -> int:
        return 0

    def unlink(self, path: str) -> int:
        with self._guard:
            self._file(path)
            del self.files[path]
            return 0

    def rename(self, old: str, new: str) -> int:
        with self._guard:
            self.files[new] = self._file(old)
            del self.files[old]
            return 0

    def chmod(self, path: str, mode: int) -> int:
        with self._guard:
            self._file(path).mode = stat.S_IMODE(mode)
            return 0

    def chown(self, path: str, uid: int, gid: int) -> int:
        return 0

    def utimens(self, path: str, times: tuple[int, int] | None = None) -> int:
        return 0

    def statfs(self, path: str) -> dict[str, int]:
        return {"f_bsize": 4096, "f_frsize": 4096, "f_blocks": 1 << 20, "f_bfree": 1 << 19, "f_bavail": 1 << 19,
                "f_files": 1 << 16, "f_ffree": 1 << 15, "f_namemax": 255}


def main(argv: list[str]) -> int:
    image, mountpoint = Path(argv[0]), argv[1]
    filesystem = VolatileFS(image)
    fuse.FUSE(filesystem, mountpoint, foreground=True, nothreads=False)
    filesystem.save_image()  # unmounted: the plug was pulled
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
