"""The check-in tests use the capture tests' live node and simulated cameras."""
from tests.capture.conftest import capture_node, start_sim  # noqa: F401 - fixtures
