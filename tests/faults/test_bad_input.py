"""Bad input: fuzzed RPCs to a real node and hub, fuzzed image decoding, image bombs refused early and cheaply,
and hostile strings stored and returned intact."""
from __future__ import annotations

import json
import subprocess
import sys

import grpc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools.faults.images import png_bomb, small_jpeg, with_jpeg_size
from tools.faults.protogen import HOSTILE_STRINGS
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as rpb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as rpb_grpc
from edge_node.vision.errors import InvalidImage
from edge_node.vision.image_io import decode_image
from tests.faults.conftest import run_script

# Measured in a fresh interpreter so that the peak RSS is not hidden by an earlier, larger peak.
_REFUSAL_PROBE = """
import json, resource, sys, time
from tools.faults.images import png_bomb, small_jpeg, with_jpeg_size
from edge_node.vision.errors import ImageTooLarge
from edge_node.vision.image_io import decode_image
images = {"jpeg_10000x10000": with_jpeg_size(small_jpeg(), 10000, 10000), "png_bomb_10000x10000": png_bomb()}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {}
for name, data in images.items():
    times = []
    for _ in range(50):
        start = time.perf_counter()
        try:
            decode_image(data)
        except ImageTooLarge:
            pass
        else:
            sys.exit(name + " was decoded")
        times.append(time.perf_counter() - start)
    out[name] = sorted(times)[len(times) // 2] * 1000
out["peak_rss_growth_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps(out))
"""


def test_fuzz_rpc_short(tmp_path, shared_dir):
    figures, done = run_script("fuzz_rpc", "--cases", "800", "--work-dir", str(tmp_path))
    assert done.returncode == 0, figures.get("failures") or done.stderr[-3000:]
    assert figures["cases"] >= 600 and figures["methods"] >= 30
    assert figures["crashes"] == figures["hangs"] == figures["bad_statuses"] == 0, figures["failures"]
    assert set(figures["oversized"].values()) == {"RESOURCE_EXHAUSTED"}
    assert figures["statuses"].get("OK", 0) > 0 and figures["statuses"].get("INVALID_ARGUMENT", 0) > 0


def test_huge_image_headers_are_refused_in_milliseconds_without_allocating():
    done = subprocess.run([sys.executable, "-c", _REFUSAL_PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["jpeg_10000x10000"] < 3.0 and figures["png_bomb_10000x10000"] < 3.0, figures
    assert figures["peak_rss_growth_kib"] < 20_000, figures  # decoding 10000x10000 BGR would take ~300 MB


def _mutations(seed_image: bytes) -> st.SearchStrategy[bytes]:
    """The image truncated, with bytes overwritten, or with random bytes inserted."""
    def mutate(edits: list[tuple[int, int]], cut: int) -> bytes:
        data = bytearray(seed_image[:max(2, cut)])
        for position, value in edits:
            data[position % len(data)] = value
        return bytes(data)
    edits = st.lists(st.tuples(st.integers(0, len(seed_image)), st.integers(0, 255)), max_size=8)
    return st.builds(mutate, edits, st.integers(2, len(seed_image)))


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.binary(max_size=300), _mutations(small_jpeg()), _mutations(with_jpeg_size(small_jpeg(), 9000, 9000))))
def test_decode_image_only_ever_returns_pixels_or_refuses(data):
    try:
        image = decode_image(data)
    except InvalidImage:
        return
    assert image.ndim == 3 and image.shape[2] == 3 and image.shape[0] * image.shape[1] <= 40_000_000


@pytest.mark.parametrize("image", [with_jpeg_size(small_jpeg(), 10_000, 10_000), png_bomb()], ids=["jpeg", "png_bomb"])
def test_recognize_refuses_huge_images_with_resource_exhausted(recognition_node, image):
    stub = rpb_grpc.RecognitionServiceStub(recognition_node.channel)
    with pytest.raises(grpc.RpcError) as info:
        stub.Recognize(rpb.RecognizeRequest(image=image), metadata=recognition_node.auth, timeout=5)
    assert info.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "10000x10000" in info.value.details()


def test_hostile_strings_are_stored_and_returned_intact(recognition_node):
    stub = apb_grpc.AttendanceServiceStub(recognition_node.channel)
    auth = recognition_node.auth
    data_dir = recognition_node.node.data_dir
    files_before = sorted(p.name for p in data_dir.rglob("*"))
    stored = []
    for text in HOSTILE_STRINGS:
        person = apb.Person(person_id=text[:64], display_name=f"{text[:100]} ✓")
        try:
            stub.UpsertPerson(apb.UpsertPersonRequest(person=person), metadata=auth, timeout=5)
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT, (text, exc.details())
            assert any(ord(c) < 32 for c in text) or text != text.strip() or "\x00" in text, (text, exc.details())
            continue
        stored.append(person)
        got = stub.GetPerson(apb.GetPersonRequest(person_id=person.person_id), metadata=auth, timeout=5).person
        assert (got.person_id, got.display_name) == (person.person_id, person.display_name)
        event = stub.RecordScan(apb.RecordScanRequest(person_id=person.person_id, camera_id=text[:64]),
                                metadata=auth, timeout=5).event
        assert (event.person_id, event.person_name, event.camera_id) == (person.person_id, person.display_name, text[:64])
    assert len(stored) >= len(HOSTILE_STRINGS) - 8
    listed = stub.ListPersons(apb.ListPersonsRequest(page_size=1000), metadata=auth, timeout=5).persons
    assert {(p.person_id, p.display_name) for p in stored} <= {(p.person_id, p.display_name) for p in listed}
    assert sorted(p.name for p in data_dir.rglob("*")) == files_before  # no id became a file name


def test_hub_refuses_values_postgresql_cannot_hold(hub):
    """uint64 above bigint and NUL in text once reached the database and came back INTERNAL (found by fuzz_rpc)."""
    from tools.faults.procs import create_hub_node, hub_token
    from edge_node.gen.edge.sync.v1 import sync_pb2 as spb
    from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as spb_grpc
    from google.protobuf.timestamp_pb2 import Timestamp

    child, _ = hub
    token = create_hub_node(child.address, hub_token(child.log_path.parent / "hub"), "site-x")
    auth = (("authorization", f"Bearer {token}"),)
    admin_auth = (("authorization", f"Bearer {hub_token(child.log_path.parent / 'hub')}"),)
    huge = (1 << 64) - 1
    event = spb.SyncEvent(seq=huge, person_id="p", event_type=1, occurred_at=Timestamp(seconds=1_800_000_000),
                          local_date="2027-01-15")
    nul_template = spb.RosterChange(version=1, entity=spb.ROSTER_ENTITY_TEMPLATE, op=spb.ROSTER_OP_DELETE,
                                    person_id="p", template_id="t\x00")
    requests = {"QueryEvents_nul": spb.QueryEventsRequest(person_id="\x00"),  # found by fuzz_rpc: was INTERNAL
                "PushRoster_nul": spb.PushRosterRequest(node_id="site-x", installation_id="box", changes=[nul_template]),
                "PullRoster": spb.PullRosterRequest(node_id="site-x", since_version=huge),
                "PushEvents_seq": spb.PushEventsRequest(node_id="site-x", installation_id="box", events=[event]),
                # found by fuzz_rpc: a queue depth above bigint reached the node row and came back INTERNAL
                "PushEvents_depth": spb.PushEventsRequest(node_id="site-x", installation_id="box", queue_depth=huge - 1),
                "PushEvents_lag": spb.PushEventsRequest(node_id="site-x", installation_id="box", lag_seconds=float("nan")),
                "PushRoster": spb.PushRosterRequest(node_id="site-x", installation_id="box", changes=[spb.RosterChange(
                    version=huge, entity=spb.ROSTER_ENTITY_PERSON, op=spb.ROSTER_OP_DELETE, person_id="p")]),
                "PushSchedules": spb.PushSchedulesRequest(node_id="site-x", installation_id="box", versions=[
                    apb.ScheduleVersion(version=huge, effective_from="2027-01-15", recorded_at=Timestamp())]),
                "PushSchedules_nul": spb.PushSchedulesRequest(node_id="site-x", installation_id="box", versions=[
                    apb.ScheduleVersion(version=1, effective_from="2027-01-15", actor="hr\x00", recorded_at=Timestamp())])}
    with grpc.insecure_channel(child.address) as channel:
        stub = spb_grpc.SyncServiceStub(channel)
        codes = {}
        for name, request in requests.items():
            try:
                call_auth = admin_auth if name.startswith("QueryEvents") else auth
                getattr(stub, name.split("_")[0])(request, metadata=call_auth, timeout=10)
                codes[name] = "OK"
            except grpc.RpcError as exc:
                codes[name] = exc.code().name
    assert codes == {name: "INVALID_ARGUMENT" for name in requests}, codes
