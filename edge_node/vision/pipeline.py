"""FacePipeline: decode -> detect -> align -> quality -> liveness -> embed -> match."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from edge_node.modelstore import require
from edge_node.modelstore.manifest import DEFAULT_MANIFEST, Manifest, load_manifest
from edge_node.modelstore.verify import installed
from edge_node.vision.align import align_face
from edge_node.vision.backend import OrtBackend, make_backend
from edge_node.vision.config import VisionConfig
from edge_node.vision.decision import Observation, decide
from edge_node.vision.detector import YuNetDetector
from edge_node.vision.embedder import SFaceEmbedder
from edge_node.vision.gallery import Gallery
from edge_node.vision.image_io import decode_image
from edge_node.vision.liveness import LivenessChecker
from edge_node.vision.quality import judge, measure
from edge_node.vision.recognisers import Recognisers
from edge_node.vision.reid import ReidEmbedder
from edge_node.vision.timing import StageClock, StageObserver
from edge_node.vision.types import (
    Box,
    Decision,
    Detection,
    Match,
    Quality,
    QualityIssue,
    RecognitionResult,
)

log = logging.getLogger(__name__)

RECOGNIZER_MODEL = "sface_int8bq"
FUSION_MODEL = "reid0095"
LIVENESS_MODELS = ("minifasnet_v2", "minifasnet_v1se")
# An extra frame's face belongs to the primary face when their boxes overlap at least this much.
_SAME_FACE_IOU = 0.3

Image = bytes | np.ndarray


@dataclass
class Enrollment:
    """Outcome of preparing one enrolment image: ``embedding`` (the probe the gallery compares) and
    ``template`` (what is stored: every installed recogniser) are None when rejected, except for
    an image whose only fault is other faces in it (see :meth:`FacePipeline.enrollment_from`)."""

    accepted: bool
    reason: str
    quality: Quality
    detection: Detection | None = None
    embedding: np.ndarray | None = None
    template: np.ndarray | None = None
    # Best existing person at or above the duplicate threshold (possible duplicate enrolment).
    duplicate_of: Match | None = None
    # The face is the photo's centred subject (``Measures.centred``): a crowded photo alone may enrol it.
    centred: bool = False


@dataclass(frozen=True)
class _BesideChecks:
    """What the thread beside SFace found for one face: its liveness score, the time that took,
    and the second recogniser's embedding (None when not wanted)."""

    liveness: float
    liveness_ms: float
    second: np.ndarray | None


@dataclass(frozen=True)
class FrameView:
    """A frame's largest face, observed ahead of the decision it will join (a burst's stream frame,
    while the camera switches to the HQ frame size)."""

    width: int
    height: int
    observation: Observation


def _scaled(box: Box, sx: float, sy: float) -> Box:
    return Box(box.x * sx, box.y * sy, box.width * sx, box.height * sy)


def _same_face(primary: Box, size: tuple[int, int], ahead: Sequence[FrameView]) -> list[Observation]:
    """The views observed ahead whose face is the primary face (boxes compared scaled to each frame)."""
    found = []
    for view in ahead:
        there = _scaled(primary, view.width / size[0], view.height / size[1])
        if _iou(view.observation.detection.box, there) >= _SAME_FACE_IOU:
            found.append(view.observation)
    return found


def _iou(a: Box, b: Box) -> float:
    iw = max(0.0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x))
    ih = max(0.0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
    inter = iw * ih
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


_NO_FACE_QUALITY = Quality(issues=(QualityIssue.NO_FACE,), eye_distance=0.0, sharpness=0.0,
                           yaw_degrees=0.0, reason="no face found; face the camera")


class FacePipeline:
    """Composes the recognition stages; returns plain dataclasses.

    Not thread-safe (stages reuse input buffers): use one instance per worker thread or
    serialise calls. Each face's liveness and second embedding run on the pipeline's own
    thread beside SFace. The gallery is shared state the caller updates on enrol/delete.
    """

    def __init__(self, detector: YuNetDetector, liveness: LivenessChecker, recognisers: Recognisers,
                 gallery: Gallery, config: VisionConfig = VisionConfig(),
                 observer: StageObserver | None = None) -> None:
        if gallery.model_id != recognisers.matching.model_id:
            raise ValueError(f"gallery matches {gallery.model_id} templates, the recognisers make "
                             f"{recognisers.matching.model_id}")
        self.detector = detector
        self.liveness = liveness
        self.recognisers = recognisers
        self.gallery = gallery
        # The calibrated match settings of the recognisers in use (a threshold set later replaces them).
        self.calibrated_match = config.calibrated_match(recognisers.fused)
        self.config = replace(config, match=self.calibrated_match)
        self.observer = observer
        # Liveness and the second recogniser run here while SFace runs on the caller's thread.
        self._beside = ThreadPoolExecutor(1, thread_name_prefix="face_beside")

    @classmethod
    def from_models_dir(cls, models_dir: Path, config: VisionConfig = VisionConfig(),
                        observer: StageObserver | None = None) -> FacePipeline:
        """Verify the models (sha256) and load them; raises ``ModelsUnavailable`` (fail closed)."""
        manifest = load_manifest(DEFAULT_MANIFEST)
        names = (config.detector_model, RECOGNIZER_MODEL, *LIVENESS_MODELS)
        paths = require(models_dir, names, manifest)
        backend = make_backend(config.backend, config.runtime)
        det_entry = manifest.get(config.detector_model)
        height, width = det_entry.input_shape[2:]
        detector = YuNetDetector(backend.load(paths[det_entry.name]), config.detector,
                                 fixed_size=(width, height) if width > 0 and height > 0 else None)
        liveness = LivenessChecker(
            [(backend.load(paths[n]), float(manifest.get(n).crop_scale or 0.0)) for n in LIVENESS_MODELS],
            config.liveness,
        )
        rec_entry = manifest.get(RECOGNIZER_MODEL)
        embedder = SFaceEmbedder(backend.load(paths[rec_entry.name]), rec_entry.model_id)
        recognisers = Recognisers(embedder, _fusion_recogniser(models_dir, manifest, config), config.fusion)
        return cls(detector, liveness, recognisers, Gallery(recognisers.matching, known_dims=recognisers.known_dims),
                   config, observer)

    @property
    def embedder(self) -> SFaceEmbedder:
        return self.recognisers.sface

    @property
    def model_id(self) -> str:
        """Id of the embedding layout probes are matched in (``template_model_id`` is what is stored)."""
        return self.recognisers.matching.model_id

    @property
    def template_model_id(self) -> str:
        """Id stored with every new template: every recogniser installed here."""
        return self.recognisers.stored.model_id

    def _frame(self, image: Image, clock: StageClock) -> np.ndarray:
        if isinstance(image, np.ndarray):
            return image
        with clock.stage("decode"):
            return decode_image(image, self.config.limits)

    def _detect(self, frame: np.ndarray, clock: StageClock) -> list[Detection]:
        with clock.stage("detect"):
            faces = self.detector.detect(frame)
        return sorted(faces, key=lambda d: d.box.area, reverse=True)

    def observe_ahead(self, image: Image) -> FrameView | None:
        """Observe a frame's largest face now, for a later decision on another frame of the same
        view (``recognize(..., ahead=...)``); None without a face. Raises ``InvalidImage``."""
        clock = StageClock(self.observer)
        frame = self._frame(image, clock)
        faces = self._detect(frame, clock)
        if not faces:
            return None
        return FrameView(frame.shape[1], frame.shape[0], self.observe(frame, faces[0], clock))

    def _extra_faces(self, primary: Box, primary_size: tuple[int, int], extra_frames: Sequence[Image],
                     clock: StageClock) -> list[tuple[np.ndarray, Detection]]:
        """The primary face in each extra frame (frames without it are skipped). An extra frame may
        be smaller (a stream frame beside the HQ one): the same view, so boxes compare scaled."""
        found = []
        for image in extra_frames:
            frame = self._frame(image, clock)
            height, width = frame.shape[:2]
            there = _scaled(primary, width / primary_size[0], height / primary_size[1])
            faces = self._detect(frame, clock)
            best = max(faces, key=lambda d: _iou(d.box, there), default=None)
            if best is not None and _iou(best.box, there) >= _SAME_FACE_IOU:
                found.append((frame, best))
        return found

    def observe(self, frame: np.ndarray, det: Detection, clock: StageClock | None = None,
                complete: bool = False, others: tuple[Detection, ...] = (),
                for_template: bool = False) -> Observation:
        """Measure one face in one frame; liveness and embedding only when it passes the gates.

        ``complete`` computes them regardless (the benchmark caches complete observations and
        re-judges them with other thresholds through :func:`decide`); ``for_template`` also
        embeds with every recogniser a stored template carries.
        """
        clock = clock or StageClock(None)
        height, width = frame.shape[:2]
        with clock.stage("align"):
            aligned = align_face(frame, det.landmarks)
        with clock.stage("quality"):
            measures = measure(det, aligned, (width, height), others)
        observation = Observation(det, measures)
        if complete or judge(measures, self.config.quality).ok:
            beside = self._beside.submit(self._checks_beside, frame, det, self.recognisers.wants_second(for_template))
            with clock.stage("embed"):
                sface, norm = self.recognisers.sface.embed_with_norm(aligned)
            checks = beside.result()
            clock.record("liveness", checks.liveness_ms)
            embedded = self.recognisers.join(sface, norm, checks.second)
            observation.liveness = checks.liveness
            observation.embedding, observation.feature_norm = embedded.probe, embedded.feature_norm
            observation.template = embedded.template
        return observation

    def _checks_beside(self, frame: np.ndarray, det: Detection, second: bool) -> _BesideChecks:
        """Liveness and (when wanted) the second recogniser's embedding, on the thread beside SFace."""
        start = time.perf_counter()
        liveness = self.liveness.score(frame, det.box)
        liveness_ms = (time.perf_counter() - start) * 1000.0
        embedding = self.recognisers.reid.embed(frame, det.landmarks) if second and self.recognisers.reid else None
        return _BesideChecks(liveness, liveness_ms, embedding)

    def observe_burst(self, image: Image, extra_frames: Sequence[Image] = (), complete: bool = False,
                      clock: StageClock | None = None, ahead: Sequence[FrameView] = ()) -> list[list[Observation]]:
        """Observations per face (largest first, at most ``max_faces``); the primary face's list
        also holds its observations in every extra frame, and every view observed ahead, where it
        was found."""
        clock = clock or StageClock(None)
        frame = self._frame(image, clock)
        faces = self._detect(frame, clock)[: self.config.max_faces]
        size = (frame.shape[1], frame.shape[0])
        seen = []
        for i, det in enumerate(faces):
            views = [(frame, det)]
            if i == 0 and extra_frames:
                views += self._extra_faces(det.box, size, extra_frames, clock)
            observed = [self.observe(f, d, clock, complete) for f, d in views]
            seen.append(observed + (_same_face(det.box, size, ahead) if i == 0 else []))
        return seen

    def recognize(self, image: Image, extra_frames: Sequence[Image] = (),
                  top_k: int | None = None, ahead: Sequence[FrameView] = ()) -> RecognitionResult:
        """Detect, check and identify every face (largest first) in one image.

        ``extra_frames`` are further frames of the same scene (a burst), ``ahead`` such frames
        observed already (:meth:`observe_ahead`): the primary face's decision fuses every usable
        frame (liveness averaged, embeddings fused). Raises ``InvalidImage`` for undecodable input.
        """
        clock = StageClock(self.observer)
        with clock.stage("total"):
            frame = self._frame(image, clock)
            height, width = frame.shape[:2]
            faces = self.observe_burst(frame, extra_frames, clock=clock, ahead=ahead)
            with clock.stage("match"):
                results = [decide(views, self.gallery, self.config, top_k or self.config.match.top_k)
                           for views in faces]
        decision = results[0].decision if results else Decision.NO_FACE
        return RecognitionResult(decision, results, width, height, clock.timings_ms)

    def prepare_enrollment(self, image: Image, require_live: bool = False) -> Enrollment:
        """Check one enrolment image (one clear face) and compute its embedding.

        Liveness is only enforced with ``require_live`` (enrolment photos are often prints or
        uploads). The caller stores the template and adds it to :attr:`gallery`.
        """
        observation = self.observe_enrolment(image)
        if observation is None:
            return Enrollment(False, _NO_FACE_QUALITY.reason, _NO_FACE_QUALITY)
        return self.enrollment_from(observation, require_live)

    def observe_enrolment(self, image: Image) -> Observation | None:
        """The largest face of an enrolment image, measured against the others and embedded for a
        template whatever the gates say (None without a face)."""
        clock = StageClock(self.observer)
        frame = self._frame(image, clock)
        faces = self._detect(frame, clock)
        if not faces:
            return None
        return self.observe(frame, faces[0], clock, complete=True, others=tuple(faces[1:]), for_template=True)

    def enrollment_from(self, observation: Observation, require_live: bool = False) -> Enrollment:
        """The enrolment verdict for one observed face (the benchmark calls it on cached ones).

        An image refused only because other faces are in it keeps its largest face's embedding,
        so that the rest of its batch can vouch for it (``vision.enrolment_checks.vouch_for_crowded``).
        """
        det = observation.detection
        quality = judge(observation.measures, self.config.quality)
        crowded = quality.issues == (QualityIssue.MULTIPLE_FACES,)
        if (not quality.ok and not crowded) or observation.embedding is None:
            return Enrollment(False, quality.reason, quality, det)
        if require_live and observation.liveness is not None and observation.liveness < self.config.liveness.threshold:
            return Enrollment(False, f"face failed the liveness check (score {observation.liveness:.2f})",
                              quality, det)
        matches = self.gallery.search(observation.embedding, 1)
        duplicate = matches[0] if matches and matches[0].score >= self.config.match.duplicate_threshold else None
        return Enrollment(quality.ok, quality.reason, quality, det, observation.embedding, observation.template,
                          duplicate, observation.measures.centred)


def _fusion_recogniser(models_dir: Path, manifest: Manifest, config: VisionConfig) -> ReidEmbedder | None:
    """The second recogniser when it is installed (optional: SFace alone otherwise).

    Loaded even with fusion off, so that new templates carry it and fusion can be switched on
    without re-enrolment.
    """
    entry = manifest.get(FUSION_MODEL)
    path = installed(models_dir, entry)
    if path is None:
        log.warning("the second recogniser (%s) is not installed in %s: matching with SFace alone; "
                    "install it with 'edge-node models fetch --from DIR'", entry.file, models_dir)
        return None
    return ReidEmbedder(OrtBackend(config.runtime).load(path), entry.model_id)
