"""Collects one NodeStatus from a running node's parts (capture, recognition, attendance, sync, host)."""
from __future__ import annotations

import time
from importlib import metadata

from edge_node.attendance.log import EventFilter
from edge_node.attendance.verify import VerifyResult
from edge_node.modelstore.manifest import DEFAULT_MANIFEST, load_manifest
from edge_node.node import Node
from edge_node.recognition.factory import vision_config
from edge_node.setup_warnings import setup_warnings
from edge_node.status.host import HostSampler
from edge_node.status.model import ModelVersion, NodeStatus, RecognitionStatus, StageLatency
from edge_node.vision.pipeline import FUSION_MODEL, LIVENESS_MODELS, RECOGNIZER_MODEL

RECENT_EVENTS = 8


class StatusCollector:
    """Takes snapshots of one node; keep one per node so CPU usage is measured between snapshots."""

    def __init__(self, node: Node) -> None:
        self._node = node
        self._started = time.monotonic()
        self._host = HostSampler(node.data_dir)
        self._version = metadata.version("edge-node")
        self._models = _model_versions(node)
        self._warnings = tuple(setup_warnings(node.config))

    def snapshot(self) -> NodeStatus:
        node = self._node
        capture = getattr(node, "capture", None)
        events, _ = node.store.log.list(EventFilter(), RECENT_EVENTS)
        stages = tuple(StageLatency(stage, p50, p95)
                       for stage, (p50, p95) in sorted(node.stage_latency.percentiles(50, 95).items()))
        return NodeStatus(
            taken_at=node.store.clock.now(), version=self._version, uptime_seconds=time.monotonic() - self._started,
            cameras=tuple(capture.admin.cameras()) if capture is not None else (), stages=stages,
            recent_events=tuple(events), recognition=self._recognition(),
            sync=node.sync.status() if node.sync is not None else None, host=self._host.sample(),
            warnings=(*self._warnings, *log_warnings(node.store.integrity.current())),
            clock=node.store.trusted_time.state())

    def _recognition(self) -> RecognitionStatus:
        engine = self._node.recognition
        if engine is None:
            return RecognitionStatus(enabled=False, error=self._node.recognition_error)
        return RecognitionStatus(enabled=True, model_id=engine.model_id, template_count=len(engine.gallery),
                                 person_count=engine.gallery.persons(), models=self._models,
                                 match_threshold=engine.match_threshold)


def _model_versions(node: Node) -> tuple[ModelVersion, ...]:
    """The model files recognition loads, as named in the manifest (empty when recognition is off)."""
    if node.recognition is None:
        return ()
    manifest = load_manifest(DEFAULT_MANIFEST)
    roles = [("detector", vision_config(node.config.recognition).detector_model), ("recognizer", RECOGNIZER_MODEL),
             *((("recognizer", FUSION_MODEL),) if node.recognition.second_recogniser else ()),
             *(("liveness", name) for name in LIVENESS_MODELS)]
    return tuple(ModelVersion(role, name, manifest.get(name).sha256[:12]) for role, name in roles)


def log_warnings(state: VerifyResult) -> tuple[str, ...]:
    """A broken attendance log, as one sentence an admin can act on."""
    if state.ok:
        return ()
    return (f"the attendance log is BROKEN at event {state.broken.seq}: {state.broken.problem}; timecards are marked "
            "BROKEN_LOG until this is explained (run `edge-node log verify`, compare with the hub's copy)",)
