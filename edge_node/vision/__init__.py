"""Plain-Python face recognition domain: decode, detect, quality, liveness, align, embed, match."""

from edge_node.vision.config import MatchConfig, VisionConfig
from edge_node.vision.errors import BackendUnavailable, ImageTooLarge, InvalidImage, VisionError
from edge_node.vision.gallery import Gallery, StoredTemplate
from edge_node.vision.pipeline import Enrollment, FacePipeline
from edge_node.vision.types import Box, Decision, Detection, FaceResult, Liveness, Match, Quality, QualityIssue, RecognitionResult

__all__ = [
    "BackendUnavailable",
    "Box",
    "Decision",
    "Detection",
    "Enrollment",
    "FacePipeline",
    "FaceResult",
    "Gallery",
    "ImageTooLarge",
    "InvalidImage",
    "Liveness",
    "Match",
    "MatchConfig",
    "Quality",
    "QualityIssue",
    "RecognitionResult",
    "StoredTemplate",
    "VisionConfig",
    "VisionError",
]
