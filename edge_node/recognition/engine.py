"""Recognition on the box: enrolment, identification and template management over the vision pipeline."""
from __future__ import annotations

import logging
import queue
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Protocol, Sequence

import numpy as np

from edge_node.common.errors import DomainError, FailedPrecondition, InvalidArgument, NotFound, ResourceExhausted
from edge_node.recognition.same_person import strangers_to
from edge_node.recognition.templates import LEARNED, PHOTO, TemplateRecord, TemplateStore
from edge_node.vision.decision import gallery_threshold
from edge_node.vision.enrolment_checks import odd_one_out, vouch_for_crowded
from edge_node.vision.errors import ImageTooLarge, VisionError
from edge_node.vision.gallery import StoredTemplate
from edge_node.vision.pipeline import Enrollment, FacePipeline, FrameView
from edge_node.vision.learning import worth_learning
from edge_node.vision.types import FaceResult, RecognitionResult

log = logging.getLogger(__name__)

MAX_ENROLL_IMAGES = 10


@dataclass(frozen=True)
class EnrollItem:
    index: int
    enrollment: Enrollment
    template_id: str = ""


@dataclass(frozen=True)
class EnrollRequest:
    """Who asks for an enrolment, and how: where the images come from, and an override of the check
    against the person's enrolled faces (it needs a reason and an actor, and is audited)."""

    kind: str = PHOTO
    sources: Sequence[str] = ()  # per image: a file name, a camera id (shown with the template)
    allow_duplicate: bool = False
    override_reason: str = ""
    actor: str = ""


@dataclass(frozen=True)
class EnrollOutcome:
    items: list[EnrollItem]
    template_count: int


@dataclass(frozen=True)
class RecognizeOutcome:
    result: RecognitionResult
    # display names of every person among the matches
    names: dict[str, str]


class NamedPerson(Protocol):
    display_name: str


class AuditLog(Protocol):
    """The tamper-evident log's admin actions, seen from recognition."""

    def admin_action(self, actor: str, description: str) -> object:
        """Keep an admin action on the log (InvalidArgument without a reason or actor)."""

    def transaction(self) -> AbstractContextManager[object]:
        """The log's write transaction (its lock before SQLite's): a change made in it commits with its audit."""


class PersonDirectory(Protocol):
    """Who may be enrolled: the node's person registry, seen from recognition."""

    def get(self, person_id: str) -> NamedPerson:
        """The person, else NotFound."""

    def find(self, person_id: str) -> NamedPerson | None: ...

    def on_delete(self, hook: Callable[[str], object]) -> None:
        """Call `hook(person_id)` inside the transaction that deletes a person."""


class RecognitionEngine:
    """Owns the pipelines (one per worker thread) and the gallery they share; thread-safe."""

    def __init__(self, pipelines: Sequence[FacePipeline], persons: PersonDirectory, templates: TemplateStore,
                 audit: AuditLog) -> None:
        if not pipelines:
            raise ValueError("at least one pipeline is needed")
        self._pool: queue.Queue[FacePipeline] = queue.Queue()
        for pipeline in pipelines:
            self._pool.put(pipeline)
        self.gallery = pipelines[0].gallery
        self._pipelines = list(pipelines)
        self._persons = persons
        self._audit = audit
        self.templates = templates
        skipped = self.gallery.load(StoredTemplate(t.template_id, t.person_id, t.model_id, t.embedding,
                                                   self._penalty(t.kind))
                                    for t in templates.all())
        if skipped:
            log.warning("%d stored templates lack a recogniser this node matches with (%s): re-enrol those "
                        "persons, or install the missing model", skipped, self.gallery.model_id)
        persons.on_delete(self._forget_person)

    def _penalty(self, kind: str) -> float:
        """What a match through a template of this kind loses: the learning penalty for a learned one."""
        return self._pipelines[0].config.learning.penalty if kind == LEARNED else 0.0

    @property
    def model_id(self) -> str:
        """The embedding layout probes are matched in."""
        return self._pipelines[0].model_id

    @property
    def template_model_id(self) -> str:
        """The layout new templates are stored in (every recogniser installed)."""
        return self._pipelines[0].template_model_id

    @property
    def second_recogniser(self) -> bool:
        """Whether the second recogniser is installed (new templates carry it)."""
        return self._pipelines[0].recognisers.reid is not None

    @property
    def match_threshold(self) -> float:
        """The match threshold in force."""
        return self._pipelines[0].config.match.threshold

    def thresholds_in_force(self) -> tuple[float, float]:
        """(the match threshold for the gallery's size now, the liveness threshold)."""
        config = self._pipelines[0].config
        return gallery_threshold(config.match, self.gallery.persons()), config.liveness.threshold

    def can_use(self, model_id: str) -> bool:
        """Whether a template of layout ``model_id`` (e.g. from the hub) carries what this node matches with."""
        return self.gallery.layout.carries(model_id)

    @contextmanager
    def _pipeline(self) -> Iterator[FacePipeline]:
        pipeline = self._pool.get()
        try:
            yield pipeline
        finally:
            self._pool.put(pipeline)

    def set_thresholds(self, match: float, liveness: float) -> None:
        """Apply new decision thresholds to every pipeline (from UpdateConfig); a match threshold
        of 0 means the one calibrated for the recognisers in use."""
        for p in self._pipelines:
            p.config = replace(p.config, match=replace(p.config.match, threshold=match or p.calibrated_match.threshold),
                               liveness=replace(p.config.liveness, threshold=liveness))
            p.liveness = p.liveness.with_config(p.config.liveness)

    def enroll(self, person_id: str, images: Sequence[bytes], request: EnrollRequest = EnrollRequest()) -> EnrollOutcome:
        """Check every image first, then store the accepted templates together (all or nothing).

        The images must show one person, nobody else enrolled, and the person's enrolled faces
        (:func:`~edge_node.recognition.same_person.strangers_to`), unless the request overrides that
        last check with a reason, which is kept on the admin log before anything is stored."""
        self._persons.get(person_id)
        if not images:
            raise InvalidArgument("images: at least one image is required")
        if len(images) > MAX_ENROLL_IMAGES:
            raise InvalidArgument(f"images: at most {MAX_ENROLL_IMAGES} images per call (got {len(images)})")
        check_override(request.override_reason, request.actor)
        if request.sources and len(request.sources) != len(images):
            raise InvalidArgument(f"sources: one per image or none (got {len(request.sources)} for {len(images)} images)")
        threshold = self._pipelines[0].config.match.same_person_threshold
        prepared = vouch_for_crowded([self._prepare(i, image) for i, image in enumerate(images)], threshold)
        items = [EnrollItem(i, enrollment) for i, enrollment in enumerate(prepared)]
        accepted = [item for item in items if item.enrollment.accepted]
        odd = odd_one_out([item.enrollment.embedding for item in accepted], threshold)
        if odd is not None:
            raise InvalidArgument(
                f"images: image {accepted[odd[0]].index} does not show the same person as the others "
                f"(similarity {odd[1]:.2f}); enrol one person per call")
        for item in accepted:  # a refused image is not stored, so it cannot be a duplicate
            other = item.enrollment.duplicate_of
            if other is not None and other.person_id != person_id and not request.allow_duplicate:
                raise FailedPrecondition(
                    f"image {item.index}: the face already matches person {other.person_id!r} (score {other.score:.2f}); "
                    "set allow_duplicate to enrol it anyway")
        self._check_enrolled_faces(person_id, accepted, request, threshold)
        stored = []
        with self.templates.atomic():
            for item in items:
                if item.enrollment.accepted:
                    source = request.sources[item.index] if request.sources else ""
                    record = self.templates.add(person_id, self.template_model_id, item.enrollment.template,
                                                kind=request.kind, source=source)
                    stored.append(replace(item, template_id=record.template_id))
                else:
                    stored.append(item)
        for item in stored:
            if item.template_id:
                self.gallery.add(item.template_id, person_id, item.enrollment.embedding)
        return EnrollOutcome(stored, self.templates.count(person_id))

    def enrolled_faces(self, person_id: str) -> list[np.ndarray]:
        """The person's templates as the gallery matches them (the faces a new image must show)."""
        views = (self.gallery.view(t.model_id, t.embedding) for t in self.templates.for_person(person_id))
        return [v for v in views if v is not None]

    def _check_enrolled_faces(self, person_id: str, accepted: Sequence[EnrollItem], request: EnrollRequest,
                              threshold: float) -> None:
        """FailedPrecondition when an image is not the person's enrolled face, unless overridden (audited)."""
        enrolled = self.enrolled_faces(person_id)
        refused = strangers_to(enrolled, [(item.index, item.enrollment.embedding) for item in accepted], threshold)
        if not refused:
            return
        names = {i: f"image {i}" + (f" ({request.sources[i]})" if request.sources else "") for i, _ in refused}
        found = "; ".join(f"{names[i]}: similarity {score:.2f}" for i, score in refused)
        if not request.override_reason:
            raise FailedPrecondition(
                f"{found}: not the face enrolled for {person_id!r} ({len(enrolled)} template(s); needs {threshold:.2f}). "
                f"Nothing was stored. Check that this is {person_id!r} (list their faces with `edge-node enroll --person "
                f"{person_id} --list`); if it is (a new look), enrol it with an override reason")
        self._audit.admin_action(request.actor, f"enrolment override for person {person_id!r}: {found} below "
                                                f"{threshold:.2f} against {len(enrolled)} enrolled template(s); "
                                                f"reason: {request.override_reason}")

    def _prepare(self, index: int, image: bytes) -> Enrollment:
        with self._pipeline() as pipeline:
            try:
                return pipeline.prepare_enrollment(image)
            except VisionError as exc:
                raise image_error(f"image {index}", exc) from None

    def observe_ahead(self, images: Sequence[bytes]) -> list[FrameView | None]:
        """Each frame's largest face observed now, for a later ``recognize(..., ahead=...)`` (None for
        a frame without a face, or one that cannot be decoded)."""
        views: list[FrameView | None] = []
        with self._pipeline() as pipeline:
            for image in images:
                try:
                    views.append(pipeline.observe_ahead(image))
                except VisionError:
                    views.append(None)
        return views

    def recognize(self, image: bytes, extra_frames: Sequence[bytes] = (), top_k: int = 0,
                  ahead: Sequence[FrameView] = ()) -> RecognizeOutcome:
        """Identify the faces in one image; `extra_frames` are further frames of the same face (a burst),
        `ahead` such frames observed already (:meth:`observe_ahead`)."""
        if not 0 <= top_k <= 10:
            raise InvalidArgument(f"top_k must be between 1 and 10, or 0 for the default (got {top_k})")
        with self._pipeline() as pipeline:
            try:
                result = pipeline.recognize(image, extra_frames, top_k or None, ahead)
            except VisionError as exc:
                raise image_error("image", exc) from None
        names = {m.person_id: self.display_name(m.person_id) for face in result.faces for m in face.matches}
        return RecognizeOutcome(result, names)

    def learn(self, face: FaceResult, camera_id: str, event_id: int) -> TemplateRecord | None:
        """Keep the face of punch `event_id` as a learned template of its person when it is clearly them, live and
        well lit (``vision.learning``), replacing their oldest learned one beyond the cap; audited on
        the chained log, and removed like any template (``edge-node enroll --remove``) or with its punch when
        that is voided or moved to another person (checkin/punch_corrections.py). None when not
        learned, or when the probe lacks a recogniser stored templates carry (fusion off)."""
        config = self._pipelines[0].config
        if self.gallery.model_id != self.template_model_id or not worth_learning(
                face, gallery_threshold(config.match, self.gallery.persons()), config.learning):
            return None
        best = face.matches[0]
        source = camera_id or "kiosk"
        # One transaction for the templates and their audit, so that neither stays without the other. It is the
        # log's: its lock before SQLite's, as every event writer takes them (a template transaction asking for the
        # lock would deadlock against the attendance-write thread, which holds it while it waits for SQLite's).
        with self._audit.transaction(), self.templates.atomic():
            learned = [t.template_id for t in self.templates.for_person(best.person_id) if t.kind == LEARNED]
            dropped = self.templates.delete(best.person_id, learned[: len(learned) - config.learning.per_person + 1]) \
                if len(learned) >= config.learning.per_person else []
            record = self.templates.add(best.person_id, self.template_model_id, face.embedding, kind=LEARNED,
                                        source=source, event_id=event_id)
            self._audit.admin_action(
                "kiosk", f"learned template {record.template_id} for person {best.person_id!r} at {source} "
                         f"from punch {event_id} "
                         f"(score {best.score:.3f}, liveness {face.liveness.score:.2f})"
                         + (f", replacing {', '.join(dropped)}" if dropped else ""))
        for template_id in dropped:
            self.gallery.remove(template_id)
        self.gallery.add(record.template_id, best.person_id, face.embedding, self._penalty(LEARNED))
        return record

    def assess(self, image: bytes) -> Enrollment:
        """Check one candidate enrolment image (quality gates, embedding, possible duplicate); stores nothing."""
        return self._prepare(0, image)

    def require_person(self, person_id: str) -> None:
        """NotFound unless the person exists."""
        self._persons.get(person_id)

    @property
    def same_person_threshold(self) -> float:
        """Below this cosine to the rest of a batch, an enrolment image is someone else."""
        return self._pipelines[0].config.match.same_person_threshold

    def display_name(self, person_id: str) -> str:
        person = self._persons.find(person_id)
        return person.display_name if person else ""

    def list_templates(self, person_id: str) -> list[TemplateRecord]:
        self._persons.get(person_id)
        return self.templates.for_person(person_id)

    def delete_templates(self, person_id: str, template_ids: Sequence[str] = ()) -> int:
        """Delete the given templates of a person (all when empty); unknown ids are NOT_FOUND."""
        self._persons.get(person_id)
        if template_ids:
            owned = {t.template_id for t in self.templates.for_person(person_id)}
            missing = sorted(set(template_ids) - owned)
            if missing:
                raise NotFound(f"person {person_id!r} has no template(s) {', '.join(missing)}")
        removed = self.templates.delete(person_id, list(template_ids) or None)
        for template_id in removed:
            self.gallery.remove(template_id)
        return len(removed)

    def _forget_person(self, person_id: str) -> int:
        """Person-delete hook: drop the templates from SQLite (same transaction) and the gallery."""
        removed = self.templates.delete(person_id, journal=False)
        self.gallery.remove_person(person_id)
        return len(removed)

    def template_added(self, record: TemplateRecord) -> None:
        """Roster-sync hook: a template stored from the hub enters the gallery (in the gallery's view; a learned
        one with the penalty)."""
        self.gallery.remove(record.template_id)
        vector = self.gallery.view(record.model_id, record.embedding)
        if vector is not None:
            self.gallery.add(record.template_id, record.person_id, vector, self._penalty(record.kind))

    def templates_removed(self, template_ids: Sequence[str]) -> None:
        """Templates deleted elsewhere (by a hub change, with a corrected punch) leave the gallery."""
        for template_id in template_ids:
            self.gallery.remove(template_id)


def check_override(reason: str, actor: str) -> None:
    """An override of the enrolled-faces check names who makes it (InvalidArgument otherwise)."""
    if reason.strip() and not actor.strip():
        raise InvalidArgument("actor is required with override_reason: who vouches that the face is the person's")


def image_error(what: str, exc: VisionError) -> DomainError:
    """Oversized images are RESOURCE_EXHAUSTED; every other undecodable input is INVALID_ARGUMENT."""
    kind = ResourceExhausted if isinstance(exc, ImageTooLarge) else InvalidArgument
    return kind(f"{what}: {exc}")
