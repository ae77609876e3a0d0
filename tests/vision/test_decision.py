"""Burst fusion, the quality-gated frame choice, the margin rule and the enrolment batch check,
on real photos and their camera-grade copies through the real models."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.vision import Decision, FacePipeline, QualityIssue
from edge_node.vision.types import Quality
from edge_node.vision.decision import decide, fuse, one_person
from edge_node.vision.enrolment_checks import odd_one_out
from tools.camera_conditions import camera_grade, far_away

from .conftest import read


@pytest.fixture
def pipe(empty_gallery_pipeline: FacePipeline):
    """The session pipeline with liveness off: LFW press photos are not live captures, and
    these tests are about recognition (liveness is tested on the spoof samples)."""
    saved = empty_gallery_pipeline.config
    empty_gallery_pipeline.config = replace(saved, liveness=replace(saved.liveness, threshold=0.0))
    yield empty_gallery_pipeline
    empty_gallery_pipeline.config = saved


def _enrol(pipe: FacePipeline, person: str, paths: list[Path]) -> list[np.ndarray]:
    embeddings = []
    for i, path in enumerate(paths):
        outcome = pipe.prepare_enrollment(path.read_bytes())
        assert outcome.accepted, outcome.reason
        pipe.gallery.add(f"{person}-{i}", person, outcome.embedding)
        embeddings.append(outcome.embedding)
    return embeddings


def _photos(data_dir: Path, identity: str) -> list[Path]:
    return sorted((data_dir / "faces" / identity).glob("*.jpg"))


def test_a_camera_burst_is_one_fused_decision(pipe: FacePipeline, data_dir: Path) -> None:
    photos = _photos(data_dir, "Vladimir_Putin")
    _enrol(pipe, "putin", photos[:3])
    frames = camera_grade(read(photos[4]), "moderate", 5, frames=3)
    burst = pipe.recognize(frames[0], extra_frames=frames[1:])
    face = burst.faces[0]
    assert burst.decision is Decision.MATCH and face.matches[0].person_id == "putin"
    assert face.liveness.frames == 3
    views = pipe.observe_burst(frames[0], frames[1:])[0]
    assert len(views) == 3
    assert np.allclose(face.embedding, fuse(views), atol=1e-6)
    singles = [pipe.recognize(f).faces[0].matches[0].score for f in frames]
    # the fused probe is closer to the person than the average single frame
    assert face.matches[0].score > float(np.mean(singles))


def test_frames_failing_a_gate_are_left_out_and_all_bad_says_step_closer(pipe: FacePipeline, data_dir: Path) -> None:
    photos = _photos(data_dir, "Tim_Duncan")
    _enrol(pipe, "tim", photos[:3])
    good = read(photos[3])
    tiny = far_away(good, 0.3, 1)  # eye distance about 12 px, under the gate
    views = pipe.observe_burst(tiny, complete=True)[0]
    assert views[0].measures.eye_distance < pipe.config.quality.min_eye_distance
    alone = decide(views, pipe.gallery, pipe.config, 3)
    assert alone.decision is Decision.LOW_QUALITY and QualityIssue.TOO_SMALL in alone.quality.issues
    assert "step closer" in alone.quality.reason
    good_views = pipe.observe_burst(good, complete=True)[0]
    mixed = decide(views + good_views, pipe.gallery, pipe.config, 3)
    assert mixed.decision is Decision.MATCH and mixed.liveness.frames == 1


def test_margin_turns_a_near_tie_into_unknown(pipe: FacePipeline, data_dir: Path) -> None:
    photos = _photos(data_dir, "Bill_Gates")
    # the same face enrolled under two ids: both explain a probe about equally well
    _enrol(pipe, "bill", photos[:1])
    _enrol(pipe, "william", photos[2:3])
    views = pipe.observe_burst(photos[3].read_bytes())[0]
    tie = decide(views, pipe.gallery, replace(pipe.config, match=replace(pipe.config.match, margin=0.0)), 3)
    assert tie.decision is Decision.MATCH
    gap = tie.matches[0].score - tie.matches[1].score
    strict = replace(pipe.config, match=replace(pipe.config.match, margin=gap + 0.01))
    assert decide(views, pipe.gallery, strict, 3).decision is Decision.UNKNOWN


def test_odd_one_out_finds_the_stranger_in_a_batch(pipeline: FacePipeline, data_dir: Path) -> None:
    same = [pipeline.prepare_enrollment(p.read_bytes()).embedding for p in _photos(data_dir, "Yao_Ming")[3:6]]
    threshold = pipeline.config.match.same_person_threshold
    assert odd_one_out(same, threshold) is None
    stranger = pipeline.prepare_enrollment(_photos(data_dir, "Bill_Gates")[0].read_bytes()).embedding
    index, score = odd_one_out([same[0], stranger, same[1]], threshold)
    assert index == 1 and score < threshold
    assert odd_one_out(same[:1], threshold) is None


@pytest.mark.parametrize("severity", ["mild", "moderate"])
def test_a_dim_noisy_recognisable_face_passes_the_gates(pipeline: FacePipeline, data_dir: Path,
                                                       severity: str) -> None:
    image = cv2.imencode(".png", camera_grade(read(_photos(data_dir, "Yao_Ming")[1]), severity, 9)[0])[1].tobytes()
    face = pipeline.recognize(image).faces[0]
    assert face.quality.ok, face.quality.reason


def test_a_face_too_dark_for_the_recogniser_asks_for_more_light(pipe: FacePipeline, data_dir: Path) -> None:
    image = read(_photos(data_dir, "Yao_Ming")[1]).astype(np.float32)
    noise = np.random.default_rng(0).normal(0, 6, image.shape)
    dark = np.clip(image * 0.07 + noise, 0, 255).astype(np.uint8)  # about 4 stops under, with noise
    views = pipe.observe_burst(dark, complete=True)[0]
    assert views[0].feature_norm < pipe.config.quality.min_feature_norm
    face = pipe.recognize(dark).faces[0]
    assert face.decision is Decision.LOW_QUALITY and "more light" in face.quality.reason


def test_liveness_not_sure_asks_again_instead_of_calling_spoof(pipeline: FacePipeline, data_dir: Path) -> None:
    views = pipeline.observe_burst((data_dir / "spoof" / "real" / "sf_real_03.jpg").read_bytes(), complete=True)[0]
    score = views[0].liveness
    live = pipeline.config.liveness

    def verdict(threshold: float, spoof_below: float):
        config = replace(pipeline.config, liveness=replace(live, threshold=threshold, spoof_below=spoof_below))
        return decide(views, pipeline.gallery, config, 1)

    unsure = verdict(score + 0.01, score - 0.01)
    assert unsure.decision is Decision.LOW_QUALITY and "could not confirm a live face" in unsure.quality.reason
    assert verdict(score + 0.01, score + 0.005).decision is Decision.SPOOF
    assert verdict(0.0, 0.0).liveness.live  # threshold 0: liveness off


def test_a_buddy_punch_burst_never_matches_the_absent_person(empty_gallery_pipeline: FacePipeline,
                                                              data_dir: Path) -> None:
    """B's enrolment photo replayed on a phone (two frames, each refused alone) and a live stranger's frame
    in one burst. Averaged, they were a live MATCH for B; now a burst is one person and liveness is the
    weakest frame's, so whichever frame is the HQ one, nobody is punched as B."""
    pipe = empty_gallery_pipeline
    photo = (data_dir / "spoof_dev" / "fake" / "kalyani_replay_screen_04.jpg").read_bytes()
    enrolment = pipe.prepare_enrollment(photo)  # the photo HR enrolled B from, now on the buddy's phone
    assert enrolment.accepted, enrolment.reason
    pipe.gallery.add("b-0", "b", enrolment.embedding)
    replay = pipe.observe_burst(photo, complete=True)[0][0]
    stranger = pipe.observe_burst((data_dir / "spoof_dev" / "real" / "amit_live_01.jpg").read_bytes(),
                                  complete=True)[0][0]
    config = pipe.config
    assert decide([replay], pipe.gallery, config, 3).decision is not Decision.MATCH  # a replay alone is refused
    assert decide([stranger], pipe.gallery, config, 3).decision is Decision.UNKNOWN
    burst = [replay, replay, stranger]
    averaged = float(np.mean([o.liveness for o in burst]))
    assert averaged >= config.liveness.threshold  # what the mean of the frames let through
    assert float(fuse(burst) @ enrolment.embedding) >= config.match.threshold

    for hq_first in (burst, [stranger, replay, replay]):
        face = decide(hq_first, pipe.gallery, config, 3)
        assert face.decision is not Decision.MATCH, (face.decision, face.liveness)
    replay_hq = decide(burst, pipe.gallery, config, 3)
    assert replay_hq.liveness.score == pytest.approx(replay.liveness) and replay_hq.liveness.frames == 2
    stranger_hq = decide([stranger, replay, replay], pipe.gallery, config, 3)
    assert stranger_hq.decision is Decision.UNKNOWN and stranger_hq.liveness.frames == 1


def test_a_burst_frame_of_the_same_person_joins_and_another_persons_does_not(pipe: FacePipeline,
                                                                              data_dir: Path) -> None:
    """Identity, not box overlap: camera-grade frames of one face all join; another person's frame is left out."""
    photos = _photos(data_dir, "Vladimir_Putin")
    frames = camera_grade(read(photos[4]), "moderate", 5, frames=3)
    own = pipe.observe_burst(frames[0], frames[1:], complete=True)[0]
    other = pipe.observe_burst(read(_photos(data_dir, "Tim_Duncan")[0]), complete=True)[0]
    threshold = pipe.config.match.burst_same_person
    ok = Quality((), 0.0, 0.0, 0.0)
    assert len(one_person([(o, ok) for o in own + other], threshold)) == 3
    assert len(one_person([(o, ok) for o in other + own], threshold)) == 1
