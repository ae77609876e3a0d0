"""Every `edge-node …` command in the task tables of README.md and docs/admin-guide.md is one the command
line accepts as written (its flags, its arguments), so the tables cannot drift from the product."""
from __future__ import annotations

import re
import shlex

import pytest

from edge_node.cli import build_parser
from tests.conftest import REPO

DOCS = ("README.md", "docs/admin-guide.md")


def _table_commands() -> list[tuple[str, str]]:
    """(file, command) for each `edge-node …` code span in a Markdown table row; messages are left out."""
    found = []
    for name in DOCS:
        for line in (REPO / name).read_text().splitlines():
            if line.startswith("|"):
                found += [(name, span.replace("\\|", "|")) for span in re.findall(r"`(edge-node [^`]*)`", line)
                          if ": error:" not in span]
    return found


def _argv(command: str) -> list[str]:
    """The arguments as the shell passes them: substitutions stand for one word, redirections end it."""
    command = re.sub(r"\$\([^)]*\)", "X", command).replace("…", "")
    command = re.split(r"\s[|<>]\s?", command)[0]
    return shlex.split(command)[1:]


COMMANDS = _table_commands()


def test_the_tables_hold_the_site_managers_commands():
    documented = {" ".join(_argv(c)[:2]) for _, c in COMMANDS}
    assert {"people add", "people list", "who-is-in", "report day", "events list", "punch move", "call list"} <= documented


@pytest.mark.parametrize("doc, command", COMMANDS, ids=[f"{d}: {c}" for d, c in COMMANDS])
def test_a_documented_command_parses_as_written(doc: str, command: str):
    try:
        build_parser().parse_args(_argv(command))
    except SystemExit as exc:
        pytest.fail(f"{doc}: `{command}` is refused by the command line (exit {exc.code})")
