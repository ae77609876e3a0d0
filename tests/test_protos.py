"""protos/ is the source of truth: generated code must be fresh and the protos must pass buf lint."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO


def test_generated_code_is_up_to_date():
    result = subprocess.run([sys.executable, "scripts/gen_protos", "--check"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_buf_lint_standard_passes():
    if shutil.which("buf") is None:
        pytest.fail("buf is not installed: npm install -g @bufbuild/buf")
    result = subprocess.run(["buf", "lint"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("domain,proto,prefix", [
    ("edge_node.attendance.model:EventType", "edge_node.gen.edge.attendance.v1.attendance_pb2:EventType", "EVENT_TYPE_"),
    ("edge_node.attendance.model:AnomalyKind", "edge_node.gen.edge.attendance.v1.attendance_pb2:AnomalyKind", "ANOMALY_KIND_"),
    ("edge_node.attendance.model:AttendanceStatus", "edge_node.gen.edge.attendance.v1.attendance_pb2:AttendanceStatus",
     "ATTENDANCE_STATUS_"),
    ("edge_node.vision.types:Decision", "edge_node.gen.edge.recognition.v1.recognition_pb2:Decision", "DECISION_"),
    ("edge_node.vision.types:QualityIssue", "edge_node.gen.edge.recognition.v1.recognition_pb2:QualityIssue",
     "QUALITY_ISSUE_"),
])
def test_domain_enums_mirror_the_proto_enums(domain: str, proto: str, prefix: str):
    """The servers convert by name (`f"{prefix}{value}"`): every domain value needs its proto twin and back."""
    import importlib

    def load(spec: str):
        module, _, name = spec.partition(":")
        return getattr(importlib.import_module(module), name)

    values = {member.value for member in load(domain)}
    names = {name.removeprefix(prefix) for name in load(proto).keys()} - {"UNSPECIFIED"}
    assert values == names
