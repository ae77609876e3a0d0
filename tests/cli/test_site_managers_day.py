"""A site manager's day through the command line only (`edge-node` subprocesses) against a running node:
add people with their photos, list them, see check-ins, who is in and the day's report, correct a punch found
with `events list`, export the timecards and back up."""
from __future__ import annotations

import base64
import csv
import io
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from tests.cli.conftest import Cli, edge_node


def _check_in(cli: Cli, photo: Path, tmp_path: Path) -> dict:
    """The kiosk's part, through `edge-node call`: recognise a photo and record the punch."""
    request = tmp_path / f"{photo.stem}.json"
    request.write_text(json.dumps({"image": base64.b64encode(photo.read_bytes()).decode(), "record": True,
                                   "cameraId": "door"}))
    return json.loads(cli.ok("call", "RecognitionService/Recognize", f"@{request}"))


def test_a_site_managers_day_runs_on_the_command_line_only(recognising_node, shared_dir, tmp_path):
    cli = Cli(recognising_node)
    faces = shared_dir / "data" / "faces"
    ann_photos = sorted((faces / "Bill_Gates").glob("*.jpg"))
    bob_photos = sorted((faces / "Bob_Hope").glob("*.jpg"))

    # Morning: the roster. Two people with two photos each, one new starter whose photos come later.
    for person, name in (("ann", "Ann Lee"), ("bob", "Bob Hope"), ("cam", "Cam Diaz")):
        assert cli.json("people", "add", person, "--name", name) == [{"person_id": person, "name": name,
                                                                       "result": "added"}]
    assert "ann: 2 template(s)" in cli.ok("enroll", "--person", "ann", *map(str, ann_photos[:2]))
    assert "bob: 2 template(s)" in cli.ok("enroll", "--person", "bob", *map(str, bob_photos[:2]))
    people = {p["person_id"]: p for p in cli.json("people", "list")}
    assert {pid: p["faces"] for pid, p in people.items()} == {"ann": 2, "bob": 2, "cam": 0}
    assert [p["person_id"] for p in cli.json("people", "show", "ann")] == ["ann"]
    assert len(cli.json("people", "faces", "bob")) == 2

    # Check-ins: Ann and Bob at the door (real recognition of photos not enrolled; Bob_Hope_0005 passes the
    # liveness check, his later photos do not).
    assert _check_in(cli, ann_photos[3], tmp_path)["attendance"]["event"]["personId"] == "ann"
    assert _check_in(cli, bob_photos[2], tmp_path)["attendance"]["event"]["personId"] == "bob"
    inside = {p["person_id"]: p for p in cli.json("who-is-in")}
    assert set(inside) == {"ann", "bob"}
    assert inside["ann"]["since"] <= datetime.now(timezone.utc).isoformat()

    # Cam says it was she who came in, not Bob (Bob is off today): the manager finds the punch and moves it.
    bobs = cli.json("events", "list", "--person", "bob", "--type", "entry")
    assert len(bobs) == 1
    moved = cli.ok("punch", "move", str(bobs[0]["event_id"]), "--to", "cam", "--reason", "Cam used the door, not Bob")
    assert "PUNCH_MOVED for cam" in moved
    log = cli.json("events", "list")
    assert [e["type"] for e in log][-1] == "PUNCH_MOVED" and log[-1]["corrects"] == bobs[0]["event_id"]
    assert {p["person_id"] for p in cli.json("who-is-in")} == {"ann", "cam"}

    # The day's report agrees with who is in.
    today = datetime.now(timezone.utc).date().isoformat()
    day = {row["person_id"]: row for row in cli.json("report", "day", today)}
    assert set(day) == {"ann", "bob", "cam"}
    assert [pid for pid, row in sorted(day.items()) if row["in_now"]] == ["ann", "cam"]
    assert day["bob"]["first_in"] is None and day["ann"]["first_in"] == inside["ann"]["since"]

    # Evening: the timecards for payroll, and a backup.
    cards = tmp_path / "timecards.csv"
    cli.ok("report", "timecards", "--from", today, "--to", today, "--output", str(cards))
    rows = list(csv.DictReader(io.StringIO(cards.read_text())))
    assert {(r["person_id"], r["punches"]) for r in rows} == {("ann", "1"), ("bob", "0"), ("cam", "1")}
    backup = tmp_path / "evening.db"
    saved = edge_node("backup", str(backup), "--data-dir", str(recognising_node.data_dir))  # on the box: no --target
    assert saved.returncode == 0 and "integrity ok" in saved.stdout, saved.stdout + saved.stderr
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # A leaver: removed from the roster, their punches stay on the log.
    assert cli.json("people", "remove", "bob")[0]["templates_deleted"] == 2
    assert "bob" not in {p["person_id"] for p in cli.json("people", "list")}
    assert any(e["person_id"] == "bob" for e in cli.json("events", "list"))
