"""`edge-node backup` while the node serves and syncs, then `edge-node restore` of that older copy: the
restored box keeps syncing under its node id and the hub drops none of what it records afterwards. A
restore says what it discards, needs --force for what the hub lacks, keeps the replaced database, and
numbers new events after the last one used."""
from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import grpc

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from tests.conftest import wait_until
from tests.ops.nodes import record_scans
from tests.sync.conftest import HubProcess, sync_env


def hub_cameras(hub: HubProcess, node_id: str) -> list[str]:
    return [row[0] for row in hub.sql("SELECT camera_id FROM hub_event WHERE node_id = %s ORDER BY seq", node_id)]


def set_schedule(node, holiday: str) -> None:
    """A new schedule version on the node (each with another holiday, so their contents differ)."""
    with grpc.insecure_channel(node.address) as channel:
        apb_grpc.AttendanceServiceStub(channel).UpdateSchedule(apb.UpdateScheduleRequest(
            schedule=apb.Schedule(holidays=[holiday]), actor="hr"), metadata=(("authorization", f"Bearer {node.token}"),))


def hub_schedules(hub: HubProcess) -> list[tuple]:
    return hub.sql("SELECT version, schedule::json->>'holidays' FROM hub_schedule_version ORDER BY version")


def edge_node(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edge_node", *args], capture_output=True, text=True, timeout=60)


def test_a_restored_box_syncs_on_without_colliding_with_the_hub(hub, tmp_path: Path, spawn_node) -> None:
    env = sync_env(hub.address, "door", hub.add_node("door"))
    data = tmp_path / "node"
    node = spawn_node(data, env=env)
    record_scans(node.address, node.token, [("ada", f"before-{i}") for i in range(5)])
    set_schedule(node, "2026-12-24")
    assert wait_until(lambda: len(hub_cameras(hub, "door")) == 6, timeout=30)  # the scans and the admin event

    copy = tmp_path / "backups" / "door.db"
    saved = edge_node("backup", str(copy), "--data-dir", str(data))  # while the node serves
    assert saved.returncode == 0 and "6 events" in saved.stdout and "integrity ok" in saved.stdout, saved.stderr
    assert copy.stat().st_mode & 0o777 == 0o600
    record_scans(node.address, node.token, [("ada", f"after-backup-{i}") for i in range(4)])  # not in the backup
    set_schedule(node, "2026-12-25")
    assert wait_until(lambda: len(hub_cameras(hub, "door")) == 11, timeout=30)
    assert wait_until(lambda: hub_schedules(hub) == [(1, '["2026-12-24"]'), (2, '["2026-12-25"]')], timeout=30)

    refused = edge_node("restore", str(copy), "--data-dir", str(data))
    assert refused.returncode == 2 and "stop the node first" in refused.stderr
    node.stop()
    restored = edge_node("restore", str(copy), "--data-dir", str(data))  # the hub has all it would discard
    assert restored.returncode == 0 and "6 events" in restored.stdout, restored.stderr
    assert "discarded 5 events, 0 people and 0 templates newer than the backup (0 not on the hub)" in restored.stdout
    assert event_ids(kept_copy(restored.stdout)) == list(range(1, 12))

    node = spawn_node(data, port=node.port, env=env)
    record_scans(node.address, node.token, [("ada", f"restored-{i}") for i in range(3)])
    set_schedule(node, "2026-12-26")  # its number must not collide with version 2, which the hub holds
    expected = [f"before-{i}" for i in range(5)] + [""] + [f"after-backup-{i}" for i in range(4)] + [""] + \
               [f"restored-{i}" for i in range(3)] + [""]
    assert wait_until(lambda: hub_cameras(hub, "door") == expected, timeout=30), (hub_cameras(hub, "door"), node.log_text()[-3000:])
    assert wait_until(lambda: hub_schedules(hub)[2:] == [((1 << 32) + 1, '["2026-12-26"]')], timeout=30)
    assert "FAILED_PRECONDITION" not in node.log_text()


def event_ids(database: Path) -> list[int]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM event ORDER BY id")]
    finally:
        conn.close()


def kept_copy(stdout: str) -> Path:
    found = re.search(r"the replaced database is kept at (\S+)", stdout)
    assert found, stdout
    path = Path(found.group(1))
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
    return path


def test_a_restore_says_what_it_discards_and_needs_force_for_what_no_hub_has(tmp_path: Path, spawn_node) -> None:
    data = tmp_path / "node"
    node = spawn_node(data, env={"EDGE_NODE_RECOGNITION_ENABLED": "0"})  # no hub: nothing ever leaves the box
    record_scans(node.address, node.token, [("ada", f"before-{i}") for i in range(3)])
    copy = tmp_path / "backups" / "box.db"
    assert edge_node("backup", str(copy), "--data-dir", str(data)).returncode == 0
    assert sorted(p.name for p in copy.parent.iterdir()) == ["box.db"], "one file, no -wal or -shm"
    with grpc.insecure_channel(node.address) as channel:
        apb_grpc.AttendanceServiceStub(channel).UpsertPerson(apb.UpsertPersonRequest(
            person=apb.Person(person_id="bob", display_name="Bob", active=True)),
            metadata=(("authorization", f"Bearer {node.token}"),))
    record_scans(node.address, node.token, [("ada", "after-backup")])
    node.stop()
    database = data / "edge-node.db"
    before = event_ids(database)
    newer = len(before) - len(event_ids(copy))
    assert newer >= 1

    refused = edge_node("restore", str(copy), "--data-dir", str(data))
    assert refused.returncode == 2, refused.stdout
    assert (f"would discard {newer} event{'s' if newer > 1 else ''}, 1 person and 0 templates newer than the backup "
            f"({newer + 1} not on the hub); nothing was changed") in refused.stderr
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert event_ids(database) == before and not list(data.glob("edge-node.db.replaced-*"))

    forced = edge_node("restore", str(copy), "--data-dir", str(data), "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"discarded {newer} event" in forced.stdout and "1 person" in forced.stdout
    assert event_ids(kept_copy(forced.stdout)) == before  # nothing is lost: the replaced database is beside it
    assert f"new events are numbered from {before[-1] + 1}" in forced.stdout
    assert sorted(p.name for p in copy.parent.iterdir()) == ["box.db"]  # reading the backup leaves nothing beside it

    node = spawn_node(data, port=node.port, env={"EDGE_NODE_RECOGNITION_ENABLED": "0"})
    record_scans(node.address, node.token, [("ada", "restored")])
    node.stop()
    assert event_ids(database)[-1] < 1 << 32 and event_ids(database)[len(event_ids(copy))] == before[-1] + 1


def test_backup_and_restore_refuse_bad_files_in_one_line(tmp_path: Path) -> None:
    missing = edge_node("backup", str(tmp_path / "copy.db"), "--data-dir", str(tmp_path / "none"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: no database at")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    bad = edge_node("restore", str(junk), "--data-dir", str(tmp_path / "node"))
    assert bad.returncode == 2 and "is not an edge-node database" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "node" / "edge-node.db").exists()
