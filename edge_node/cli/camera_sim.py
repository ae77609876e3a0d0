"""`edge-node camera-sim --images DIR [--fps N] [--box HOST:PORT] [--camera-id ID]`."""
from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from edge_node.common.addresses import check_listen
from edge_node.camera_sim.playlist import image_paths, load_playlist
from edge_node.camera_sim.simulator import CameraSimulator, SimOptions
from edge_node.cli.exits import USAGE, CommandError
from edge_node.config import default_data_dir
from edge_node.common.errors import InvalidArgument


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("camera-sim", help="simulate an ESP32-CAM streaming a folder of images to the box")
    parser.add_argument("--images", type=Path, required=True, help="folder of .jpg/.png images (searched recursively)")
    parser.add_argument("--box", default="127.0.0.1:8080", help="the box's camera ingest HOST:PORT (default 127.0.0.1:8080)")
    parser.add_argument("--camera-id", default="sim-cam-1", help="camera id (default sim-cam-1)")
    parser.add_argument("--fps", type=float, default=None, help="stream rate (default: what the box asks for)")
    parser.add_argument("--hold", type=float, default=2.0, help="seconds each image is shown (default 2)")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds of empty scene between images (default 1)")
    parser.add_argument("--face-light", type=float, default=1.0,
                        help="light on the face relative to the scene, e.g. 0.35 against a window (default 1)")
    parser.add_argument("--once", action="store_true", help="play the images once, then show an empty scene")
    parser.add_argument("--state", type=Path, default=None,
                        help="device state file (nonce, link key); default <data dir>/camera-sim/<camera-id>.json")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        host, port = check_listen("--box", args.box)
    except InvalidArgument as exc:
        raise CommandError(str(exc), USAGE) from None
    paths = image_paths(args.images)
    if not paths:
        raise CommandError(f"no .jpg/.png images in {args.images}", USAGE)
    state = args.state or default_data_dir() / "camera-sim" / f"{args.camera_id}.json"
    sim = CameraSimulator(host, port, args.camera_id, load_playlist(paths), state,
                          SimOptions(args.fps, args.hold, args.gap, not args.once, args.face_light), report=print)
    print(f"{args.camera_id}: {len(paths)} images, box {host}:{port}, state in {state}; Ctrl-C stops")
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sim.run(stop)
    print(f"{args.camera_id}: sent {sim.stats.frames_sent} frames ({sim.stats.hq_sent} HQ), "
          f"{len(sim.stats.results)} results")
    return 0
