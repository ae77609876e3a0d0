"""Model manifest, verification, fetch --from, derivation and fail-closed loading."""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

import pytest

from edge_node.modelstore import FetchError, ModelsUnavailable, fetch, load_manifest, require, verify
from edge_node.cli.models import register
from edge_node.modelstore.derive import drop_unused_graph_inputs
from edge_node.vision import FacePipeline


@pytest.fixture(scope="module")
def installed(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("models")
    results = fetch(dest, source_dir=models_dir)
    assert {r.action for r in results} == {"copied"}
    return dest


def test_manifest_matches_shared_models(models_dir: Path) -> None:
    report = verify(models_dir)
    assert report.all_ok and not report.absent_optional and len(report.ok) == len(load_manifest().models)
    conversions = {m.converted_from for m in load_manifest().models if m.converted_from}
    assert conversions == {"yunet_2023mar", "yunet_320", "sface_int8bq", "minifasnet_v2", "minifasnet_v1se"}
    assert all(m.optional and m.file.endswith(".tflite") for m in load_manifest().models if m.converted_from)
    assert {m.name for m in load_manifest().models if m.optional and not m.converted_from} == {"reid0095"}
    assert all(not m.urls for m in load_manifest().models if m.optional)
    for entry in load_manifest().models:
        assert (models_dir / entry.file).stat().st_size == entry.bytes


def test_fetch_from_copies_verified_files_and_is_idempotent(installed: Path, models_dir: Path) -> None:
    assert verify(installed).all_ok
    assert (installed / "ort_compat" / "face_recognition_sface_2021dec_int8bq_ort.onnx").is_file()
    assert {r.action for r in fetch(installed, source_dir=models_dir)} == {"present"}
    assert not list(installed.rglob(".*"))  # no temp files left behind


def test_corrupt_or_missing_models_fail_closed(installed: Path, tmp_path: Path) -> None:
    broken = tmp_path / "models"
    shutil.copytree(installed, broken)
    liveness = broken / load_manifest().get("minifasnet_v2").file
    liveness.write_bytes(liveness.read_bytes()[:-1] + b"\0")
    (broken / load_manifest().get("sface_int8bq").file).unlink()
    report = verify(broken)
    assert [m.name for m in report.missing] == ["sface_int8bq"]
    assert [m.name for m, _ in report.bad_checksum] == ["minifasnet_v2"]
    with pytest.raises(ModelsUnavailable, match="(?s)missing.*checksum mismatch.*edge-node models fetch"):
        FacePipeline.from_models_dir(broken)
    with pytest.raises(ModelsUnavailable):
        require(tmp_path / "nowhere", ["yunet_dynamic"])


def test_fetch_refuses_bad_source(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for entry in load_manifest().models:
        (source / entry.file).parent.mkdir(parents=True, exist_ok=True)
        (source / entry.file).write_bytes(b"not the model")
    with pytest.raises(FetchError, match="sha256"):
        fetch(tmp_path / "dest", source_dir=source)
    assert not any(p.is_file() for p in (tmp_path / "dest").rglob("*"))
    with pytest.raises(FetchError, match="does not exist"):
        fetch(tmp_path / "dest", source_dir=tmp_path / "empty")


def test_derivation_reproduces_the_ort_compat_sface(shared_dir: Path) -> None:
    entry = load_manifest().get("sface_int8bq")
    parent = (shared_dir / "models" / "face_recognition_sface_2021dec_int8bq.onnx").read_bytes()
    assert hashlib.sha256(parent).hexdigest() == entry.parent_sha256
    assert hashlib.sha256(drop_unused_graph_inputs(parent)).hexdigest() == entry.sha256


def test_cli_commands(installed: Path, models_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="edge-node")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["models", "verify", "--dir", str(installed)])
    assert args.func(args) == 0
    args = parser.parse_args(["models", "verify", "--dir", str(tmp_path)])
    assert args.func(args) == 1
    assert "edge-node models fetch" in capsys.readouterr().out
    args = parser.parse_args(["models", "fetch", "--from", str(models_dir), "--dest", str(tmp_path / "m")])
    assert args.func(args) == 0 and verify(tmp_path / "m").all_ok


def test_litert_files_are_optional_but_checked(models_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    manifest = load_manifest()
    source = tmp_path / "onnx_only"
    for entry in manifest.models:
        if not entry.optional:
            (source / entry.file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(models_dir / entry.file, source / entry.file)
    dest = tmp_path / "dest"
    results = {r.name: r.action for r in fetch(dest, source_dir=source)}
    assert {results[m.name] for m in manifest.models if m.optional} == {"skipped"}
    report = verify(dest)
    assert report.all_ok and {m.name for m in report.absent_optional} == {m.name for m in manifest.models if m.optional}
    with pytest.raises(ModelsUnavailable, match="sface_litert"):
        require(dest, ["sface_litert"])
    parser = argparse.ArgumentParser(prog="edge-node")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["models", "verify", "--dir", str(dest)])
    assert args.func(args) == 0
    assert "optional: only for the litert backend" in capsys.readouterr().out
    tflite = dest / manifest.get("sface_litert").file
    tflite.parent.mkdir(parents=True, exist_ok=True)
    tflite.write_bytes(b"not a model")
    assert [m.name for m, _ in verify(dest).bad_checksum] == ["sface_litert"]
