"""Domain errors of the recognition pipeline (no transport types)."""

from __future__ import annotations


class VisionError(Exception):
    """Base class for every error raised by ``edge_node.vision``."""


class InvalidImage(VisionError):
    """The bytes given are not an acceptable image; the message says how to fix it."""


class ImageTooLarge(InvalidImage):
    """The image exceeds the configured byte or pixel limit."""


class BackendUnavailable(VisionError):
    """An inference backend cannot be created (package missing, provider unknown)."""
