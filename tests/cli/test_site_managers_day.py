"""A site manager's day through the command line only, against a running `edge-node serve`: README.md's
commands as it writes them (tests/cli/readme.py), other `edge-node` commands to check what each one did.
Add people and enrol their photos, list them, see check-ins, who is in and the day's report, correct a punch
found with `events list`, look at it with its face, add a forgotten exit, export the timecards, back up and
verify the log."""
from __future__ import annotations

import base64
import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import openpyxl

from tests.cli.conftest import Cli
from tests.cli.readme import ReadmeShell


def _check_in(cli: Cli, photo: Path, tmp_path: Path) -> dict:
    """The kiosk's part, through `edge-node call`: recognise a photo and record the punch."""
    request = tmp_path / f"{photo.stem}.json"
    request.write_text(json.dumps({"image": base64.b64encode(photo.read_bytes()).decode(), "record": True,
                                   "cameraId": "door"}))
    return json.loads(cli.ok("call", "RecognitionService/Recognize", f"@{request}"))


def _row(table: str, *cells: str) -> bool:
    """Whether a line of a printed table holds every one of `cells`."""
    return any(all(cell in line for cell in cells) for line in table.splitlines())


def test_a_site_managers_day_runs_on_the_command_line_only(recognising_node, shared_dir, tmp_path):
    node = recognising_node
    cli, readme = Cli(node), ReadmeShell(node.address, node.data_dir, tmp_path)
    faces = shared_dir / "data" / "faces"
    ada_photos = sorted((faces / "Bill_Gates").glob("*.jpg"))
    alan_photos = sorted((faces / "Bob_Hope").glob("*.jpg"))

    # Morning: the roster. Ada and Alan with two photos each; Grace, a new starter whose photos come later.
    assert _row(readme.ok('edge-node people add emp001 --name "Ada Lovelace"'), "emp001", "Ada Lovelace", "added")
    for person, name in (("emp002", "Grace Hopper"), ("emp003", "Alan Turing")):
        assert cli.json("people", "add", person, "--name", name) == [{"person_id": person, "name": name,
                                                                       "result": "added"}]
    for link, photo in (("face1.jpg", ada_photos[0]), ("face2.jpg", ada_photos[1])):
        (tmp_path / link).symlink_to(photo)
    enrolled = readme.ok("edge-node enroll --person emp001 face1.jpg face2.jpg")
    assert enrolled.count(": accepted") == 2 and "emp001: 2 template(s)" in enrolled
    assert "emp003: 2 template(s)" in cli.ok("enroll", "--person", "emp003", *map(str, alan_photos[:2]))
    listed = readme.ok("edge-node people list")
    assert all(name in listed for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing"))
    assert {p["person_id"]: p["faces"] for p in cli.json("people", "list")} == {"emp001": 2, "emp002": 0, "emp003": 2}
    templates = [t["template_id"] for t in cli.json("people", "faces", "emp001")]
    shown = readme.ok("edge-node people faces emp001")
    assert len(templates) == 2 and all(t in shown for t in templates)

    # Check-ins at the door (real recognition of photos not enrolled; Bob_Hope_0005 passes the liveness check,
    # his later photos do not): the kiosk takes Grace, who has no photos yet, for Ada.
    assert _check_in(cli, ada_photos[3], tmp_path)["attendance"]["event"]["personId"] == "emp001"
    assert _check_in(cli, alan_photos[2], tmp_path)["attendance"]["event"]["personId"] == "emp003"
    inside = readme.ok("edge-node who-is-in")
    assert "in now: 2" in inside and "Ada Lovelace" in inside and "Alan Turing" in inside
    ada_since = {p["person_id"]: p["since"] for p in cli.json("who-is-in")}["emp001"]
    assert ada_since <= datetime.now(timezone.utc).isoformat()

    # Ada is on leave: the manager finds the punch, moves it to Grace, and looks at it with its face.
    found = cli.json("events", "list", "--person", "emp001", "--from", "2026-11-23")
    assert [(e["type"], e["camera"]) for e in found] == [("ENTRY", "door")]
    punch = str(found[0]["event_id"])
    assert _row(readme.ok("edge-node events list --person emp001 --from 2026-11-23"), f" {punch} ", "ENTRY", "door")
    assert len(cli.json("people", "faces", "emp001")) == 3  # the kiosk learned Grace's face as Ada's
    assert _row(cli.ok("enroll", "--person", "emp001", "--list"), "learned", "door", f"from punch {punch}")
    moved = readme.ok('edge-node punch move 4712 --to emp002 --reason "misrecognised"', {"4712": punch})
    assert "PUNCH_MOVED for emp002" in moved and "removed 1 face learned from this punch" in moved
    assert [t["template_id"] for t in cli.json("people", "faces", "emp001")] == templates  # her enrolled two only
    assert {p["person_id"] for p in cli.json("who-is-in")} == {"emp002", "emp003"}
    doubtful = {str(r["event_id"]): r["reasons"].split() for r in cli.json("review", "list")}
    assert "corrected" in doubtful.pop(punch) and len(doubtful) == 1  # and Alan's, a close call
    assert all(event_id in readme.ok("edge-node review list") for event_id in (punch, *doubtful))
    readme.ok("edge-node review show 4712 --out face.jpg", {"4712": punch})
    assert (tmp_path / "face.jpg").read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG: the face the camera saw
    readme.ok('edge-node review done 4712 --note "it is her"', {"4712": punch})
    assert [str(r["event_id"]) for r in cli.json("review", "list")] == list(doubtful)

    # The day's report agrees with who is in.
    report = readme.ok("edge-node report day")
    today = datetime.now(timezone.utc).date().isoformat()
    assert today in report and "Grace Hopper" in report
    day = {row["person_id"]: row for row in cli.json("report", "day", today)}
    assert [pid for pid, row in sorted(day.items()) if row["in_now"]] == ["emp002", "emp003"]
    assert day["emp001"]["first_in"] is None and day["emp002"]["first_in"] == ada_since

    # A day of November Ada's punches missed: she came in by the side gate and forgot to check out.
    cli.ok("punch", "add", "--person", "emp001", "--at", "2026-11-23T08:30:00+01:00", "--reason", "came in by the gate")
    added = readme.ok('edge-node punch add --person emp001 --at 2026-11-23T17:00:00+01:00 --reason "forgot to check out"')
    assert "PUNCH_ADDED for emp001" in added

    # Payroll: November's timecards as a workbook.
    readme.ok("edge-node report timecards --from 2026-11-01 --to 2026-11-30 --format xlsx --output november.xlsx")
    book = openpyxl.load_workbook(tmp_path / "november.xlsx", read_only=True)
    rows = list(book["timecards"].iter_rows(values_only=True))
    cards = {(r[0], r[2].date()): dict(zip(rows[0], r)) for r in rows[1:]}
    worked = cards[("emp001", date(2026, 11, 23))]
    assert (worked["status"], worked["punch_times"], worked["worked_hours"]) == ("PRESENT", "07:30 16:00", 8.5)
    assert worked["corrections"] == 2 and "forgot to check out" in worked["correction_notes"]

    # Evening: a backup, and the log checked.
    (tmp_path / "usb").mkdir()
    saved = readme.ok("edge-node backup /media/usb/edge-node-$(date +%F).db", {"/media/usb": "usb"})
    backup = tmp_path / "usb" / f"edge-node-{date.today().isoformat()}.db"
    assert "integrity ok" in saved and backup.is_file()
    events = cli.json("events", "list")
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT max(id) FROM event").fetchone() == (events[-1]["event_id"],)
    assert readme.ok("edge-node log verify").startswith("log ok: ")

    # A leaver: removed from the roster, their punches stay on the log.
    assert cli.json("people", "remove", "emp003")[0]["templates_deleted"] == 2
    assert "emp003" not in {p["person_id"] for p in cli.json("people", "list")}
    assert any(e["person_id"] == "emp003" for e in cli.json("events", "list"))
