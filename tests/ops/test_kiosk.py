"""The kiosk page in real headless Chromium against a real node: banner, indicators, screenshot."""
from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from edge_node.checkin.results import LiveResult
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc
from edge_node.kiosk.config import KioskConfig
from edge_node.kiosk.server import KioskServer
from tests.conftest import REPO, LiveNode, node_config
from tests.ops.cdp import Browser, chromium_binary

BANNER = "document.getElementById('banner').innerText.replace(/\\s+/g, ' ').trim()"


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


def banner_becomes(browser: Browser, text: str) -> str:
    return browser.wait_for(f"{BANNER} === {text!r} && {BANNER}") or browser.evaluate(BANNER)


def test_banner_follows_scans_and_live_results(kiosk_node, browser: Browser, tmp_path: Path) -> None:
    live, kiosk = kiosk_node
    browser.call("Page.navigate", url=f"http://127.0.0.1:{kiosk.port}/")
    assert browser.wait_for("document.getElementById('node-state').textContent === 'Node: online'")
    assert browser.wait_for("document.getElementById('hub-state').textContent === 'Hub: standalone'")
    assert browser.evaluate(BANNER) == "Look at the camera to check in or out"

    stub = attendance_pb2_grpc.AttendanceServiceStub(live.channel)
    stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ada", display_name="Ada Lovelace",
                                                                active=True)), metadata=live.auth)
    stub.RecordScan(apb.RecordScanRequest(person_id="ada", camera_id="door-1"), metadata=live.auth)
    assert banner_becomes(browser, "Ada Lovelace ENTRY · 09:00") == "Ada Lovelace ENTRY · 09:00"
    shot = tmp_path / "kiosk.png"
    browser.screenshot(shot)
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("EDGE_NODE_UPDATE_DOCS"):
        shutil.copy(shot, REPO / "docs" / "kiosk.png")

    now = live.clock.now()
    for kind, expected in (("SPOOF", "Spoof detected a real face is required"),
                           ("LOOK_AT_CAMERA", "Please look at the camera face the screen and hold still"),
                           ("UNKNOWN", "Not recognised please ask an administrator to enrol you")):
        live.node.live_results.publish(LiveResult(camera_id="door-1", at=now, kind=kind))
        assert banner_becomes(browser, expected) == expected
    live.node.live_results.publish(LiveResult(camera_id="door-1", at=now, kind="MATCH", person_id="ada",
                                              display_name="Ada Lovelace", event_type="EXIT", event_time=now))
    assert banner_becomes(browser, "Ada Lovelace EXIT · 09:00") == "Ada Lovelace EXIT · 09:00"
    assert live.node.store.events.subscriber_count == 1  # the page's event stream, and nothing leaked

    kiosk.stop()
    assert browser.wait_for("document.getElementById('node-state').textContent === 'Node: offline'")
