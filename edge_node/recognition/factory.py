"""Builds the RecognitionEngine from the node's configuration (fails closed without verified models)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from edge_node.config import RecognitionConfig
from edge_node.recognition.engine import AuditLog, PersonDirectory, RecognitionEngine
from edge_node.recognition.shared_gallery import SharedGallery
from edge_node.recognition.templates import TemplateStore
from edge_node.vision.backend import LITERT, BackendConfig
from edge_node.vision.config import VisionConfig
from edge_node.vision.image_io import ImageLimits
from edge_node.vision.pipeline import FacePipeline
from edge_node.vision.timing import StageObserver


LITERT_DETECTOR_MODEL = "yunet_2023mar"


def vision_config(config: RecognitionConfig) -> VisionConfig:
    """The pipeline settings the node's recognition config implies."""
    base = VisionConfig()
    return replace(
        base,
        runtime=BackendConfig(intra_op_threads=config.threads, providers=config.providers,
                              detector=config.detector_backend, recognizer=config.embedder_backend,
                              liveness=config.liveness_backend),
        # The only LiteRT YuNet for whole frames has a fixed 640x640 input.
        detector_model=LITERT_DETECTOR_MODEL if config.detector_backend == LITERT else base.detector_model,
        limits=ImageLimits(max_bytes=config.max_image_bytes, max_pixels=config.max_image_pixels),
        liveness=replace(base.liveness, threshold=config.liveness_threshold, policy=config.liveness_policy),
        fusion=config.fusion,
        learning=replace(base.learning, per_person=config.learned_templates),
    )


def build_engine(config: RecognitionConfig, models_dir: Path, persons: PersonDirectory, templates: TemplateStore,
                 audit: AuditLog, observer: StageObserver | None = None) -> RecognitionEngine:
    """Load `config.workers` pipelines sharing one gallery; raises ModelsUnavailable if a model is bad."""
    settings = vision_config(config)
    first = FacePipeline.from_models_dir(models_dir, settings, observer)
    gallery = SharedGallery(first.recognisers.matching, first.recognisers.known_dims)
    pipelines = [replace_gallery(first, gallery)]
    for _ in range(config.workers - 1):
        pipelines.append(replace_gallery(FacePipeline.from_models_dir(models_dir, settings, observer), gallery))
    return RecognitionEngine(pipelines, persons, templates, audit)


def replace_gallery(pipeline: FacePipeline, gallery: SharedGallery) -> FacePipeline:
    return FacePipeline(pipeline.detector, pipeline.liveness, pipeline.recognisers, gallery, pipeline.config,
                        pipeline.observer)
