"""`edge-node demo`: a working appliance without hardware: models from the shared folder, the node with
its camera ingest and kiosk, a few enrolled persons and a simulated camera playing a playlist."""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path

import edge_node
from edge_node.attendance.model import Event
from edge_node.camera_sim.playlist import load_frame
from edge_node.camera_sim.simulator import CameraSimulator, SimOptions
from edge_node.checkin.results import LiveResult
from edge_node.cli.exits import CommandError
from edge_node.config import Config, RecognitionConfig, ServerConfig, StorageConfig, default_data_dir, load_config
from edge_node.kiosk.page_server import start_kiosk
from edge_node.modelstore import fetch, verify
from edge_node.modelstore.fetch import FetchError
from edge_node.node import Node
from edge_node.daemon.port_check import Listener, report_busy_ports
from edge_node.recognition.engine import EnrollRequest
from edge_node.server.app import ServerThread

CAMERA_ID = "demo-cam"
LAST_FIVE = '{"pageSize": 5}'
# Identities of the shared LFW set, and which of their other photos (frontal, matching) is played.
PERSONS = {"Bill_Gates": 2, "Matt_Damon": 1}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="run the appliance with a simulated camera and sample faces (no hardware)")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir().parent / "edge-node-demo",
                        help="data directory (default: edge-node-demo beside the node's data directory)")
    parser.add_argument("--shared", type=Path, default=None,
                        help="shared material with models/ and data/faces "
                             "(default: $EDGE_SHARED_DIR, else ../shared beside the source checkout)")
    parser.add_argument("--listen", default="127.0.0.1:50051", help="gRPC HOST:PORT (default 127.0.0.1:50051)")
    parser.add_argument("--camera-listen", default="127.0.0.1:8080", help="camera ingest HOST:PORT (default 127.0.0.1:8080)")
    parser.add_argument("--kiosk-listen", default="127.0.0.1:8090", help="kiosk page HOST:PORT (default 127.0.0.1:8090)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    shared = args.shared or default_shared_dir()
    data_dir = args.data_dir.expanduser()
    _install_models(shared, data_dir / "models")
    faces = shared / "data" if shared else None
    if faces is None or not (faces / "faces").is_dir():
        raise CommandError("the demo needs sample photos: pass --shared DIR (with data/faces) or set EDGE_SHARED_DIR")
    if report_busy_ports([Listener("gRPC", args.listen, "--listen HOST:PORT"),
                          Listener("camera ingest", args.camera_listen, "--camera-listen HOST:PORT"),
                          Listener("kiosk", args.kiosk_listen, "--kiosk-listen HOST:PORT")]):
        return 2
    config = load_config()
    config = replace(config, server=ServerConfig(listen=args.listen), storage=StorageConfig(data_dir=str(data_dir)),
                     recognition=RecognitionConfig(models_dir=str(data_dir / "models")),
                     capture=replace(config.capture, listen=args.camera_listen, stream_fps=10, pending_retry_ms=500),
                     kiosk=replace(config.kiosk, listen=args.kiosk_listen, camera_id=CAMERA_ID)).validate()
    node = Node(config)
    if node.recognition is None:
        node.close()
        raise CommandError(f"recognition did not start: {node.recognition_error}")
    server = ServerThread(node, config.server)
    node.start_workers()
    kiosk = start_kiosk(node, config.kiosk)
    if not node.capture.http_port or kiosk is None:  # a port taken after the check: fail fast, never "port 0"
        print("error: the camera ingest or the kiosk could not listen (see the log above); the demo needs both",
              file=sys.stderr)
        if kiosk is not None:
            kiosk.stop()
        server.stop(0)
        node.close()
        return 2
    playlist = _enroll_and_playlist(node, faces)
    node.live_results.subscribe(_print_result)
    node.store.events.subscribe(_print_event)
    stop = threading.Event()
    approver = threading.Thread(target=_auto_approve, args=(node, stop), daemon=True)
    approver.start()
    sim = CameraSimulator("127.0.0.1", node.capture.http_port, CAMERA_ID, [load_frame(p) for p in playlist],
                          data_dir / "camera-sim" / f"{CAMERA_ID}.json", SimOptions(hold_seconds=3, gap_seconds=2),
                          report=lambda line: print(f"  camera  {line}"))
    _print_help(node, server.port, kiosk.port if kiosk else 0, config)
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sim.run(stop)
    print("stopping")
    if kiosk is not None:
        kiosk.stop()
    server.stop(1)
    node.close()
    return 0


def default_shared_dir() -> Path | None:
    """$EDGE_SHARED_DIR, else the `shared` folder beside this source checkout (as the tests use), if present."""
    if os.environ.get("EDGE_SHARED_DIR"):
        return Path(os.environ["EDGE_SHARED_DIR"])
    beside_checkout = Path(edge_node.__file__).resolve().parent.parent.parent / "shared"
    return beside_checkout if beside_checkout.is_dir() else None


def _install_models(shared: Path | None, models: Path) -> None:
    """Copy the shared models into `models` when there are some, and check them (a CommandError if not usable)."""
    if shared is not None and (shared / "models").is_dir():
        try:
            fetch(models, source_dir=shared / "models")
        except FetchError as exc:
            raise CommandError(str(exc)) from None
    if not verify(models).all_ok:
        raise CommandError("the models are not installed; copy them with `edge-node models fetch --from DIR "
                           f"--dest {models}` (or download: `edge-node models fetch --dest {models}`), "
                           "or pass --shared DIR")


def _enroll_and_playlist(node: Node, data: Path) -> list[Path]:
    """Enrol the first photo of a few identities; play their other photos, an impostor and a spoof."""
    identities = [data / "faces" / name for name in PERSONS if (data / "faces" / name).is_dir()]
    playlist = []
    for folder in identities:
        photos = sorted(folder.glob("*.jpg"))
        person_id = folder.name.lower()
        node.store.persons.upsert(person_id, folder.name.replace("_", " "))
        if not node.recognition.templates.count(person_id):
            node.recognition.enroll(person_id, [photos[0].read_bytes()], EnrollRequest(allow_duplicate=True))
        playlist.append(photos[PERSONS[folder.name]])
    singletons = sorted((data / "faces_singletons").glob("*/*.jpg"))[:1]
    spoofs = sorted((data / "spoof" / "fake").glob("*.jpg"))[2:3]
    print(f"enrolled: {', '.join(f.name.replace('_', ' ') for f in identities)}")
    return [*playlist, *singletons, *spoofs]


def _auto_approve(node: Node, stop: threading.Event) -> None:
    while not stop.wait(0.2):
        record = node.capture.registry.get(CAMERA_ID)
        if record is not None and record.state == "PENDING":
            node.capture.admin.approve(CAMERA_ID)
            print(f"  box     approved {CAMERA_ID} (pairing code {record.pairing_code})")


def _print_result(result: LiveResult) -> None:
    if result.kind != "LOOK_AT_CAMERA":
        print(f"  live    {result.camera_id}: {result.kind:12} {result.message}")


def _print_event(event: Event) -> None:
    print(f"  event   #{event.event_id} {event.event_type.value:12} {event.person_name or event.person_id or '-'}"
          f" at {event.occurred_at:%H:%M:%S} from {event.camera_id or 'manual'}")


def edge_node_command() -> str:
    """How to run this same edge-node from the user's shell: `edge-node` if that is on PATH, else its path."""
    exe = Path(sys.prefix) / "bin" / "edge-node"
    if shutil.which("edge-node") == str(exe):
        return "edge-node"
    relative = os.path.relpath(exe)
    return relative if not relative.startswith("..") else str(exe)


def admin_commands(target: str, data_dir: Path) -> list[tuple[str, str]]:
    """What an admin can run against the demo from another shell, each as a line that runs as printed."""
    where = f"--target {target} --data-dir {shlex.quote(str(data_dir))}"
    exe = edge_node_command()
    return [("people", f"{exe} people list {where}"),
            ("who is in", f"{exe} who-is-in {where}"),
            ("events", f"{exe} events list {where}"),
            ("today", f"{exe} report day {where}"),
            ("cameras", f"{exe} call CaptureService/ListCameras {where}"),
            ("any RPC", f"{exe} call AttendanceService/ListEvents {shlex.quote(LAST_FIVE)} {where}"),
            ("its fields", f"{exe} call describe AttendanceService/ListEvents")]


def _print_help(node: Node, grpc_port: int, kiosk_port: int, config: Config) -> None:
    target = f"127.0.0.1:{grpc_port}"
    print(f"""
edge-node demo: data in {node.data_dir}; camera ingest on port {node.capture.http_port}; Ctrl-C stops.
  monitor       {edge_node_command()} monitor --target {target} --data-dir {shlex.quote(str(node.data_dir))}""")
    for what, command in admin_commands(target, node.data_dir):
        print(f"  {what:13} {command}")
    if kiosk_port:
        print(f"  kiosk         http://{config.kiosk.listen.rpartition(':')[0]}:{kiosk_port}/")
    print()
