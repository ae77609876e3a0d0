"""Secrets: tokens that always parse as command-line values, files private from creation, the people's
tokens kept as digests and found by the guard's access list, and a role declared for every RPC."""
from __future__ import annotations

import stat
import subprocess
import sys

import pytest
from google.protobuf import descriptor_pool

from edge_node.common.errors import AlreadyExists, InvalidArgument, NotFound
from edge_node.gen.edge.common.v1 import auth_pb2
from edge_node.rpc import roles
from edge_node.rpc.access import AccessList, Caller
from edge_node.common.tokens import (ROLE_NAMES, TokenBook, TokenFile, load_or_create_token, new_token, token_digest,
                              write_private)


def test_tokens_never_start_with_a_dash_and_do_not_repeat():
    tokens = [new_token() for _ in range(5000)]  # a plain token_urlsafe starts with '-' once in 64
    assert not [t for t in tokens if t.startswith("-")]
    assert len(set(tokens)) == len(tokens) and {len(t) for t in tokens} == {43}


def test_token_file_is_created_0600_and_reused(tmp_path):
    path = tmp_path / "admin.token"
    token, created = load_or_create_token(path)
    assert created and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_token(path) == (token, False)


def test_write_private_tightens_an_existing_file(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("{}")
    path.chmod(0o644)
    write_private(path, b"\xff\xd8 snapshot bytes")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == b"\xff\xd8 snapshot bytes"


def test_token_book_keeps_only_digests_and_refuses_bad_names_and_roles(tmp_path):
    book = TokenBook(tmp_path / "tokens.json")
    ann = book.add("ann", "manager")
    stored = (tmp_path / "tokens.json").read_text()
    assert ann not in stored and token_digest(ann) in stored
    assert stat.S_IMODE((tmp_path / "tokens.json").stat().st_mode) == 0o600
    assert [(t.name, t.role) for t in book.entries()] == [("ann", "manager")]
    with pytest.raises(AlreadyExists):
        book.add("ann", "viewer")
    for name, role in (("admin", "admin"), ("-x", "viewer"), ("a b", "viewer"), ("bob", "root")):
        with pytest.raises(InvalidArgument):
            book.add(name, role)
    book.revoke("ann")
    assert book.entries() == []
    with pytest.raises(NotFound):
        book.revoke("ann")


def test_access_list_finds_owners_follows_changes_and_keeps_the_admin_token(tmp_path):
    admin_file = tmp_path / "admin.token"
    admin, _ = load_or_create_token(admin_file)
    book = TokenBook(tmp_path / "tokens.json")
    access = AccessList(TokenFile(admin_file, admin), book)
    assert access(admin) == Caller("admin", roles.ADMIN) and access("not-a-token") is None
    kiosk = book.add("door", "kiosk")
    assert access(kiosk) == Caller("door", roles.KIOSK)  # a token added while running works at once
    book.revoke("door")
    assert access(kiosk) is None  # and a revoked one is refused at its next call
    eve = book.add("eve", "viewer")
    assert access(eve) == Caller("eve", roles.VIEWER)
    (tmp_path / "tokens.json").write_text("{not json")
    assert access(eve) == Caller("eve", roles.VIEWER)  # a broken token list keeps the previous one in force
    rotated = new_token()
    write_private(admin_file, rotated + "\n")
    assert access(rotated) == Caller("admin", roles.ADMIN) and access(admin) is None


def test_role_names_agree_and_every_rpc_declares_its_role():
    from edge_node.hub.server import SERVICE_NAME as HUB_SERVICE
    from edge_node.server.app import SERVICE_NAMES
    assert tuple(roles.BY_NAME) == ROLE_NAMES
    pool = descriptor_pool.Default()
    undeclared = [f"{s}/{m.name}" for s in (*SERVICE_NAMES, HUB_SERVICE) for m in pool.FindServiceByName(s).methods
                  if not m.GetOptions().Extensions[auth_pb2.required_role]]
    assert undeclared == []
    assert roles.required_roles(SERVICE_NAMES)["/edge.capture.v1.CaptureService/PushFrame"] == roles.OPEN
    assert roles.required_roles(SERVICE_NAMES)["/edge.attendance.v1.AttendanceService/WatchEvents"] == roles.KIOSK


def test_token_command_adds_lists_and_revokes_and_prints_each_token_once(tmp_path):
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "edge_node", "token", *args], capture_output=True, text=True,
                              timeout=60)

    data = ("--data-dir", str(tmp_path))
    added = cli("add", "ann", "--role", "viewer", *data)
    assert added.returncode == 0 and len(added.stdout.strip()) == 43
    assert added.stdout.strip() not in (tmp_path / "tokens.json").read_text()
    again = cli(*data, "add", "ann", "--role", "viewer")  # --data-dir before the action works as well
    assert again.returncode == 2 and "exists" in again.stderr
    listed = cli("list", *data)
    assert listed.returncode == 0 and "ann" in listed.stdout and "viewer" in listed.stdout
    assert added.stdout.strip() not in listed.stdout
    assert cli("add", "bob", "--role", "root", *data).returncode == 2
    assert cli("revoke", "ann", *data).returncode == 0
    assert "ann" not in cli("list", *data).stdout and cli("revoke", "ann", *data).returncode == 2
