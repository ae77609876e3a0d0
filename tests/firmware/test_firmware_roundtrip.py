"""The ESP32-CAM firmware's host build: its C++ unit tests, and a round trip of every
edge.capture.v1 message between the firmware's nanopb code and the Python protobuf code.

The C side is firmware/host/tools/roundtrip.c; its canonical instances are mirrored below.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from google.protobuf import timestamp_pb2

from edge_node.common.frame_mac import frame_mac, hello_mac, session_key, sign_frame_reply, sign_hello_reply
from edge_node.common.link_pairing import KeyPair, commitment, pairing_code
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb

HOST_DIR = Path(__file__).resolve().parents[2] / "firmware" / "host"
NANOPB_GEN = os.environ.get("NANOPB_GEN", "nanopb_generator.py")
INSTALL_HINT = "apt-get install -y g++ make nanopb libnanopb-dev"

JPEG = b"\xff\xd8edge\x00\xff\xd9"
BOX_KEY = bytes(range(0x80, 0xA0))
SESSION_ID = bytes(range(0x10, 0x18))
MAC = bytes(range(0xC0, 0xE0))
CAMERA_ID = "esp32cam-a1b2c3d4e5f6"
SEEN_AT = timestamp_pb2.Timestamp(seconds=1_700_000_000, nanos=5)


def _settings() -> pb.StreamSettings:
    return pb.StreamSettings(frame_size=pb.FRAME_SIZE_SVGA, fps=15, jpeg_quality=10)


def _camera(camera_id: str, stamped: bool) -> pb.Camera:
    camera = pb.Camera(
        camera_id=camera_id,
        state=pb.CAMERA_STATE_PAIRED,
        source_kind=pb.SOURCE_KIND_PUSH,
        firmware_version="1.2.0",
        pairing_code="K7Q2",
        address="192.0.2.7:49152",
        fps=12.5,
        last_frame_age_ms=-1,
        frames_received=1 << 40,
        frames_dropped=3,
        frames_corrupt=2,
        frames_oversized=4,
        stream_settings=_settings(),
        repair_code="R3PA-1RED",
    )
    if stamped:
        camera.last_seen_at.CopyFrom(SEEN_AT)
    return camera


def _commands() -> list[pb.Command]:
    return [
        pb.Command(
            command_id=9,
            capture_high_quality=pb.CaptureHighQuality(
                frame_size=pb.FRAME_SIZE_UXGA, jpeg_quality=6
            ),
        ),
        pb.Command(command_id=10, stream_settings=_settings()),
        pb.Command(
            command_id=11,
            show_result=pb.ShowResult(signal=pb.RESULT_SIGNAL_REJECTED, duration_ms=750),
        ),
        pb.Command(command_id=12, camera_controls=_controls()),
    ]


def _controls() -> pb.CameraControls:
    return pb.CameraControls(ae_level=-2, aec_value=1200, gain_ceiling=6, brightness=1)


def canonical(stamped: bool = False) -> dict[str, object]:
    """Every message with the values roundtrip.c encodes. `stamped` adds the admin-only
    Timestamp fields, which the firmware's nanopb options skip (FT_IGNORE)."""
    snapshot = pb.GetSnapshotResponse(jpeg=JPEG, frame_size=pb.FRAME_SIZE_SXGA, width=1280, height=1024)
    if stamped:
        snapshot.captured_at.CopyFrom(SEEN_AT)
    return {
        "StreamSettings": _settings(),
        "HelloRequest": pb.HelloRequest(
            camera_id=CAMERA_ID,
            firmware_version="1.2.0",
            device_nonce=bytes(range(0xF0, 0x100)),
            max_frame_size=pb.FRAME_SIZE_UXGA,
            has_link_key=True,
            hello_nonce=bytes(range(0x20, 0x30)),
            hello_mac=bytes(range(0x40, 0x60)),
            pairing_commitment=bytes(range(0x60, 0x80)),
            pairing_public_key=bytes(range(0x80, 0xA0)),
            pairing_mac=bytes(range(0xA0, 0xC0)),
        ),
        "HelloResponse": pb.HelloResponse(
            state=pb.CAMERA_STATE_PAIRED,
            settings=_settings(),
            pairing_code="K7Q2",
            retry_after_ms=5000,
            session_id=SESSION_ID,
            box_public_key=BOX_KEY,
            mac=MAC,
        ),
        "PushFrameRequest": pb.PushFrameRequest(
            camera_id=CAMERA_ID,
            sequence=4_000_000_000,
            captured_at_ms=86_400_000_123,
            frame_size=pb.FRAME_SIZE_VGA,
            high_quality=True,
            command_id=9,
            jpeg=JPEG,
            session_id=SESSION_ID,
            mac=MAC,
        ),
        "CaptureHighQuality": pb.CaptureHighQuality(
            frame_size=pb.FRAME_SIZE_XGA, jpeg_quality=8
        ),
        "ShowResult": pb.ShowResult(signal=pb.RESULT_SIGNAL_ACCEPTED, duration_ms=1500),
        "CameraControls": _controls(),
        "Command": _commands()[0],
        "PushFrameResponse": pb.PushFrameResponse(
            state=pb.CAMERA_STATE_REVOKED, commands=_commands(), mac=MAC
        ),
        "Camera": _camera(CAMERA_ID, stamped),
        "ListCamerasRequest": pb.ListCamerasRequest(),
        "ListCamerasResponse": pb.ListCamerasResponse(
            cameras=[_camera("cam-1", stamped), _camera("cam-2", stamped)]
        ),
        "ApproveCameraRequest": pb.ApproveCameraRequest(camera_id="cam-1", pairing_code="R3PA-1RED"),
        "ApproveCameraResponse": pb.ApproveCameraResponse(camera=_camera("cam-1", stamped)),
        "RemoveCameraRequest": pb.RemoveCameraRequest(camera_id="cam-2"),
        "RemoveCameraResponse": pb.RemoveCameraResponse(),
        "GetSnapshotRequest": pb.GetSnapshotRequest(camera_id="cam-1"),
        "GetSnapshotResponse": snapshot,
        "AddSourceRequest": pb.AddSourceRequest(camera_id="cam-3", url="http://192.0.2.9:81/stream"),
        "AddSourceResponse": pb.AddSourceResponse(camera=_camera("cam-3", stamped)),
        "RequestCaptureRequest": pb.RequestCaptureRequest(
            camera_id="cam-1", frame_size=pb.FRAME_SIZE_VGA
        ),
        "RequestCaptureResponse": pb.RequestCaptureResponse(command_id=77),
        "UpdateStreamSettingsRequest": pb.UpdateStreamSettingsRequest(camera_id="cam-1", settings=_settings()),
        "UpdateStreamSettingsResponse": pb.UpdateStreamSettingsResponse(
            camera=_camera("cam-1", stamped), command_id=78
        ),
    }


MESSAGES = sorted(canonical())


def _missing_tools() -> list[str]:
    tools = [t for t in ("make", "g++", "cc", NANOPB_GEN) if shutil.which(t) is None]
    if not any(Path(d, "pb.h").exists() for d in ("/usr/include", "/usr/local/include")):
        tools.append("nanopb headers (pb.h)")
    return tools


@pytest.fixture(scope="module")
def host_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = _missing_tools()
    if missing:
        pytest.skip(f"firmware host build needs {', '.join(missing)} ({INSTALL_HINT})")
    build = tmp_path_factory.mktemp("firmware-host")
    result = subprocess.run(
        ["make", "-C", str(HOST_DIR), f"BUILD={build}", f"NANOPB_GEN={NANOPB_GEN}", "-j2", "all"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"host build failed:\n{result.stdout}\n{result.stderr}"
    return build


@pytest.fixture(scope="module")
def c_encoded(host_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("c-encoded")
    subprocess.run([str(host_build / "roundtrip"), "encode", str(out)], check=True)
    return out


def test_firmware_unit_tests_pass(host_build: Path) -> None:
    result = subprocess.run([str(host_build / "unit_tests")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"(\d+) passed, 0 failed", summary)
    assert match and int(match.group(1)) > 0, summary


def test_roundtrip_covers_every_message_in_the_proto(host_build: Path) -> None:
    listed = subprocess.run(
        [str(host_build / "roundtrip"), "list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(listed) == sorted(pb.DESCRIPTOR.message_types_by_name) == MESSAGES


@pytest.mark.parametrize("name", MESSAGES)
def test_c_encoded_message_parses_in_python(name: str, c_encoded: Path) -> None:
    parsed = getattr(pb, name).FromString((c_encoded / f"{name}.bin").read_bytes())
    assert parsed == canonical()[name]


@pytest.mark.parametrize("name", MESSAGES)
def test_python_encoded_message_decodes_in_c(name: str, host_build: Path, tmp_path: Path) -> None:
    sent = canonical(stamped=True)[name]
    source, echoed = tmp_path / "python.bin", tmp_path / "c.bin"
    source.write_bytes(sent.SerializeToString())
    subprocess.run(
        [str(host_build / "roundtrip"), "reencode", name, str(source), str(echoed)], check=True
    )
    # Everything survives nanopb's decode and re-encode except the skipped Timestamp fields.
    assert getattr(pb, name).FromString(echoed.read_bytes()) == canonical()[name]


def test_c_refuses_a_box_key_longer_than_the_firmware_keeps(host_build: Path, tmp_path: Path) -> None:
    source = tmp_path / "long.bin"
    source.write_bytes(pb.HelloResponse(box_public_key=b"k" * 33).SerializeToString())
    command = [str(host_build / "roundtrip"), "reencode", "HelloResponse", str(source)]
    result = subprocess.run([*command, str(tmp_path / "out.bin")], capture_output=True)
    assert result.returncode != 0


def _tool(host_build: Path, *args: str) -> list[str]:
    return subprocess.run([str(host_build / "frame_mac_tool"), *args], capture_output=True, text=True,
                          check=True).stdout.split()


def test_the_firmware_pairs_with_the_box_to_the_same_code_and_link_key(host_build: Path) -> None:
    for _ in range(3):
        box, camera_secret = KeyPair(), os.urandom(32)
        camera_public, committed, code, link_key = _tool(host_build, "pair", camera_secret.hex(), box.public.hex())
        public = bytes.fromhex(camera_public)
        assert bytes.fromhex(committed) == commitment(public)
        assert code == pairing_code(public, box.public)
        assert bytes.fromhex(link_key) == box.link_key(public, public, box.public)


def test_the_worked_example_in_docs_camera_link_holds_on_both_ends(host_build: Path) -> None:
    camera, box = KeyPair(bytes(range(1, 33))), KeyPair(bytes(range(33, 65)))
    expected = ["07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c",
                "aaa8fff703b50b2297f4f6e13508f72420d96fd01ebb84cb074449caaef64041", "B3J4-263A",
                "d655d363e80b6715d9060e0d5a448be1af58df35a17c21b09ba82d9023d9ccc8"]
    assert box.public.hex() == "5869aff450549732cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b"
    assert _tool(host_build, "pair", bytes(range(1, 33)).hex(), box.public.hex()) == expected
    assert [camera.public.hex(), commitment(camera.public).hex(), pairing_code(camera.public, box.public),
            box.link_key(camera.public, camera.public, box.public).hex()] == expected
    assert (Path(__file__).resolve().parents[2] / "docs" / "camera-link.md").read_text().count("B3J4-263A") >= 2


def test_the_firmware_signs_hellos_and_checks_replies_as_the_box_makes_them(host_build: Path, tmp_path: Path) -> None:
    key, session_id, device_nonce, hello_nonce = os.urandom(32), os.urandom(8), os.urandom(16), os.urandom(16)
    assert _tool(host_build, "hello", key.hex(), CAMERA_ID, device_nonce.hex(), hello_nonce.hex()) == [
        hello_mac(key, CAMERA_ID, device_nonce, hello_nonce).hex()]
    hello_reply = pb.HelloResponse(state=pb.CAMERA_STATE_PAIRED, session_id=session_id, settings=_settings())
    reply = tmp_path / "reply.bin"
    for signed_with, nonce, verdict in ((key, hello_nonce, "valid"), (os.urandom(32), hello_nonce, "invalid"),
                                        (key, os.urandom(16), "invalid")):
        reply.write_bytes(sign_hello_reply(signed_with, nonce, hello_reply.SerializeToString()))
        assert _tool(host_build, "check-hello", key.hex(), hello_nonce.hex(), str(reply)) == [verdict]
    push_reply = pb.PushFrameResponse(state=pb.CAMERA_STATE_PAIRED, commands=_commands()).SerializeToString()
    for sequence, verdict in ((7, "valid"), (6, "invalid")):
        reply.write_bytes(sign_frame_reply(session_key(key, session_id), sequence, push_reply))
        assert _tool(host_build, "check-frame", key.hex(), session_id.hex(), "7", str(reply)) == [verdict]
    reply.write_bytes(push_reply)
    assert _tool(host_build, "check-frame", key.hex(), session_id.hex(), "7", str(reply)) == ["invalid"]


@pytest.mark.parametrize("jpeg_bytes, camera_id, high_quality", [
    (0, "c", False), (55, "esp32cam-a1b2c3d4e5f6", True), (64 * 1024 + 3, "x" * 32, False)])
def test_the_firmware_signs_frames_as_the_box_checks_them(host_build: Path, tmp_path: Path, jpeg_bytes: int,
                                                          camera_id: str, high_quality: bool) -> None:
    link_key, session_id, jpeg = os.urandom(32), os.urandom(8), os.urandom(jpeg_bytes)
    (tmp_path / "frame.jpg").write_bytes(jpeg)
    fields = (4_000_000_001 % 2**32, 86_400_000_123, pb.FRAME_SIZE_SVGA, high_quality, 2**32 - 1)
    result = subprocess.run(
        [str(host_build / "frame_mac_tool"), "sign", link_key.hex(), session_id.hex(), camera_id,
         *(str(int(f)) for f in fields), str(tmp_path / "frame.jpg")],
        capture_output=True, text=True, check=True)
    expected = frame_mac(session_key(link_key, session_id), camera_id, *fields, jpeg)
    assert result.stdout.strip() == expected.hex()
