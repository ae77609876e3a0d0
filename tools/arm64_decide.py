"""One run of the arm64 check's fixed set through an installed edge-node: enrol, then recognise.

Runs wherever edge-node is installed (the host's venv, or the appliance's venv in an arm64 root under
qemu-user), so it imports the product only, never ``tools/``. It opens a real node (``edge_node.node.Node``:
SQLite file, person registry, template store, ``RecognitionEngine``) in a fresh data directory, enrols the
set's people through ``RecognitionEngine.enroll`` and decides every probe through
``RecognitionEngine.recognize``, the calls behind the ``Enroll`` and ``Recognize`` RPCs.

Prints JSON lines: first the run (architecture, backend, library versions, thresholds in force), then one
line per enrolment and per decision (person, decision, match score, runner-up, liveness score, stage times).

    python arm64_decide.py --set SET.json --shared DIR --rendered DIR --models DIR --data DIR --backend B

Each item of the set names its file relative to the shared data directory (photos, spoof samples) or to
the directory of probes rendered on the host (camera-grade frames), so both sides read identical bytes.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from edge_node.common.errors import DomainError
from edge_node.config import Config, RecognitionConfig, StorageConfig
from edge_node.node import Node
from edge_node.recognition.engine import RecognitionEngine
from edge_node.recognition.factory import vision_config

BACKENDS = ("onnxruntime", "litert")
LIBRARIES = ("edge-node", "onnxruntime", "ai-edge-litert", "numpy", "opencv-python-headless")


def recognition_settings(backend: str, models: Path) -> RecognitionConfig:
    """Every model on one backend, one thread, one worker: the same settings on both architectures."""
    return RecognitionConfig(models_dir=str(models), threads=1, workers=1, detector_backend=backend,
                             embedder_backend=backend, liveness_backend=backend)


def thresholds(engine: RecognitionEngine, settings: RecognitionConfig) -> dict[str, float]:
    """The decision thresholds in force for the recognisers this engine matches with."""
    config = vision_config(settings)
    match = config.calibrated_match(len(engine.gallery.layout.parts) > 1)
    return {"match": engine.match_threshold, "margin": match.margin, "liveness": config.liveness.threshold,
            "spoof_below": config.liveness.spoof_below}


def versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


def enrol(engine: RecognitionEngine, node: Node, item: dict[str, Any], image: bytes) -> dict[str, Any]:
    """Enrol one person from one photo; the line says whether the photo was accepted."""
    node.store.persons.upsert(item["person"], item["person"].replace("_", " "))
    try:
        outcome = engine.enroll(item["person"], [image])
    except DomainError as exc:
        return {"decision": "REFUSED", "reason": str(exc)}
    enrollment = outcome.items[0].enrollment
    return {"decision": "ENROLLED" if enrollment.accepted else "REFUSED",
            "reason": enrollment.reason}


def recognise(engine: RecognitionEngine, image: bytes) -> dict[str, Any]:
    """Decide one probe; the best and the runner-up score, and the primary face's liveness score."""
    try:
        result = engine.recognize(image, top_k=2).result
    except DomainError as exc:
        return {"decision": "ERROR", "reason": str(exc)}
    face = result.faces[0] if result.faces else None
    matches = face.matches if face else []
    return {"decision": result.decision.value,
            "matched": matches[0].person_id if matches else "",
            "match_score": round(matches[0].score, 6) if matches else None,
            "runner_up": round(matches[1].score, 6) if len(matches) > 1 else None,
            "liveness_score": round(face.liveness.score, 6) if face and face.liveness.checked else None,
            "timings_ms": {stage: round(ms, 2) for stage, ms in result.timings_ms.items()}}


def run(items: list[dict[str, Any]], roots: dict[str, Path], models: Path, data: Path, backend: str) -> None:
    settings = recognition_settings(backend, models)
    node = Node(Config(storage=StorageConfig(data_dir=str(data)), recognition=settings))
    engine = node.recognition
    if engine is None:
        raise SystemExit(f"arm64_decide: recognition did not start: {node.recognition_error}")
    arch = platform.machine()
    print(json.dumps({"run": {"arch": arch, "backend": backend, "python": platform.python_version(),
                              "model": engine.model_id, "versions": versions(),
                              "thresholds": thresholds(engine, settings)}}), flush=True)
    for item in items:
        image = (roots[item["root"]] / item["file"]).read_bytes()
        outcome = enrol(engine, node, item, image) if item["kind"] == "enrol" else recognise(engine, image)
        line = {"arch": arch, "backend": backend, "probe": item["id"], "kind": item["kind"],
                "person": item["person"], **outcome}
        print(json.dumps(line), flush=True)
    node.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, required=True, help="the fixed set (JSON list, enrolments first)")
    parser.add_argument("--shared", type=Path, required=True, help="the shared data directory (read only)")
    parser.add_argument("--rendered", type=Path, required=True, help="the probes rendered on the host")
    parser.add_argument("--models", type=Path, required=True, help="verified models directory")
    parser.add_argument("--data", type=Path, required=True, help="a fresh data directory for the node")
    parser.add_argument("--backend", choices=BACKENDS, required=True)
    args = parser.parse_args(argv)
    if args.data.exists() and any(args.data.iterdir()):
        raise SystemExit(f"arm64_decide: {args.data} is not empty; give a fresh data directory")
    roots = {"shared": args.shared, "rendered": args.rendered}
    run(json.loads(args.set.read_text()), roots, args.models, args.data, args.backend)


if __name__ == "__main__":
    sys.exit(main())
