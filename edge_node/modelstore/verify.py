"""Checking a models directory against the manifest; recognition fails closed on any problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from edge_node.modelstore.manifest import DEFAULT_MANIFEST, Manifest, ModelEntry, load_manifest, sha256_file


class ModelsUnavailable(RuntimeError):
    """Required model files are missing or corrupt; the message says which and how to fix it."""


@dataclass
class VerifyReport:
    """Outcome of :func:`verify` for one models directory."""

    models_dir: Path
    ok: list[ModelEntry] = field(default_factory=list)
    missing: list[ModelEntry] = field(default_factory=list)
    bad_checksum: list[tuple[ModelEntry, str]] = field(default_factory=list)

    # Optional files that are absent: not a problem unless what needs them is chosen.
    absent_optional: list[ModelEntry] = field(default_factory=list)

    @property
    def all_ok(self) -> bool:
        return not self.missing and not self.bad_checksum

    def notes(self) -> list[str]:
        """One line per optional file that is not installed."""
        return [f"absent     {m.name:18} {self.models_dir / m.file} (optional: only for {m.optional_for})"
                for m in self.absent_optional]

    def problems(self) -> list[str]:
        """One human-readable line per missing or corrupt file."""
        lines = [f"missing: {self.models_dir / m.file} ({m.name})" for m in self.missing]
        lines += [
            f"checksum mismatch: {self.models_dir / m.file} ({m.name}): sha256 {got[:16]}..., expected {m.sha256[:16]}..."
            for m, got in self.bad_checksum
        ]
        return lines


def verify(models_dir: Path, manifest: Manifest | None = None,
           names: Iterable[str] | None = None) -> VerifyReport:
    """Check every manifest model (or only ``names``) in ``models_dir`` by sha256.

    Without ``names``, an absent optional file is only noted; a named one is required.
    """
    manifest = manifest or load_manifest(DEFAULT_MANIFEST)
    wanted = set(names) if names is not None else None
    report = VerifyReport(models_dir=Path(models_dir))
    for entry in manifest.models:
        if wanted is not None and entry.name not in wanted:
            continue
        path = report.models_dir / entry.file
        if not path.is_file():
            optional = entry.optional and wanted is None
            (report.absent_optional if optional else report.missing).append(entry)
            continue
        got = sha256_file(path)
        if got != entry.sha256:
            report.bad_checksum.append((entry, got))
        else:
            report.ok.append(entry)
    return report


def require(models_dir: Path, names: Iterable[str], manifest: Manifest | None = None) -> dict[str, Path]:
    """Return verified paths of the named models or raise :class:`ModelsUnavailable`."""
    manifest = manifest or load_manifest(DEFAULT_MANIFEST)
    names = [manifest.get(n).name for n in names]
    report = verify(models_dir, manifest, names)
    if not report.all_ok:
        raise ModelsUnavailable(
            "recognition cannot start, model files are not usable:\n  "
            + "\n  ".join(report.problems())
            + f"\nfix: edge-node models fetch --dest {models_dir} [--from DIR]"
        )
    return {m.name: report.models_dir / m.file for m in report.ok}


def installed(models_dir: Path, entry: ModelEntry) -> Path | None:
    """The verified path of an optional model, None when it is absent; a corrupt file raises
    :class:`ModelsUnavailable` (present but wrong is never silently ignored)."""
    if not (Path(models_dir) / entry.file).is_file():
        return None
    return require(models_dir, [entry.name])[entry.name]
