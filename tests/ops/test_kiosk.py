"""The kiosk page in real headless Chromium against a real node: banner, indicators, layout, screenshots."""
from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from edge_node.camera_sim.playlist import load_frame
from edge_node.camera_sim.simulator import SimOptions
from edge_node.capture.config import CaptureConfig
from edge_node.checkin.results import LiveResult
from tools.manual_clock import ManualClock
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc
from edge_node.gen.edge.capture.v1 import capture_pb2
from edge_node.kiosk.config import KioskConfig
from edge_node.kiosk.messages import clock_message
from edge_node.kiosk.page_server import KioskServer
from tests.capture.conftest import CaptureNode, RunningSim, photo_path
from tests.conftest import REPO, LiveNode, node_config, wait_until
from tests.ops.cdp import Browser, chromium_binary

BANNER = "document.getElementById('banner').innerText.replace(/\\s+/g, ' ').trim()"
SIZES = ((1280, 800), (800, 480), (800, 1280))
# Every element that must be whole and on screen when shown: ids of elements cut or off screen.
CUT = """(() => {
  const bad = [];
  for (const id of ["banner-title", "banner-detail", "preview", "no-camera-title", "no-camera-detail", "clock",
                    "node-state", "hub-state", "clock-state", "enrolment-title", "enrolment-hint"]) {
    const el = document.getElementById(id);
    if (el.closest("[hidden]") || el.getClientRects().length === 0) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) bad.push(id);
    else if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) bad.push(id);
  }
  return bad;
})()"""
PREVIEW_SHARE = ("(() => { const r = document.getElementById('preview').getBoundingClientRect();"
                 " return r.width * r.height / (innerWidth * innerHeight); })()")
BOX_STROKE = "getComputedStyle(document.querySelector('#boxes rect')).stroke"
GREEN, RED, AMBER = "rgb(34, 197, 94)", "rgb(239, 68, 68)", "rgb(245, 158, 11)"


@pytest.fixture
def kiosk_node(tmp_path: Path, clock):
    config = node_config(tmp_path / "node")
    config = replace(config, capture=replace(config.capture, listen="127.0.0.1:0", mdns=False))
    live = LiveNode(config, clock)
    kiosk = KioskServer(live.node, KioskConfig(listen="127.0.0.1:0", banner_seconds=30))
    kiosk.start()
    yield live, kiosk
    kiosk.stop()
    live.stop()


@pytest.fixture
def browser(tmp_path: Path):
    binary = chromium_binary()
    if binary is None:
        pytest.fail("chromium is not installed (scripts/setup installs it)")
    chrome = Browser(binary, tmp_path / "profile")
    yield chrome
    chrome.close()


def banner_becomes(browser: Browser, text: str, timeout: float = 10.0) -> str:
    return browser.wait_for(f"{BANNER} === {text!r} && {BANNER}", timeout) or browser.evaluate(BANNER)


def resize(browser: Browser, width: int, height: int) -> None:
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
    assert browser.wait_for(f"innerWidth === {width} && innerHeight === {height}")


def test_banner_follows_scans_and_live_results(kiosk_node, browser: Browser, tmp_path: Path) -> None:
    live, kiosk = kiosk_node
    browser.call("Page.navigate", url=f"http://127.0.0.1:{kiosk.port}/")
    assert browser.wait_for("document.getElementById('node-state').textContent === 'Node: online'")
    assert browser.wait_for("document.getElementById('hub-state').textContent === 'Hub: standalone'")
    # No camera: the stage says so in full and the banner does not ask anyone to look at it.
    assert banner_becomes(browser, "Check-in unavailable the camera is not connected") == \
        "Check-in unavailable the camera is not connected"
    assert browser.evaluate("!document.getElementById('no-camera').hidden && "
                            "getComputedStyle(document.getElementById('preview')).display === 'none'")
    for width, height in SIZES:
        resize(browser, width, height)
        assert browser.evaluate(CUT) == [], (width, height)

    stub = attendance_pb2_grpc.AttendanceServiceStub(live.channel)
    stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ada", display_name="Ada Lovelace",
                                                                active=True)), metadata=live.auth)
    stub.RecordScan(apb.RecordScanRequest(person_id="ada", camera_id="door-1"), metadata=live.auth)
    assert banner_becomes(browser, "Ada Lovelace Checked IN · 09:00") == "Ada Lovelace Checked IN · 09:00"
    # Within the cooldown: already recorded, and the page says which way.
    stub.RecordScan(apb.RecordScanRequest(person_id="ada", camera_id="door-1"), metadata=live.auth)
    assert banner_becomes(browser, "Ada Lovelace Already checked IN since 09:00") == \
        "Ada Lovelace Already checked IN since 09:00"

    now = live.clock.now()
    for kind, expected in (("SPOOF", "Spoof detected a real face is required"),
                           ("LOOK_AT_CAMERA", "Please look at the camera face the screen and hold still"),
                           ("UNKNOWN", "Not recognised please ask an administrator to enrol you")):
        live.node.live_results.publish(LiveResult(camera_id="door-1", at=now, kind=kind))
        assert banner_becomes(browser, expected) == expected
    live.node.live_results.publish(LiveResult(camera_id="door-1", at=now, kind="MATCH", person_id="ada",
                                              display_name="Ada Lovelace", event_type="EXIT", event_time=now))
    assert banner_becomes(browser, "Ada Lovelace Checked OUT · 09:00") == "Ada Lovelace Checked OUT · 09:00"
    live.node.live_results.publish(LiveResult(camera_id="door-1", at=now, kind="MATCH", person_id="ada",
                                              display_name="Ada Lovelace", event_type="DUPLICATE", event_time=now))
    assert banner_becomes(browser, "Ada Lovelace Already checked IN since 09:00") == \
        "Ada Lovelace Already checked IN since 09:00"  # the EXIT above was only shown, not recorded
    assert live.node.store.events.subscriber_count == 1  # the page's event stream, and nothing leaked

    # The clock pill shows the node's trusted-time state (NTP state of this machine, held or not).
    clock = clock_message(live.node.store.trusted_time.state())
    pill = "Clock: synced" if clock["state"] == "synced" else f"Clock: {clock['detail'] or clock['state']}"
    assert browser.wait_for(f"document.getElementById('clock-state').textContent === {pill!r}")

    kiosk.stop()
    assert browser.wait_for("document.getElementById('node-state').textContent === 'Node: offline'")


@pytest.fixture
def door(tmp_path: Path, shared_dir: Path):
    """A node with recognition, Matt Damon enrolled, its kiosk on camera door-1, and that camera waiting
    for approval (the test approves it once the page listens)."""
    config = node_config(tmp_path / "node")
    config = replace(config, recognition=RecognitionConfig(models_dir=str(shared_dir / "models")),
                     capture=CaptureConfig(listen="127.0.0.1:0", mdns=False, pending_retry_ms=100))
    node = CaptureNode(config, ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)), shared_dir)
    kiosk = KioskServer(node.node, KioskConfig(listen="127.0.0.1:0", camera_id="door-1", banner_seconds=60))
    kiosk.start()
    # Matt Damon in front of the camera for 15 s, then nobody.
    frames = [load_frame(photo_path(shared_dir, "Matt_Damon", 1))]
    sim = RunningSim(node, "door-1", frames, SimOptions(fps=10, hold_seconds=15.0, gap_seconds=3600.0))
    assert wait_until(lambda: sim.sim.stats.state == "PENDING", 10), sim.sim.stats
    yield node, kiosk, sim
    sim.stop()
    kiosk.stop()
    node.stop()


def test_door_camera_at_three_screen_sizes(door, browser: Browser, tmp_path: Path) -> None:
    node, kiosk, sim = door
    resize(browser, *SIZES[0])
    browser.call("Page.navigate", url=f"http://127.0.0.1:{kiosk.port}/")
    assert browser.wait_for("document.getElementById('node-state').textContent === 'Node: online'")
    node.capture.ApproveCamera(capture_pb2.ApproveCameraRequest(camera_id="door-1"), metadata=node.auth)
    assert browser.wait_for("document.getElementById('video').classList.contains('live')", 15)
    assert browser.wait_for("document.body.dataset.camera === 'live' && document.getElementById('no-camera').hidden")
    assert banner_becomes(browser, "Matt Damon Checked IN · 09:00", 20) == "Matt Damon Checked IN · 09:00"
    assert browser.wait_for(f"document.querySelector('#boxes rect') && {BOX_STROKE} === {GREEN!r}")
    for width, height in SIZES:
        resize(browser, width, height)
        assert browser.evaluate(CUT) == [], (width, height)
        assert browser.evaluate(PREVIEW_SHARE) >= 0.3, (width, height)  # the picture, not a thumbnail
        shot = tmp_path / f"kiosk-{width}x{height}.png"
        browser.screenshot(shot)
        assert shot.read_bytes().startswith(b"\x89PNG")
        if os.environ.get("EDGE_NODE_UPDATE_DOCS"):
            shutil.copy(shot, REPO / "docs" / shot.name)

    # The box takes the verdict's colour: red for a spoof, amber for "look at the camera".
    now = node.clock.now()
    node.node.live_results.publish(LiveResult(camera_id="door-1", at=now, kind="SPOOF"))
    assert browser.wait_for(f"document.querySelector('#boxes rect') && {BOX_STROKE} === {RED!r}")
    node.node.live_results.publish(LiveResult(camera_id="door-1", at=now, kind="LOOK_AT_CAMERA"))
    assert browser.wait_for(f"document.querySelector('#boxes rect') && {BOX_STROKE} === {AMBER!r}")

    # An admin enrols someone at this camera: the page shows who and what to do, until it is cancelled.
    enrolment = node.node.checkin.enrolments.start("door-1", "matt_damon", frames=3, timeout_s=60)
    assert browser.wait_for("!document.getElementById('enrolment').hidden && document.getElementById("
                            "'enrolment-title').textContent.startsWith('Enrolling Matt Damon')")
    node.node.checkin.enrolments.cancel(enrolment)
    assert browser.wait_for("document.getElementById('enrolment').hidden")

    # The person leaves: the banner clears long before banner_seconds (60 s), for the next person.
    assert banner_becomes(browser, "Look at the camera to check in or out", 30) == \
        "Look at the camera to check in or out"
    assert browser.evaluate("document.querySelectorAll('#boxes rect').length") == 0
