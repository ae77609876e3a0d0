"""A large site from one photo each: the threshold follows the gallery size, a crowded photo alone
enrols its centred subject (real photos through the real models), learned templates pay a penalty."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from edge_node.vision import Decision, FacePipeline
from edge_node.vision.config import MatchConfig
from edge_node.vision.decision import decide, gallery_threshold
from edge_node.vision.enrolment_checks import vouch_for_crowded
from edge_node.vision.gallery import Gallery
from edge_node.vision.layout import EmbeddingLayout

from .conftest import read


def test_the_threshold_holds_up_to_the_reference_size_and_rises_per_doubling() -> None:
    match = MatchConfig(threshold=0.48, reference_people=360, per_doubling=0.0173)
    assert gallery_threshold(match, 1) == gallery_threshold(match, 360) == 0.48
    assert gallery_threshold(match, 720) == pytest.approx(0.48 + 0.0173)
    assert gallery_threshold(match, 2880) == pytest.approx(0.48 + 3 * 0.0173)
    assert gallery_threshold(replace(match, per_doubling=0.0), 2880) == 0.48


def test_the_same_face_that_matches_in_a_small_gallery_is_unknown_in_a_large_one(
        empty_gallery_pipeline: FacePipeline, data_dir: Path) -> None:
    """Putin's enrolment photo and another photo of him score s; with the base threshold just under
    s and the reference size 1, one person is a MATCH and two people (the second a face far from
    his) raise the threshold over s: UNKNOWN."""
    pipe = empty_gallery_pipeline
    photos = sorted((data_dir / "faces" / "Vladimir_Putin").glob("*.jpg"))
    enrolled = pipe.prepare_enrollment(photos[0].read_bytes())
    assert enrolled.accepted, enrolled.reason
    pipe.gallery.add("putin-0", "putin", enrolled.embedding)
    observations = pipe.observe_burst(read(photos[3]))[0]
    score = pipe.gallery.search(observations[0].embedding, 1)[0].score
    no_live = replace(pipe.config.liveness, threshold=0.0)
    match = replace(pipe.config.match, threshold=score - 0.005, margin=0.0, reference_people=1, per_doubling=0.01)
    config = replace(pipe.config, match=match, liveness=no_live)
    assert decide(observations, pipe.gallery, config, 1).decision is Decision.MATCH
    other = pipe.prepare_enrollment((data_dir / "faces" / "Yao_Ming" / "Yao_Ming_0001.jpg").read_bytes())
    pipe.gallery.add("yao-0", "yao", other.embedding)
    face = decide(observations, pipe.gallery, config, 1)
    assert face.decision is Decision.UNKNOWN and face.matches[0].person_id == "putin"


@pytest.mark.parametrize("photo", ["faces/Luis_Figo/Luis_Figo_0003.jpg", "faces/Mike_Tyson/Mike_Tyson_0002.jpg",
                                   "faces/Yao_Ming/Yao_Ming_0004.jpg"])
def test_a_crowded_photo_alone_enrols_its_centred_subject(pipeline: FacePipeline, data_dir: Path, photo: str) -> None:
    """Press photos with other people beside the person: the largest face, on the photo's centre line,
    is the one a person sees at a glance, and it is enrolled with a reason saying so."""
    alone = pipeline.prepare_enrollment((data_dir / photo).read_bytes())
    assert not alone.accepted and alone.centred
    verdict = vouch_for_crowded([alone], pipeline.config.match.same_person_threshold)[0]
    assert verdict.accepted and "in the middle of the photo" in verdict.reason


def test_two_people_side_by_side_stay_refused(pipeline: FacePipeline, data_dir: Path) -> None:
    """Two portraits side by side: the centre line runs between the faces, so neither is the subject."""
    pair = np.hstack([read(data_dir / "faces" / "Bill_Gates" / "Bill_Gates_0001.jpg"),
                      read(data_dir / "faces" / "Yao_Ming" / "Yao_Ming_0001.jpg")])
    alone = pipeline.prepare_enrollment(pair)
    assert not alone.centred
    assert not vouch_for_crowded([alone], pipeline.config.match.same_person_threshold)[0].accepted


def test_a_learned_template_and_its_persons_mean_score_lower_by_the_penalty() -> None:
    gallery = Gallery(EmbeddingLayout.of(("m", 4)))
    enrolled, learned = np.array([1.0, 0.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0, 0.0])
    gallery.add("e", "p", enrolled)
    gallery.add("l", "p", learned, penalty=0.03)
    assert gallery.search(learned, 1)[0].score == pytest.approx(1.0 - 0.03)  # through the learned row
    mean = (enrolled + learned) / np.sqrt(2)
    assert gallery.search(mean, 1)[0].score == pytest.approx(1.0 - 0.03)  # through the mean, which includes it
    assert gallery.search(enrolled, 1)[0].score == pytest.approx(1.0)  # the enrolled row keeps its score
    gallery.remove("l")
    assert gallery.search(mean, 1)[0].score == pytest.approx(float(mean @ enrolled))
