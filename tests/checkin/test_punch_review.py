"""Punch review on a real node: real models, real photos through `Recognize` with `record` (the check-in
path that turns a decision into a punch), the real SQLite file and the CLI as a manager runs it.

Bill Paxton is enrolled from his photo 0001. That photo again is a clear punch (score 1.0); his photo 0002
is recognised but close to the threshold, a low-margin punch. Learning is off unless a test is about it
(a clear punch would become a learned template, itself a reason to review). What each punch's margins are
is read from the node's own reply, never written into the test.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import cv2
import grpc
import numpy as np
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.attendance.punch_reviews import PunchEvidence, ReviewReason
from edge_node.attendance.review_config import ReviewConfig
from edge_node.camera_sim.playlist import load_frame
from edge_node.camera_sim.simulator import SimOptions
from edge_node.capture.config import CaptureConfig
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.capture.v1 import capture_pb2
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from edge_node.common.tokens import TOKENS_FILE, TokenBook
from tests.capture.conftest import CaptureNode, RunningSim, photo_path
from tests.cli.conftest import Cli
from tests.conftest import LiveNode, node_config, wait_until
from tools.manual_clock import ManualClock

PERSON = "Bill_Paxton"
START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


class Site:
    """A recognising node with one enrolled person, and punches made through the check-in path."""

    def __init__(self, tmp: Path, shared_dir: Path, review: ReviewConfig, learned_templates: int = 0) -> None:
        recognition = RecognitionConfig(models_dir=str(shared_dir / "models"), learned_templates=learned_templates)
        config = replace(node_config(tmp), recognition=recognition, review=review)
        self.live = LiveNode(config, ManualClock(START))
        self.photos = shared_dir / "data" / "faces" / PERSON
        self.rec = pb_grpc.RecognitionServiceStub(self.live.channel)
        self.att = apb_grpc.AttendanceServiceStub(self.live.channel)
        self.att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id=PERSON, display_name="Bill Paxton")),
                              metadata=self.live.auth)
        enrolled = self.rec.Enroll(pb.EnrollRequest(person_id=PERSON, images=[self.photo("0001")]),
                                   metadata=self.live.auth)
        assert enrolled.results[0].accepted

    def photo(self, number: str) -> bytes:
        return (self.photos / f"{PERSON}_{number}.jpg").read_bytes()

    def punch(self, number: str) -> pb.RecognizeResponse:
        """A punch 30 minutes after the last one (no cooldown in the way)."""
        self.live.clock.advance(1800)
        reply = self.rec.Recognize(pb.RecognizeRequest(image=self.photo(number), record=True, camera_id="door"),
                                   metadata=self.live.auth)
        assert reply.decision == pb.DECISION_MATCH and reply.attendance.event.event_type in (
            apb.EVENT_TYPE_ENTRY, apb.EVENT_TYPE_EXIT), reply
        return reply

    def listed(self, **request) -> list[apb.PunchReview]:
        return list(self.att.ListPunchReviews(apb.ListPunchReviewsRequest(**request), metadata=self.live.auth).reviews)

    def one(self, event_id: int) -> apb.PunchReview:
        return self.listed(event_id=event_id)[0]

    def margins(self, reply: pb.RecognizeResponse) -> tuple[float, float]:
        """(match margin, liveness margin) of a punch, from the reply and the thresholds in force."""
        match_threshold, liveness_threshold = self.live.node.recognition.thresholds_in_force()
        face = reply.faces[0]
        return face.matches[0].score - match_threshold, face.liveness.score - liveness_threshold

    def database_bytes(self) -> bytes:
        path = self.live.config.storage.database_path
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def site(request, tmp_path: Path, shared_dir: Path) -> Iterator[Site]:
    review, learned = getattr(request, "param", (ReviewConfig(), 0))
    made = Site(tmp_path / "node", shared_dir, review, learned)
    yield made
    made.live.stop()


def _is_face_jpeg(data: bytes, size: int) -> bool:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return image is not None and image.shape[:2] == (size, size) and float(image.std()) > 10


def test_a_low_margin_punch_keeps_a_crop_and_is_listed_a_clear_one_is_not(site: Site) -> None:
    config = ReviewConfig()
    clear, low = site.punch("0001"), site.punch("0002")
    clear_margin, clear_live = site.margins(clear)
    low_margin, _ = site.margins(low)
    assert clear_margin >= config.match_margin and clear_live >= config.liveness_margin  # the premise
    assert low_margin < config.match_margin

    reviews = site.listed()
    assert [r.event.event_id for r in reviews] == [low.attendance.event.event_id]
    review = reviews[0]
    assert apb.REVIEW_REASON_LOW_MATCH_MARGIN in review.reasons
    assert review.match_margin == pytest.approx(low_margin, abs=1e-4)
    assert review.has_crop and _is_face_jpeg(review.crop_jpeg, config.crop_size)
    assert 500 < len(review.crop_jpeg) < 16_000  # a few KB
    assert not site.one(clear.attendance.event.event_id).has_crop
    assert all(not r.crop_jpeg for r in site.listed(without_crops=True))


@pytest.mark.parametrize("site", [(ReviewConfig(crops="all"), 0)], indirect=True)
def test_all_keeps_every_punchs_crop(site: Site) -> None:
    clear, low = site.punch("0001"), site.punch("0002")
    for reply in (clear, low):
        assert _is_face_jpeg(site.one(reply.attendance.event.event_id).crop_jpeg, ReviewConfig().crop_size)
    assert [r.event.event_id for r in site.listed()] == [low.attendance.event.event_id]  # the list stays the suspicious


@pytest.mark.parametrize("site", [(ReviewConfig(crops="none"), 0)], indirect=True)
def test_none_keeps_no_crop_but_still_lists_the_punch(site: Site) -> None:
    low = site.punch("0002")
    [review] = site.listed()
    assert review.event.event_id == low.attendance.event.event_id and apb.REVIEW_REASON_LOW_MATCH_MARGIN in review.reasons
    assert not review.has_crop and not review.crop_jpeg


@pytest.mark.parametrize("site", [(ReviewConfig(retention_days=30), 0)], indirect=True)
def test_crops_older_than_the_retention_are_pruned(site: Site) -> None:
    low = site.punch("0002")
    event_id = low.attendance.event.event_id
    site.live.clock.advance(29 * 86400)
    site.punch("0002")  # a later punch runs the hourly prune
    assert site.one(event_id).has_crop  # 29 days: kept
    site.live.clock.advance(2 * 86400)
    later = site.punch("0002")
    old = site.one(event_id)
    assert not old.has_crop and apb.REVIEW_REASON_LOW_MATCH_MARGIN in old.reasons  # the reason stays, the face goes
    assert site.one(later.attendance.event.event_id).has_crop


@pytest.mark.parametrize("site", [(ReviewConfig(), 2)], indirect=True)
def test_a_punch_that_becomes_a_learned_template_is_listed_with_its_crop(site: Site) -> None:
    clear = site.punch("0001")
    templates = site.rec.ListTemplates(pb.ListTemplatesRequest(person_id=PERSON), metadata=site.live.auth).templates
    assert sorted(t.kind for t in templates) == ["learned", "photo"]  # the premise: learning took this punch
    [review] = site.listed()
    assert review.event.event_id == clear.attendance.event.event_id
    assert list(review.reasons) == [apb.REVIEW_REASON_LEARNED_TEMPLATE]
    assert _is_face_jpeg(review.crop_jpeg, ReviewConfig().crop_size)


def test_erasure_removes_the_crops_from_the_file(site: Site) -> None:
    low = site.punch("0002")
    crop = site.one(low.attendance.event.event_id).crop_jpeg
    probe = crop[len(crop) // 2: len(crop) // 2 + 64]
    assert probe in site.database_bytes()
    site.att.ErasePerson(apb.ErasePersonRequest(person_id=PERSON, reason="left, asked for erasure"),
                         metadata=site.live.auth)
    assert not site.one(low.attendance.event.event_id).has_crop
    assert probe not in site.database_bytes()


def test_a_corrected_punch_is_listed_and_a_review_is_audited(site: Site) -> None:
    clear = site.punch("0001")
    assert site.listed() == []
    site.att.VoidPunch(apb.VoidPunchRequest(event_id=clear.attendance.event.event_id, reason="test scan"),
                       metadata=site.live.auth)
    [review] = site.listed()
    assert list(review.reasons) == [apb.REVIEW_REASON_CORRECTED]
    book = TokenBook(site.live.node.data_dir / TOKENS_FILE)
    request = apb.MarkPunchReviewedRequest(event_id=clear.attendance.event.event_id, note="checked the void")
    with pytest.raises(grpc.RpcError) as refused:  # a viewer may read reports, not review punches
        site.att.MarkPunchReviewed(request, metadata=(("authorization", f"Bearer {book.add('eve', 'viewer')}"),))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    done = site.att.MarkPunchReviewed(request, metadata=(("authorization", f"Bearer {book.add('hr', 'manager')}"),))
    assert done.review.reviewed_by == done.audit_event.actor == "hr"  # the token's owner
    assert done.audit_event.event_type == apb.EVENT_TYPE_ADMIN and "checked the void" in done.audit_event.reason
    assert site.listed() == [] and len(site.listed(include_reviewed=True)) == 1


def test_bad_requests_get_a_status_that_says_what_to_fix(site: Site) -> None:
    clear = site.punch("0001")
    cases = [(apb.MarkPunchReviewedRequest(event_id=clear.attendance.event.event_id, note=" "),
              grpc.StatusCode.INVALID_ARGUMENT, "note is required"),
             (apb.MarkPunchReviewedRequest(event_id=424242, note="x"), grpc.StatusCode.NOT_FOUND, "event 424242"),
             (apb.MarkPunchReviewedRequest(event_id=-1, note="x"), grpc.StatusCode.INVALID_ARGUMENT, "positive")]
    for request, code, words in cases:
        with pytest.raises(grpc.RpcError) as info:
            site.att.MarkPunchReviewed(request, metadata=site.live.auth)
        assert info.value.code() == code and words in info.value.details()
    start, end = _stamp(START), _stamp(START - timedelta(days=1))
    with pytest.raises(grpc.RpcError) as info:
        site.listed(start_time=start, end_time=end)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "after start_time" in info.value.details()


def _stamp(when: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(when)
    return stamp


def test_the_cli_lists_shows_and_marks_reviews(site: Site, tmp_path: Path) -> None:
    low = site.punch("0002")
    event_id = low.attendance.event.event_id
    cli = Cli(SimpleNamespace(address=site.live.address, data_dir=site.live.node.data_dir))  # type: ignore[arg-type]
    [row] = cli.json("review", "list", "--from", START.date().isoformat())
    assert row["event_id"] == event_id and "low_match_margin" in row["reasons"] and row["person_id"] == PERSON
    out = tmp_path / "crop.jpg"
    cli.ok("review", "show", str(event_id), "--out", str(out))
    assert out.read_bytes() == site.one(event_id).crop_jpeg and out.stat().st_mode & 0o077 == 0
    crops = tmp_path / "crops"
    crops.mkdir()
    cli.ok("review", "list", "--crops", str(crops))
    assert [p.name for p in crops.iterdir()] == [f"{event_id}.jpg"]
    assert (crops / f"{event_id}.jpg").read_bytes() == out.read_bytes()
    cli.ok("review", "done", str(event_id), "--note", "it is him")
    assert cli.json("review", "list") == []
    refused = cli.run("review", "done", "999999", "--note", "x")
    assert refused.returncode == 1 and "999999" in refused.stderr


def test_a_liveness_doubt_punch_is_listed_with_its_crop(tmp_path: Path, shared_dir: Path) -> None:
    """Under liveness_policy "flag", a screen replay of an enrolled face is punched with LIVENESS_DOUBT."""
    replay = (shared_dir / "data" / "spoof" / "fake" / "sf_replay_01.jpg").read_bytes()
    recognition = RecognitionConfig(models_dir=str(shared_dir / "models"), liveness_policy="flag",
                                    learned_templates=0)
    live = LiveNode(replace(node_config(tmp_path / "node"), recognition=recognition), ManualClock(START))
    try:
        rec, att = pb_grpc.RecognitionServiceStub(live.channel), apb_grpc.AttendanceServiceStub(live.channel)
        att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="r", display_name="R")), metadata=live.auth)
        assert rec.Enroll(pb.EnrollRequest(person_id="r", images=[replay]), metadata=live.auth).results[0].accepted
        reply = rec.Recognize(pb.RecognizeRequest(image=replay, record=True), metadata=live.auth)
        assert [a.kind for a in reply.attendance.event.anomalies] == [apb.ANOMALY_KIND_LIVENESS_DOUBT]  # the premise
        [review] = att.ListPunchReviews(apb.ListPunchReviewsRequest(), metadata=live.auth).reviews
        assert review.event.event_id == reply.attendance.event.event_id
        assert apb.REVIEW_REASON_LIVENESS_DOUBT in review.reasons and review.liveness_margin < 0
        assert review.has_crop and review.crop_jpeg
    finally:
        live.stop()


def test_a_camera_punch_keeps_its_crop_from_the_hq_frame(tmp_path: Path, shared_dir: Path) -> None:
    """The kiosk path: a simulated ESP32-CAM shows a photo, the node asks for the HQ frame and punches;
    under crops = "all" that punch keeps the face cut from the HQ frame."""
    config = replace(node_config(tmp_path / "node"),
                     recognition=RecognitionConfig(models_dir=str(shared_dir / "models")),
                     capture=CaptureConfig(listen="127.0.0.1:0", mdns=False, pending_retry_ms=100),
                     review=ReviewConfig(crops="all"))
    node = CaptureNode(config, ManualClock(START), shared_dir)
    sim = RunningSim(node, "door", [load_frame(photo_path(shared_dir, "Bill_Gates", 2))],
                     SimOptions(hold_seconds=3600.0))
    try:
        assert wait_until(lambda: sim.sim.stats.pairing_code != "", 5), sim.sim.stats
        node.capture.ApproveCamera(capture_pb2.ApproveCameraRequest(camera_id="door",
                                                                    pairing_code=sim.sim.stats.pairing_code),
                                   metadata=node.auth)
        assert wait_until(lambda: any(e.event_type == apb.EVENT_TYPE_ENTRY for e in node.events_of("door")), 30)
    finally:
        sim.stop()
    punch = next(e for e in node.events_of("door") if e.event_type == apb.EVENT_TYPE_ENTRY)
    def review() -> apb.PunchReview:
        return node.attendance.ListPunchReviews(apb.ListPunchReviewsRequest(event_id=punch.event_id),
                                                metadata=node.auth).reviews[0]

    try:
        assert wait_until(lambda: review().has_crop, 10)  # kept right after the punch, which watchers see first
        assert review().event.person_id == "bill_gates" and _is_face_jpeg(review().crop_jpeg, ReviewConfig().crop_size)
    finally:
        node.stop()


def test_a_long_list_is_cut_at_a_thousand_and_says_so(tmp_path: Path) -> None:
    """1,001 punches to review (kept through the store, as the check-in path keeps them): one reply holds the
    oldest 1,000 and says there are more."""
    config = node_config(tmp_path / "node")
    live_node = LiveNode(replace(config, storage=replace(config.storage, synchronous="NORMAL")), ManualClock(START))
    try:
        _list_a_thousand_and_one(live_node)
    finally:
        live_node.stop()


def _list_a_thousand_and_one(live_node: LiveNode) -> None:
    store = live_node.node.store
    store.persons.upsert("ann", "Ann")
    evidence = PunchEvidence((ReviewReason.LOW_MATCH_MARGIN,), 0.01, 1.0, 0.5, None)
    first = START - timedelta(days=30)
    for n in range(1001):
        scan = store.log.record_scan("ann", 0.5, "door", first + timedelta(minutes=2 * n))
        store.reviews.keep(scan.event, evidence)
    att = apb_grpc.AttendanceServiceStub(live_node.channel)
    reply = att.ListPunchReviews(apb.ListPunchReviewsRequest(), metadata=live_node.auth)
    assert reply.truncated and len(reply.reviews) == 1000
    assert reply.reviews[0].event.occurred_at.ToDatetime(tzinfo=timezone.utc) == first
    rest = att.ListPunchReviews(apb.ListPunchReviewsRequest(start_time=reply.reviews[-1].event.occurred_at),
                                metadata=live_node.auth)
    assert not rest.truncated and len(rest.reviews) == 2  # the last one listed, and the one after it
