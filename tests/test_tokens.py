"""Secrets: tokens that always parse as command-line values, files private from creation."""
from __future__ import annotations

import stat

from edge_node.tokens import load_or_create_token, new_token, write_private


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
