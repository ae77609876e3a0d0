"""Model manifest, checksum verification and fetching (``edge-node models ...``)."""

from edge_node.modelstore.fetch import FetchError, fetch
from edge_node.modelstore.manifest import Manifest, ModelEntry, load_manifest
from edge_node.modelstore.verify import ModelsUnavailable, VerifyReport, require, verify

__all__ = [
    "FetchError",
    "Manifest",
    "ModelEntry",
    "ModelsUnavailable",
    "VerifyReport",
    "fetch",
    "load_manifest",
    "require",
    "verify",
]
