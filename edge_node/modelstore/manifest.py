"""Loading ``models/manifest.toml``."""

from __future__ import annotations

import hashlib
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "models" / "manifest.toml",  # source checkout / editable install
    Path(sys.prefix) / "share" / "edge-node" / "models" / "manifest.toml",  # installed by setup.cfg data_files
)
DEFAULT_MANIFEST = next((p for p in _CANDIDATES if p.exists()), _CANDIDATES[0])


@dataclass(frozen=True)
class ModelEntry:
    """One model file: where it lives under a models directory and how to get/check it."""

    name: str
    role: str
    file: str
    sha256: str
    bytes: int
    input: str
    input_shape: tuple[int, ...]
    urls: tuple[str, ...]
    crop_scale: float | None = None
    derive: str | None = None
    parent_sha256: str | None = None
    parent_bytes: int | None = None
    # Name of the ONNX model this file is a LiteRT conversion of (None for ONNX models).
    converted_from: str | None = None

    # Why the file may be absent (no public URL; only some settings need it); "" = required.
    optional_for: str = ""

    @property
    def optional(self) -> bool:
        return bool(self.optional_for)

    @property
    def model_id(self) -> str:
        """Short stable id for templates: model name + sha256 prefix."""
        return f"{self.name}-{self.sha256[:12]}"


@dataclass(frozen=True)
class Manifest:
    models: tuple[ModelEntry, ...]

    def get(self, name: str) -> ModelEntry:
        for m in self.models:
            if m.name == name:
                return m
        raise KeyError(f"model {name!r} is not in the manifest")

    def conversion_of(self, name: str) -> ModelEntry | None:
        """The LiteRT conversion of the ONNX model ``name``, or None if there is none."""
        return next((m for m in self.models if m.converted_from == name), None)

    def by_file(self, path: Path) -> tuple[ModelEntry, Path] | None:
        """The entry whose ``file`` ends ``path``, with the models directory it lies in."""
        for m in self.models:
            parts = Path(m.file).parts
            if path.parts[-len(parts):] == parts:
                return m, Path(*path.parts[: -len(parts)]) if len(path.parts) > len(parts) else Path(".")
        return None


def load_manifest(path: Path = DEFAULT_MANIFEST) -> Manifest:
    """Parse the manifest TOML into entries."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    entries = []
    for raw in data["model"]:
        entries.append(
            ModelEntry(
                name=raw["name"],
                role=raw["role"],
                file=raw["file"],
                sha256=raw["sha256"].lower(),
                bytes=int(raw["bytes"]),
                input=raw["input"],
                input_shape=tuple(int(v) for v in raw["input_shape"]),
                urls=tuple(raw.get("urls", ())),
                crop_scale=raw.get("crop_scale"),
                derive=raw.get("derive"),
                parent_sha256=raw.get("parent_sha256"),
                parent_bytes=raw.get("parent_bytes"),
                converted_from=raw.get("converted_from"),
                # Conversions are only needed by the LiteRT backend and have no public URL.
                optional_for=raw.get("optional_for", "the litert backend" if raw.get("converted_from") else ""),
            )
        )
    return Manifest(models=tuple(entries))


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
