"""The commands README.md shows, the test that runs each (RUN_BY), and a shell that runs them as written.

tests/cli/test_documented_commands.py checks that RUN_BY names exactly the README's commands and only tests
that exist, so a command added to the README without a test fails CI."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import LOOPBACK_ENV, REPO

README = REPO / "README.md"
# A code span is a command when it starts with a program; `edge-node` alone is the service user's name.
COMMAND = re.compile(r"(edge-node \S|\.venv/bin/|\./scripts/|scripts/|sudo |cd |chromium |pip )")
# The bin directory of this Python's venv: `edge-node` as the README types it.
BIN = Path(sys.executable).parent

DAY = "tests/cli/test_site_managers_day.py::test_a_site_managers_day_runs_on_the_command_line_only"
MORE = "tests/cli/test_readme_commands.py::"
CI = "tests/cli/test_documented_commands.py::test_ci_runs_the_readme_test_command"
RUN_BY: dict[str, tuple[str, ...]] = {
    "./scripts/setup && .venv/bin/edge-node demo": (CI, MORE + "test_the_demo_runs_until_ctrl_c"),
    "./scripts/test": (CI,),
    "scripts/setup": (CI,),
    "scripts/fresh_root_check": ("tests/ops/test_fresh_root.py::test_the_demo_watch_needs_enrolments_then_an_event",
                                 "tests/ops/test_fresh_root.py::test_the_pytest_summary_line_is_found"),
    "pip install .": ("tests/ops/test_bare_install.py::test_help_lists_every_command",),
    "edge-node serve": (DAY,),
    "scripts/install-pi": ("tests/ops/test_install_chroot.py::test_installer_completes_in_a_clean_debian",),
    "sudo scripts/install-pi": ("tests/ops/test_install_chroot.py::test_installer_completes_in_a_clean_debian",
                                "tests/ops/test_install.py::test_dry_run_prints_every_step_in_order"),
    "edge-node demo": (MORE + "test_the_demo_runs_until_ctrl_c",),
    "edge-node people add emp001 --name \"Ada Lovelace\"": (DAY,),
    "edge-node enroll --person emp001 face1.jpg face2.jpg": (DAY,),
    "edge-node enroll --person emp001 --camera door-1":
        ("tests/checkin/test_enrol_at_camera.py::test_the_readme_camera_enrolment_runs_as_written",),
    "edge-node people list": (DAY,),
    "edge-node people faces emp001": (DAY,),
    "edge-node who-is-in": (DAY,),
    "edge-node report day": (DAY,),
    "edge-node events list --person emp001 --from 2026-11-23": (DAY,),
    "edge-node punch move 4712 --to emp002 --reason \"misrecognised\"": (DAY,),
    "edge-node punch add --person emp001 --at 2026-11-23T17:00:00+01:00 --reason \"forgot to check out\"": (DAY,),
    "edge-node review list": (DAY,),
    "edge-node review show 4712 --out face.jpg": (DAY,),
    "edge-node review done 4712 --note \"it is her\"": (DAY,),
    "edge-node report timecards --from 2026-11-01 --to 2026-11-30 --format xlsx --output november.xlsx": (DAY,),
    "edge-node schedule show > schedule.json": (MORE + "test_the_shifts_are_changed_through_a_file",),
    "edge-node schedule set schedule.json": (MORE + "test_the_shifts_are_changed_through_a_file",),
    "edge-node backup /media/usb/edge-node-$(date +%F).db": (DAY,),
    "edge-node log verify": (DAY,),
    "edge-node call list": (MORE + "test_any_rpc_grpcurl_style",),
    "edge-node call edge.attendance.v1.AttendanceService/ListPersons '{}'": (MORE + "test_any_rpc_grpcurl_style",),
    "edge-node monitor": ("tests/ops/test_monitor.py::test_dashboard_fits_shows_events_reconnects_and_quits",),
    "edge-node token add anna --role manager": (MORE + "test_a_colleagues_token_names_them_until_revoked",),
    "edge-node token list": (MORE + "test_a_colleagues_token_names_them_until_revoked",),
    "edge-node token revoke anna": (MORE + "test_a_colleagues_token_names_them_until_revoked",),
    "edge-node tls show": (MORE + "test_the_tls_fingerprint_shown_is_the_one_clients_pin",),
    "cd firmware && pio run -t upload": ("tests/firmware/test_xtensa_build.py::test_core_compiles_for_xtensa_without_warnings",
                                         "tests/firmware/test_firmware_roundtrip.py::test_firmware_unit_tests_pass"),
    "chromium --kiosk http://127.0.0.1:8090/": ("tests/ops/test_kiosk.py::test_door_camera_at_three_screen_sizes",),
}


def readme_commands() -> set[str]:
    """Each line of the README's bash blocks (comments left out) and each command in a code span elsewhere."""
    text = README.read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = {line.strip() for block in blocks for line in block.splitlines()}
    spans = re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    return {line for line in lines if line and not line.startswith("#")} | \
        {span.replace("\\|", "|") for span in spans if COMMAND.match(span)}


@dataclass
class ReadmeShell:
    """README commands typed into bash in `cwd`: $STATE_DIRECTORY (what systemd gives the service) and
    $EDGE_NODE_TARGET find the node, its token and its TLS settings, so no flag is added to a command."""

    address: str
    data_dir: Path
    cwd: Path

    def run(self, command: str, swaps: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """`command` as README.md writes it, with only the `swaps` (README text -> this machine's) made."""
        assert command in readme_commands(), f"not a README command: {command}"
        for old, new in (swaps or {}).items():
            assert old in command, f"{old!r} is not in {command!r}"
            command = command.replace(old, new)
        env = {**os.environ, **LOOPBACK_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
               "STATE_DIRECTORY": str(self.data_dir), "EDGE_NODE_TARGET": self.address,
               "EDGE_NODE_KNOWN_NODES": str(self.cwd / "known_nodes")}
        env.pop("EDGE_NODE_TOKEN", None)
        return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120, cwd=self.cwd,
                              env=env)

    def ok(self, command: str, swaps: dict[str, str] | None = None) -> str:
        """The stdout of a README command that must succeed."""
        done = self.run(command, swaps)
        assert done.returncode == 0, f"{command} -> {done.returncode}\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout
