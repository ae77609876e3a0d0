"""Score fusion: templates carry both recognisers, galleries take their view, the cosine is the mean."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from edge_node.vision import FacePipeline, VisionConfig
from edge_node.vision.align import align_face
from edge_node.vision.gallery import Gallery, StoredTemplate
from edge_node.vision.layout import EmbeddingLayout

from .conftest import read

SFACE, REID = ("s", 4), ("r", 6)


def unit(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=n).astype(np.float32)
    return v / np.linalg.norm(v)


def test_joined_cosine_is_the_mean_of_the_parts_cosines() -> None:
    both = EmbeddingLayout.of(SFACE, REID)
    a = both.join([unit(4, 1), unit(6, 2)])
    b = both.join([unit(4, 3), unit(6, 4)])
    assert both.model_id == "s+r" and both.dim == 10 and np.linalg.norm(a) == pytest.approx(1.0)
    assert a @ b == pytest.approx(((unit(4, 1) @ unit(4, 3)) + (unit(6, 2) @ unit(6, 4))) / 2, abs=1e-6)


def test_a_view_takes_the_parts_a_layout_matches_with() -> None:
    both, sface = EmbeddingLayout.of(SFACE, REID), EmbeddingLayout.of(SFACE)
    stored = both.join([unit(4, 1), unit(6, 2)])
    np.testing.assert_allclose(sface.view("s+r", stored, {"r": 6}), unit(4, 1), atol=1e-6)
    # The one part a node does not know is sized by what remains.
    np.testing.assert_allclose(sface.view("s+r", stored, {}), unit(4, 1), atol=1e-6)
    np.testing.assert_allclose(both.view("s+r", stored, {}), stored, atol=1e-6)
    assert both.view("s", unit(4, 1), {}) is None  # an SFace-only template cannot serve fusion
    assert sface.view("s+r", stored[:-1], {"r": 6}) is None  # sizes that do not add up
    assert sface.view("x+y", stored, {}) is None  # SFace missing, two unknown parts
    assert sface.carries("s+r") and not both.carries("s") and both.carries("s+r")


def test_a_gallery_loads_what_serves_its_layout_and_skips_the_rest() -> None:
    sface_gallery = Gallery(EmbeddingLayout.of(SFACE), known_dims=dict([REID]))
    fused_gallery = Gallery(EmbeddingLayout.of(SFACE, REID))
    stored = [StoredTemplate("t1", "ann", "s+r", EmbeddingLayout.of(SFACE, REID).join([unit(4, 1), unit(6, 2)])),
              StoredTemplate("t2", "bob", "s", unit(4, 5))]
    assert sface_gallery.load(stored) == 0 and len(sface_gallery) == 2
    assert sface_gallery.search(unit(4, 1), 1)[0].person_id == "ann"
    assert fused_gallery.load(stored) == 1 and len(fused_gallery) == 1


@pytest.fixture(scope="module")
def two_faces(data_dir: Path) -> list[np.ndarray]:
    return [read(data_dir / "faces" / "Amelie_Mauresmo" / f"Amelie_Mauresmo_000{i}.jpg") for i in (6, 7)]


def test_the_pipeline_probe_is_the_mean_of_sface_and_the_second_recogniser(pipeline: FacePipeline,
                                                                         two_faces: list[np.ndarray]) -> None:
    probes, sface, reid = [], [], []
    for image in two_faces:
        det = max(pipeline.detector.detect(image), key=lambda d: d.box.area)
        obs = pipeline.observe(image, det, complete=True)
        probes.append(obs.embedding)
        sface.append(pipeline.embedder.embed(align_face(image, det.landmarks)))
        reid.append(pipeline.recognisers.reid.embed(image, det.landmarks))
    assert pipeline.recognisers.fused and probes[0].shape == (128 + 256,)
    assert probes[0] @ probes[1] == pytest.approx((sface[0] @ sface[1] + reid[0] @ reid[1]) / 2, abs=1e-5)
    assert reid[0] @ reid[1] > 0.5  # the second recogniser sees the same person too


def test_with_fusion_off_probes_are_sface_but_templates_carry_both(models_dir: Path,
                                                                   two_faces: list[np.ndarray]) -> None:
    pipe = FacePipeline.from_models_dir(models_dir, VisionConfig(fusion=False))
    assert pipe.model_id == pipe.embedder.model_id and pipe.template_model_id.endswith("+" + pipe.recognisers.reid.model_id)
    enrolment = pipe.prepare_enrollment(two_faces[0])
    assert enrolment.accepted and enrolment.embedding.shape == (128,) and enrolment.template.shape == (384,)
    np.testing.assert_allclose(pipe.gallery.view(pipe.template_model_id, enrolment.template), enrolment.embedding,
                               atol=1e-5)
    assert pipe.config.match == VisionConfig().match  # SFace alone: SFace's calibration


def test_without_the_second_model_the_pipeline_matches_with_sface_alone(models_dir: Path, tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    for entry in models_dir.rglob("*"):
        if entry.is_file() and "extra" not in entry.parts:
            target = tmp_path / entry.relative_to(models_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(entry)
    with caplog.at_level(logging.WARNING):
        pipe = FacePipeline.from_models_dir(tmp_path, VisionConfig())
    assert pipe.recognisers.reid is None and pipe.model_id == pipe.template_model_id == pipe.embedder.model_id
    assert "second recogniser" in caplog.text and "models fetch --from" in caplog.text
    assert pipe.config.match == VisionConfig().match


def test_a_large_fused_gallery_shortlists_by_sface_and_finds_what_brute_force_finds() -> None:
    from edge_node.vision.gallery import SHORTLIST_FROM

    layout = EmbeddingLayout.of(("s", 128), ("r", 256))
    rng = np.random.default_rng(7)
    n = SHORTLIST_FROM + 5_000
    rows = rng.standard_normal((n, 384), dtype=np.float32)
    gallery = Gallery(layout, capacity=n)
    for i, row in enumerate(rows):
        gallery.add(f"t{i}", f"p{i}", row)  # one template a person: the matrix rows are the templates
    matrix = rows / np.linalg.norm(rows, axis=1, keepdims=True)  # the gallery's normalised rows
    for k in range(20):  # genuine-like probes: a noisy view of one enrolled template
        probe = layout.join([matrix[k * 997, :128] + rng.normal(0, 0.06, 128).astype(np.float32),
                             matrix[k * 997, 128:] + rng.normal(0, 0.04, 256).astype(np.float32)])
        exact = matrix @ probe
        best = int(np.argmax(exact))
        found = gallery.search(probe, 3)
        assert found[0].template_id == f"t{best}" and found[0].score == pytest.approx(float(exact[best]), abs=1e-5)
