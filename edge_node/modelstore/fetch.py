"""Installing model files into a models directory: copy from a local directory or download."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edge_node.modelstore.derive import DERIVATIONS
from edge_node.modelstore.manifest import DEFAULT_MANIFEST, Manifest, ModelEntry, load_manifest, sha256_file

_TIMEOUT_S = 60


class FetchError(RuntimeError):
    """A model could not be installed (source missing, download failed, checksum mismatch)."""


@dataclass(frozen=True)
class FetchResult:
    name: str
    path: Path
    action: str  # "present", "copied", "downloaded", "derived", "skipped" (optional, no URL)


def _atomic_write(dest: Path, data_source: Callable[[Path], None], entry: ModelEntry) -> None:
    """Write via a temp file in ``dest``'s directory, check sha256, then rename into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        data_source(tmp)
        got = sha256_file(tmp)
        if got != entry.sha256:
            raise FetchError(f"{entry.name}: sha256 {got} does not match the manifest's {entry.sha256}; not installed")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _download(url: str, limit: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "edge-node-models-fetch"})
    with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:  # noqa: S310 (https URLs from the manifest)
        data = response.read(limit + 1)
    if len(data) > limit:
        raise FetchError(f"{url}: larger than the expected {limit} bytes")
    return data


def _download_any(entry: ModelEntry, sha256: str, size: int) -> bytes:
    """Download from the first URL that yields the expected bytes."""
    errors = []
    for url in entry.urls:
        try:
            data = _download(url, size)
        except (OSError, FetchError) as exc:
            errors.append(f"{url}: {exc}")
            continue
        if hashlib.sha256(data).hexdigest() == sha256:
            return data
        errors.append(f"{url}: sha256 mismatch")
    raise FetchError(f"{entry.name}: no URL gave the expected file:\n  " + "\n  ".join(errors)
                     + "\ncopy the files from a local directory instead: edge-node models fetch --from DIR")


def _from_urls(entry: ModelEntry) -> tuple[bytes, str]:
    if entry.derive is None:
        return _download_any(entry, entry.sha256, entry.bytes), "downloaded"
    transform = DERIVATIONS.get(entry.derive)
    if transform is None or entry.parent_sha256 is None or entry.parent_bytes is None:
        raise FetchError(f"{entry.name}: cannot derive with {entry.derive!r}; use edge-node models fetch --from DIR")
    parent = _download_any(entry, entry.parent_sha256, entry.parent_bytes)
    return transform(parent), "derived"


def fetch(dest: Path, source_dir: Path | None = None, manifest: Manifest | None = None) -> list[FetchResult]:
    """Install every manifest model into ``dest``; files already present with the right hash are kept.

    With ``source_dir`` files are copied from it (same relative layout); otherwise they are
    downloaded from the manifest URLs (derived files: parent downloaded, then transformed);
    optional files without a URL (LiteRT conversions) are then skipped, and with ``source_dir``
    they are copied when the source has them. Every file is sha256-checked before the atomic
    rename into place.
    """
    manifest = manifest or load_manifest(DEFAULT_MANIFEST)
    dest = Path(dest).expanduser()
    results = []
    for entry in manifest.models:
        target = dest / entry.file
        if target.is_file() and sha256_file(target) == entry.sha256:
            results.append(FetchResult(entry.name, target, "present"))
            continue
        if source_dir is not None:
            src = Path(source_dir).expanduser() / entry.file
            if not src.is_file() and entry.optional:
                results.append(FetchResult(entry.name, target, "skipped"))
                continue
            if not src.is_file():
                raise FetchError(f"{entry.name}: {src} does not exist; check --from")
            _atomic_write(target, lambda tmp, s=src: shutil.copyfile(s, tmp), entry)
            results.append(FetchResult(entry.name, target, "copied"))
            continue
        if entry.optional and not entry.urls:
            results.append(FetchResult(entry.name, target, "skipped"))
            continue
        data, action = _from_urls(entry)
        _atomic_write(target, lambda tmp, d=data: tmp.write_bytes(d), entry)
        results.append(FetchResult(entry.name, target, action))
    return results
