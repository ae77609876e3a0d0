"""`edge-node serve` as a real process: token on first start, durability across restart and kill -9."""
from __future__ import annotations

import signal
import stat
import threading
import time

import grpc

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc


def test_first_start_creates_a_0600_token_printed_once(spawn_node, tmp_path):
    first = spawn_node()
    token_file = first.data_dir / "admin.token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.data_dir.stat().st_mode) == 0o700
    assert first.stop() == 0  # SIGTERM: graceful exit
    second = spawn_node(first.data_dir)
    assert second.stop() == 0
    assert first.log_text().count(first.token) == 1 and "shutting down" in first.log_text()
    assert first.token not in second.log_text() and second.token == first.token


def test_acknowledged_scans_survive_kill_9(spawn_node):
    node = spawn_node()
    channel = grpc.insecure_channel(node.address)
    stub = pb_grpc.AttendanceServiceStub(channel)
    auth = (("authorization", f"Bearer {node.token}"),)
    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="w", display_name="Worker")), metadata=auth)
    acked: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            try:
                acked.append(stub.RecordScan(pb.RecordScanRequest(person_id="w"), metadata=auth, timeout=2).event.event_id)
            except grpc.RpcError:
                return

    thread = threading.Thread(target=writer)
    thread.start()
    while len(acked) < 200:
        thread.join(0.01)
    node.proc.send_signal(signal.SIGKILL)
    node.proc.wait()
    stop.set()
    thread.join()
    channel.close()

    restarted = spawn_node(node.data_dir)
    channel = grpc.insecure_channel(restarted.address)
    stub = pb_grpc.AttendanceServiceStub(channel)
    stored, token = set(), ""
    while True:
        page = stub.ListEvents(pb.ListEventsRequest(page_size=1000, page_token=token), metadata=auth)
        stored |= {e.event_id for e in page.events}
        token = page.next_page_token
        if not token:
            break
    channel.close()
    assert len(acked) >= 200 and set(acked) <= stored
    assert restarted.stop() == 0


def test_sigterm_ends_open_watch_streams_without_waiting_out_the_grace(spawn_node):
    node = spawn_node()
    channel = grpc.insecure_channel(node.address)
    stream = pb_grpc.AttendanceServiceStub(channel).WatchEvents(
        pb.WatchEventsRequest(), metadata=(("authorization", f"Bearer {node.token}"),))
    ended = threading.Event()
    threading.Thread(target=_drain, args=(stream, ended), daemon=True).start()
    time.sleep(0.5)  # the stream is open and idle
    started = time.monotonic()
    assert node.stop() == 0
    assert time.monotonic() - started < 3.0  # grace is 5 s: the stream did not hold the shutdown
    assert ended.wait(5)
    channel.close()


def _drain(stream, ended: threading.Event) -> None:
    try:
        for _ in stream:
            pass
    except grpc.RpcError:
        pass
    ended.set()
