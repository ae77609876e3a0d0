"""End-to-end FacePipeline decisions on real images."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.vision import Decision, FacePipeline, InvalidImage, QualityIssue
from edge_node.vision.timing import LatencyRecorder


def _bytes(data_dir: Path, rel: str) -> bytes:
    return (data_dir / rel).read_bytes()


def test_enrol_then_match_and_unknown(empty_gallery_pipeline: FacePipeline, data_dir: Path) -> None:
    pipe = empty_gallery_pipeline
    enrol = pipe.prepare_enrollment(_bytes(data_dir, "faces/Bill_Gates/Bill_Gates_0001.jpg"))
    assert enrol.accepted and enrol.embedding is not None and enrol.duplicate_of is None
    pipe.gallery.add("tpl-1", "bill", enrol.embedding)

    again = pipe.prepare_enrollment(_bytes(data_dir, "faces/Bill_Gates/Bill_Gates_0012.jpg"))
    assert again.accepted and again.duplicate_of is not None and again.duplicate_of.person_id == "bill"

    result = pipe.recognize(_bytes(data_dir, "faces/Bill_Gates/Bill_Gates_0003.jpg"))
    assert result.decision is Decision.MATCH
    face = result.faces[0]
    assert face.matches[0].person_id == "bill" and face.liveness.checked and face.liveness.live
    assert (result.image_width, result.image_height) == (250, 250)

    stranger = pipe.recognize(_bytes(data_dir, "faces_singletons/Tara_Reid/Tara_Reid_0001.jpg"))
    assert stranger.decision is Decision.UNKNOWN
    assert stranger.faces[0].matches[0].score < pipe.config.match.threshold


def test_spoof_no_face_and_invalid(pipeline: FacePipeline, data_dir: Path) -> None:
    assert pipeline.recognize(_bytes(data_dir, "spoof/fake/sf_print_03.jpg")).decision is Decision.SPOOF
    assert pipeline.recognize(_bytes(data_dir, "spoof/real/sf_real_01.jpg")).faces[0].liveness.live
    nothing = pipeline.recognize(_bytes(data_dir, "noface/chelsea.png"))
    assert nothing.decision is Decision.NO_FACE and nothing.faces == []
    with pytest.raises(InvalidImage):
        pipeline.recognize(b"GIF89a not supported")


def test_enrolment_refuses_no_face(pipeline: FacePipeline, data_dir: Path) -> None:
    outcome = pipeline.prepare_enrollment(_bytes(data_dir, "noface/coffee.png"))
    assert not outcome.accepted and outcome.quality.issues == (QualityIssue.NO_FACE,) and outcome.reason


def test_extra_frames_average_liveness(pipeline: FacePipeline, data_dir: Path) -> None:
    frame = _bytes(data_dir, "spoof/real/sf_real_04.jpg")
    single = pipeline.recognize(frame).faces[0].liveness
    multi = pipeline.recognize(frame, extra_frames=[frame, _bytes(data_dir, "noface/brick.png")]).faces[0].liveness
    assert multi.frames == 2 and multi.score == pytest.approx(single.score, abs=1e-6)


def test_stage_timings_reach_the_observer(models_dir: Path, data_dir: Path) -> None:
    recorder = LatencyRecorder()
    pipe = FacePipeline.from_models_dir(models_dir, observer=recorder)
    result = pipe.recognize(_bytes(data_dir, "misc/astronaut.png"))
    stages = {"decode", "detect", "align", "quality", "liveness", "embed", "match", "total"}
    assert set(result.timings_ms) == stages == set(recorder.percentiles(50, 95))
    assert result.timings_ms["total"] >= result.timings_ms["embed"] > 0


def test_smaller_stream_frames_join_the_hq_frame(pipeline: FacePipeline, data_dir: Path) -> None:
    """A burst of stream frames (QVGA) beside the HQ frame (VGA): the same view at another size, so
    the face is found in them; a frame of the face elsewhere in the view is left out."""
    face = cv2.resize(cv2.imread(str(data_dir / "misc" / "astronaut.png")), (480, 480), interpolation=cv2.INTER_AREA)
    hq = cv2.copyMakeBorder(face, 0, 0, 80, 80, cv2.BORDER_REPLICATE)
    stream = cv2.resize(hq, (320, 240), interpolation=cv2.INTER_AREA)
    elsewhere = np.full_like(hq, 128)
    elsewhere[:240, :240] = cv2.resize(face, (240, 240), interpolation=cv2.INTER_AREA)
    moved = cv2.resize(elsewhere, (320, 240), interpolation=cv2.INTER_AREA)
    assert pipeline.recognize(cv2.imencode(".jpg", moved)[1].tobytes()).faces, "the moved face is detectable"
    jpeg = lambda image: cv2.imencode(".jpg", image)[1].tobytes()  # noqa: E731
    result = pipeline.recognize(jpeg(hq), extra_frames=[jpeg(stream), jpeg(stream), jpeg(moved)])
    assert result.faces[0].liveness.frames == 3

    # The same stream frames observed ahead (while the camera switches to HQ) decide the same way.
    ahead = [pipeline.observe_ahead(jpeg(image)) for image in (stream, stream, moved)]
    early = pipeline.recognize(jpeg(hq), ahead=[view for view in ahead if view is not None])
    assert early.faces[0].liveness.frames == 3
    assert early.faces[0].liveness.score == pytest.approx(result.faces[0].liveness.score, abs=1e-6)
    assert np.allclose(early.faces[0].embedding, result.faces[0].embedding, atol=1e-6)
    assert pipeline.observe_ahead(jpeg(np.full_like(hq, 128))) is None
