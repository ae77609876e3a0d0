"""Every `edge-node …` command in the task tables of README.md and docs/admin-guide.md is one the command
line accepts as written (its flags, its arguments), so the tables cannot drift from the product; and every
command README.md shows names a test that runs it (tests/cli/readme.py RUN_BY).

`./scripts/test`, the README's second command, is what CI runs (.ci/run): the run of the whole suite, this
module with it, is that command's test; test_ci_runs_the_readme_test_command checks CI runs exactly it."""
from __future__ import annotations

import re
import shlex

import pytest

from edge_node.cli import build_parser
from tests.cli.readme import RUN_BY, readme_commands
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


def test_every_readme_command_names_a_test_that_runs_it():
    shown = readme_commands()
    assert shown - set(RUN_BY) == set(), "README.md shows commands no test runs: add a test and name it in RUN_BY"
    assert set(RUN_BY) - shown == set(), "RUN_BY names commands README.md no longer shows"
    for command, node_ids in RUN_BY.items():
        for node_id in node_ids:
            path, name = node_id.split("::")
            assert re.search(rf"^def {name}\(", (REPO / path).read_text(), re.M), f"`{command}`: no test {node_id}"


def test_ci_runs_the_readme_test_command():
    assert "exec scripts/test -q" in (REPO / ".ci" / "run").read_text().splitlines()
    assert "scripts/setup" in (REPO / "scripts" / "test").read_text().splitlines()
