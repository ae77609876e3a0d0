"""Camera-link attack: the node in its own network namespace; on the LAN side (the root namespace) a simulated
camera pairs (the X25519 exchange, its code approved) and streams, the box restarts (the camera says Hello
again, signed), and a LAN host that captured every packet on the node's link since before the pairing attacks
the camera protocol for `flood` seconds from several connections:

- strangers' pairing Hellos for the paired camera_id, and for invented camera ids;
- Hellos claiming the link key with a forged MAC;
- the camera's own signed Hellos, taken from the capture and replayed;

then replays captured frames, sends forged ones, and checks captured replies against other frames and Hellos
than the ones they answered. Figures: what the attacker sent and got, how the camera streamed meanwhile (the
longest gap in frames the box accepted), whether its key changed, and whether any key is in the capture.
"""
from __future__ import annotations

import collections
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from edge_node.camera_sim.connect import ConnectClient, ConnectError
from edge_node.camera_sim.link import frame_reply
from edge_node.camera_sim.playlist import SimFrame
from edge_node.camera_sim.simulator import CameraSimulator, SimOptions
from edge_node.common.frame_mac import hello_reply_valid, session_key
from edge_node.gen.edge.capture.v1 import capture_pb2, capture_pb2_grpc
from tools.faults import people
from tools.faults.load import open_channel
from tools.faults.netns import NodeNamespace
from tools.faults.procs import free_port, node_child
from tools.faults.sniff import HttpMessage, Segment, Sniffer, contains, http_messages, split_messages

CAMERA_ID = "cam-attacked"
ATTACKER = "attacker"  # the firmware_version of the attacker's own Hellos
HELLO = b"POST /edge.capture.v1.CaptureService/Hello "


@dataclass(frozen=True)
class AttackOptions:
    flood: float = 600.0  # seconds of Hello flooding
    connections: int = 2  # attacker connections flooding at once
    settle: float = 3.0  # seconds of streaming before and after the flood


class Attacker:
    """A LAN host: keeps the camera's signed Hellos it sees go by, and floods the camera ingest with Hellos."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.seen_hellos: collections.deque[bytes] = collections.deque(maxlen=32)
        self.answers: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._streams: dict[tuple[str, int], bytearray] = {}

    def watch(self, seg: Segment) -> None:
        """Sniffer hook: follow each connection to the ingest and keep the camera's signed Hellos (not ours)."""
        if seg.dport != self.port:
            return
        stream = self._streams.setdefault((seg.src, seg.sport), bytearray())
        stream += seg.payload
        messages = list(split_messages(bytes(stream), (seg.src, seg.sport)))
        if messages:
            used = sum(m.wire_length for m in messages)
            del stream[:used]
        for message in messages:
            if not message.first_line.startswith(HELLO):
                continue
            hello = capture_pb2.HelloRequest.FromString(message.body)
            if hello.camera_id == CAMERA_ID and hello.hello_mac and hello.firmware_version != ATTACKER:
                self.seen_hellos.append(message.body)

    def flood(self, until: float) -> None:
        client = ConnectClient(self.host, self.port, timeout=5.0)
        i = 0
        while time.monotonic() < until:
            i += 1
            kind, body = self._hello(i)
            try:
                reply = capture_pb2.HelloResponse.FromString(client.post("Hello", body))
                answer = capture_pb2.CameraState.Name(reply.state)
            except ConnectError as exc:
                answer = exc.code
            except OSError:
                answer = "network"
                client = ConnectClient(self.host, self.port, timeout=5.0)
            with self._lock:
                self.answers[f"{kind}:{answer}"] += 1
        client.close()

    def _hello(self, i: int) -> tuple[str, bytes]:
        kind = ("stranger", "forged_mac", "replayed", "invented_id")[i % 4]
        request = capture_pb2.HelloRequest(camera_id=CAMERA_ID, firmware_version=ATTACKER,
                                           device_nonce=os.urandom(16), hello_nonce=os.urandom(16))
        if kind == "stranger":
            request.pairing_commitment = os.urandom(32)
            if i % 8 == 0:
                request.pairing_public_key = os.urandom(32)  # not what it committed to
        elif kind == "forged_mac":
            request.has_link_key, request.hello_mac = True, os.urandom(32)
        elif kind == "replayed" and self.seen_hellos:
            return kind, self.seen_hellos[i % len(self.seen_hellos)]
        else:
            kind = "invented_id"
            request.camera_id, request.pairing_commitment = f"x{os.urandom(8).hex()}", os.urandom(32)
        return kind, request.SerializeToString()


def _scene() -> SimFrame:
    ok, jpeg = cv2.imencode(".jpg", np.full((120, 160, 3), 90, np.uint8))
    assert ok
    return SimFrame("scene", jpeg.tobytes(), jpeg.tobytes())


def _approve(stub: capture_pb2_grpc.CaptureServiceStub, auth: tuple, sim: CameraSimulator) -> str:
    """Approve the camera with the code it shows, once the box lists the same code."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        code = sim.link.pairing_code
        listed = {c.camera_id: c for c in stub.ListCameras(capture_pb2.ListCamerasRequest(), metadata=auth,
                                                           timeout=5).cameras}
        if code and CAMERA_ID in listed and listed[CAMERA_ID].pairing_code == code:
            stub.ApproveCamera(capture_pb2.ApproveCameraRequest(camera_id=CAMERA_ID, pairing_code=code),
                               metadata=auth, timeout=5)
            return code
        time.sleep(0.05)
    raise TimeoutError(f"camera {CAMERA_ID} did not complete its pairing exchange within 30 s")


def _frames_received(stub: capture_pb2_grpc.CaptureServiceStub, auth: tuple) -> int:
    cameras = stub.ListCameras(capture_pb2.ListCamerasRequest(), metadata=auth, timeout=5).cameras
    return next((c.frames_received for c in cameras if c.camera_id == CAMERA_ID), 0)


def _refused(client: ConnectClient, method: str, body: bytes) -> bool:
    try:
        client.post(method, body)
        return False
    except ConnectError:
        return True


def _reply_figures(requests: list[HttpMessage], replies: list[HttpMessage], link_key: bytes) -> dict:
    """Captured replies checked as the camera checks them: against the request they answered, and replayed
    against the next one on the same connection."""
    by_connection: dict[tuple[str, int], list[HttpMessage]] = collections.defaultdict(list)
    for reply in replies:
        by_connection[reply.connection].append(reply)
    genuine = replayed = 0
    for connection, answers in by_connection.items():
        asked = [r for r in requests if r.connection == connection]
        pairs = [(q, a) for q, a in zip(asked, answers) if a.first_line.split(b" ")[1] == b"200"]
        for (request, reply), (later, _) in zip(pairs, pairs[1:] + pairs[:1]):
            if request.first_line.split(b" ")[1].endswith(b"/PushFrame"):
                frame = capture_pb2.PushFrameRequest.FromString(request.body)
                key = session_key(link_key, frame.session_id)
                genuine += frame_reply(key, frame.sequence, reply.body) is not None
                replayed += frame_reply(key, frame.sequence + 1, reply.body) is not None
            else:
                hello = capture_pb2.HelloRequest.FromString(request.body)
                if hello.firmware_version == ATTACKER or not hello.hello_mac:
                    continue
                genuine += hello_reply_valid(link_key, hello.hello_nonce, reply.body)
                if later.first_line.split(b" ")[1].endswith(b"/Hello") and later is not request:
                    other = capture_pb2.HelloRequest.FromString(later.body).hello_nonce
                    replayed += other != hello.hello_nonce and hello_reply_valid(link_key, other, reply.body)
    return {"genuine_replies_verified": genuine, "replayed_replies_accepted": replayed}


def run_attack(work: Path, options: AttackOptions) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    capture_path = work / "lan.capture"
    with NodeNamespace() as ns:
        # The admin's gRPC in plain text on purpose (insecure): the attack is on the camera link, which has its own
        # keys; test_attacker covers gRPC with TLS, the default beyond loopback.
        node = node_child(work / "node", f"{ns.node_ip}:{free_port()}", prefix=ns.prefix,
                          env={"EDGE_NODE_RECOGNITION_ENABLED": "0", "EDGE_NODE_SERVER_INSECURE": "1"})
        host, port = node.capture_address.rsplit(":", 1)
        attacker = Attacker(host, int(port))
        sniffer = Sniffer(ns.lan_root_link, capture_path, attacker.watch).start()  # before pairing: it sees it
        sim = CameraSimulator(host, int(port), CAMERA_ID, [_scene()], state_file=work / "camera.json",
                              options=SimOptions(fps=5.0, hold_seconds=3600.0))
        stop_camera = threading.Event()
        camera = threading.Thread(target=sim.run, args=(stop_camera,), name="camera", daemon=True)
        try:
            node.start(60)
            auth = people.auth_for(work / "node")
            with open_channel(node.address) as channel:
                stub = capture_pb2_grpc.CaptureServiceStub(channel)
                camera.start()
                code = _approve(stub, auth, sim)
                while sim.stats.state != "PAIRED" or _frames_received(stub, auth) < 3:
                    time.sleep(0.05)
                key_before = sim.device.link_key
                # A restart of the box: the camera's next frame is refused, it says Hello signed with its key
                # (which the attacker captures) and goes on in a new session.
                node.stop()
                node.start(60)
                deadline = time.monotonic() + 30
                while _frames_received(stub, auth) < 3 and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(options.settle)
                figures = _flood(stub, auth, attacker, sim, options)
                time.sleep(options.settle)
                figures.update(_replays(capture_path, host, int(port)))
                figures["pairing_code_approved"] = code
                figures["camera_key_kept"] = bool(key_before) and sim.device.link_key == key_before
                figures["camera_state_after"] = sim.stats.state
                figures["frames_after_flood"] = _frames_received(stub, auth) - figures.pop("_frames_at_end")
        finally:
            stop_camera.set()
            camera.join(10)
            sniffer.stop()
            node.stop()
    figures.update(_capture_figures(capture_path, int(port), key_before, attacker))
    figures["captured_frames"], figures["captured_bytes"] = sniffer.frames, sniffer.bytes
    figures["attacker_answers"] = dict(sorted(attacker.answers.items()))
    figures["camera_unverified_replies"] = sim.stats.unverified_replies
    return figures


def _flood(stub, auth, attacker: Attacker, sim: CameraSimulator, options: AttackOptions) -> dict:
    """Flood for options.flood seconds while sampling the frames the box accepted from the camera."""
    sessions_before = sim.stats.sessions
    began = time.monotonic()
    until = began + options.flood
    threads = [threading.Thread(target=attacker.flood, args=(until,), daemon=True) for _ in range(options.connections)]
    for thread in threads:
        thread.start()
    last_count, last_change, longest_gap = _frames_received(stub, auth), began, 0.0
    first_count = last_count
    while (now := time.monotonic()) < until:
        count = _frames_received(stub, auth)
        if count != last_count:
            longest_gap = max(longest_gap, now - last_change)
            last_count, last_change = count, now
        time.sleep(0.25)
    longest_gap = max(longest_gap, time.monotonic() - last_change)
    for thread in threads:
        thread.join(30)
    hellos = sum(attacker.answers.values())
    return {"flood_seconds": round(time.monotonic() - began, 1), "attacker_hellos": hellos,
            "attacker_hellos_per_s": round(hellos / options.flood, 1),
            "frames_during_flood": last_count - first_count, "longest_frame_gap_s": round(longest_gap, 2),
            "camera_sessions_during_flood": sim.stats.sessions - sessions_before,
            "_frames_at_end": last_count}


def _capture_figures(capture_path: Path, port: int, link_key: bytes, attacker: Attacker) -> dict:
    """Replays and forgeries from what was captured, and every key looked for in the captured bytes."""
    requests, replies = http_messages(capture_path, port)
    pushes = [r for r in requests if r.first_line.endswith(b"/PushFrame HTTP/1.1")]
    hellos = [capture_pb2.HelloRequest.FromString(r.body) for r in requests if r.first_line.startswith(HELLO)]
    sessions = {capture_pb2.PushFrameRequest.FromString(r.body).session_id for r in pushes}
    secrets = [link_key, link_key.hex().encode(), *(session_key(link_key, s) for s in sessions)]
    in_bytes = contains(capture_path, secrets)
    in_streams = [s for s in secrets if any(s in m.body for m in requests + replies)]
    figures = {"captured_pushframes": len(pushes), "captured_sessions": len(sessions),
               "keys_looked_for": len(secrets), "keys_in_capture": len(set(in_bytes) | set(in_streams)),
               "pairing_exchange_captured": any(h.pairing_public_key and h.firmware_version != ATTACKER
                                                for h in hellos)}
    figures.update(_reply_figures(requests, replies, link_key))
    return figures


def _replays(capture_path: Path, host: str, port: int) -> dict:
    """Captured frames sent again (the first ones, from ended sessions, and the latest, from the current one),
    and forged ones: a captured frame with another JPEG, and one with a random MAC."""
    pushes = [r.body for r in http_messages(capture_path, port)[0] if r.first_line.endswith(b"/PushFrame HTTP/1.1")]
    replayed = pushes[:5] + pushes[-20:]
    forged = []
    if pushes:
        latest = capture_pb2.PushFrameRequest.FromString(pushes[-1])
        other_jpeg, random_mac = capture_pb2.PushFrameRequest(), capture_pb2.PushFrameRequest()
        other_jpeg.CopyFrom(latest)
        other_jpeg.sequence, other_jpeg.jpeg = latest.sequence + 1000, latest.jpeg[:-2] + b"\x00\xff\xd9"
        random_mac.CopyFrom(other_jpeg)
        random_mac.mac = os.urandom(32)
        forged = [other_jpeg.SerializeToString(), random_mac.SerializeToString()]
    client = ConnectClient(host, port)
    figures = {"replayed_frames_sent": len(replayed),
               "replayed_frames_accepted": sum(not _refused(client, "PushFrame", b) for b in replayed),
               "forged_frames_sent": len(forged),
               "forged_frames_accepted": sum(not _refused(client, "PushFrame", b) for b in forged)}
    client.close()
    return figures


def verdict(figures: dict, max_gap: float = 5.0) -> list[str]:
    """What went wrong, for people; [] when the link held."""
    problems = []
    if figures["keys_in_capture"]:
        problems.append(f"{figures['keys_in_capture']} key(s) found in the captured bytes")
    if not figures["pairing_exchange_captured"]:
        problems.append("the capture does not hold the camera's pairing exchange (the sniffer saw too little)")
    if figures["attacker_hellos"] == 0 or not any(k.startswith("replayed:") for k in figures["attacker_answers"]):
        problems.append("the attacker did not flood, or never replayed a captured signed Hello")
    if not figures["camera_key_kept"] or figures["camera_state_after"] != "PAIRED":
        problems.append("the camera lost or changed its key, or is no longer paired")
    if figures["longest_frame_gap_s"] > max_gap or figures["frames_during_flood"] == 0:
        problems.append(f"the camera's frames stopped for {figures['longest_frame_gap_s']} s during the flood")
    if figures["frames_after_flood"] == 0:
        problems.append("the camera sent no frame after the flood")
    for name in ("replayed_frames_accepted", "forged_frames_accepted", "replayed_replies_accepted",
                 "camera_unverified_replies"):
        if figures[name]:
            problems.append(f"{name}: {figures[name]}")
    if figures["replayed_frames_sent"] == 0 or figures["genuine_replies_verified"] == 0:
        problems.append("nothing was replayed, or no captured reply verified (the checks did not run)")
    return problems
