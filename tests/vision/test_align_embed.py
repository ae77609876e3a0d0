"""Alignment and SFace embeddings against OpenCV's FaceRecognizerSF (test oracle only)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.vision import FacePipeline
from edge_node.vision.align import ARCFACE_TEMPLATE, align_face, similarity_transform

from .conftest import read


@pytest.fixture(scope="module")
def oracle(models_dir: Path) -> cv2.FaceRecognizerSF:
    return cv2.FaceRecognizerSF.create(str(models_dir / "ort_compat/face_recognition_sface_2021dec_int8bq_ort.onnx"), "")


def test_similarity_transform_recovers_known_transform() -> None:
    angle, scale, shift = np.deg2rad(17.0), 1.7, np.array([12.0, -30.0])
    rot = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    src = ARCFACE_TEMPLATE + np.array([5.0, 3.0])
    dst = src @ rot.T + shift
    matrix = similarity_transform(src, dst)
    np.testing.assert_allclose(matrix[:, :2], rot, atol=1e-9)
    np.testing.assert_allclose(matrix[:, 2], shift, atol=1e-9)


def _face(pipeline: FacePipeline, path: Path) -> tuple[np.ndarray, np.ndarray]:
    image = read(path)
    det = max(pipeline.detector.detect(image), key=lambda d: d.box.area)
    return image, det.as_row()


def test_alignment_and_features_match_opencv(pipeline: FacePipeline, oracle: cv2.FaceRecognizerSF,
                                             data_dir: Path) -> None:
    paths = [data_dir / "misc" / "astronaut.png", *sorted((data_dir / "faces").glob("B*/*_0001.jpg"))[:3]]
    for path in paths:
        image, row = _face(pipeline, path)
        ours = align_face(image, row[4:14].reshape(5, 2))
        ref = oracle.alignCrop(image, row)
        assert np.mean(np.abs(ours.astype(int) - ref.astype(int))) < 2.0, path
        feature = pipeline.embedder.embed(ours)
        ref_feature = oracle.feature(ref).reshape(-1)
        assert abs(np.linalg.norm(feature) - 1.0) < 1e-5
        assert feature @ ref_feature / np.linalg.norm(ref_feature) > 0.99, path


def test_embeddings_separate_identities(pipeline: FacePipeline, data_dir: Path) -> None:
    def emb(name: str) -> np.ndarray:
        image, row = _face(pipeline, data_dir / "faces" / name.rsplit("_", 1)[0] / f"{name}.jpg")
        return pipeline.embedder.embed(align_face(image, row[4:14].reshape(5, 2)))

    same = emb("Amelie_Mauresmo_0006") @ emb("Amelie_Mauresmo_0007")
    other = emb("Amelie_Mauresmo_0006") @ emb("Anders_Fogh_Rasmussen_0001")
    assert same > 0.8 and other < 0.2


def test_template_ids_carry_model_hash(pipeline: FacePipeline) -> None:
    assert pipeline.model_id == "sface_int8bq-315cf7731828+reid0095-a02db2f53fe3"
