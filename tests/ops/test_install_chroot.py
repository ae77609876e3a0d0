"""scripts/install-pi for real: in a clean Debian root made with debootstrap (cached between runs outside
the repository), run with chroot, then the result checked: the service user and its groups, the venv with
the appliance's extras, config and token with their owners and modes, verified models, the enabled unit,
TLS on with a CLI that pins the box's CA;
and a second run changes nothing that was there."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import REPO
from tests.reachable import unreachable
from tools.debroot.root import MIRROR, chroot, debian_root
from tools.faults.procs import free_port, wait_port

pytestmark = pytest.mark.slow
VENV_BIN = "/opt/edge-node/venv/bin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory, shared_dir: Path) -> Iterator[tuple[Path, subprocess.CompletedProcess]]:
    """A Debian root with this checkout at /src and the models at /models, after install-pi ran in it."""
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        pytest.fail("needs root and debootstrap (scripts/setup installs it)")
    offline = unreachable(MIRROR)
    if offline:  # e.g. inside scripts/fresh_root_check's isolated network namespace
        pytest.skip(f"install-pi installs with apt, and the Debian mirror cannot be reached ({offline}); "
                    "run this test on a machine with a route to it (or set EDGE_DEBROOT_MIRROR)")
    with debian_root(tmp_path_factory.mktemp("chroot") / "root") as root:
        files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                               capture_output=True, check=True).stdout.decode().split("\0")
        for name in filter(None, files):
            if (REPO / name).is_file():
                (root / "src" / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, root / "src" / name)
        shutil.copytree(shared_dir / "models", root / "models")
        done = chroot(root, "/src/scripts/install-pi", "--models-from", "/models")
        yield root, done


def owner(root: Path, path: str) -> tuple[str, str, int]:
    """(user, group, mode) of a path inside the root, names from the root's own passwd and group files."""
    info = (root / path.lstrip("/")).stat()
    users = {int(line.split(":")[2]): line.split(":")[0] for line in (root / "etc/passwd").read_text().splitlines()}
    groups = {int(line.split(":")[2]): line.split(":")[0] for line in (root / "etc/group").read_text().splitlines()}
    return users[info.st_uid], groups[info.st_gid], stat.S_IMODE(info.st_mode)


def test_installer_completes_in_a_clean_debian(installed) -> None:
    root, done = installed
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "enable edge-node.service (systemd is not running here" in done.stdout
    assert "python3-venv" in done.stdout  # the apt step really ran: a fresh Debian lacks the venv module


def test_service_user_and_groups(installed) -> None:
    root, _ = installed
    ident = chroot(root, "id", "edge-node")
    assert ident.returncode == 0 and "(video)" in ident.stdout, ident.stdout + ident.stderr
    entry = next(line for line in (root / "etc/passwd").read_text().splitlines() if line.startswith("edge-node:"))
    assert entry.endswith(":/var/lib/edge-node:/usr/sbin/nologin")


def test_files_owners_and_modes(installed) -> None:
    root, _ = installed
    assert owner(root, "/etc/edge-node") == ("root", "edge-node", 0o750)
    assert owner(root, "/etc/edge-node/edge-node.toml") == ("root", "edge-node", 0o640)
    assert owner(root, "/var/lib/edge-node") == ("edge-node", "edge-node", 0o700)
    assert owner(root, "/var/lib/edge-node/admin.token") == ("edge-node", "edge-node", 0o600)
    assert len((root / "var/lib/edge-node/admin.token").read_text().strip()) >= 24
    assert owner(root, "/etc/systemd/system/edge-node.service")[2] == 0o644
    assert (root / "etc/systemd/system/edge-node.service").read_text() == \
        (REPO / "systemd" / "edge-node.service").read_text()
    config = (root / "etc/edge-node/edge-node.toml").read_text()
    assert 'data_dir = "/var/lib/edge-node"' in config


def test_venv_has_the_appliance_and_its_extras(installed) -> None:
    root, _ = installed
    helped = chroot(root, f"{VENV_BIN}/edge-node", "--help")
    assert helped.returncode == 0 and "serve" in helped.stdout, helped.stderr
    zeroconf = chroot(root, f"{VENV_BIN}/python", "-c", "import zeroconf")
    assert zeroconf.returncode == 0, zeroconf.stderr


def test_models_verified_as_the_service_user(installed) -> None:
    root, _ = installed
    verify = chroot(root, "runuser", "-u", "edge-node", "--", f"{VENV_BIN}/edge-node", "models", "verify",
                    "--dir", "/var/lib/edge-node/models")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert owner(root, "/var/lib/edge-node/models")[0] == "edge-node"


def test_unit_enabled(installed) -> None:
    root, _ = installed
    enabled = chroot(root, "systemctl", "is-enabled", "edge-node.service")
    assert enabled.stdout.strip() == "enabled", enabled.stdout + enabled.stderr


def test_second_run_keeps_what_is_there(installed) -> None:
    root, _ = installed
    token = (root / "var/lib/edge-node/admin.token").read_text()
    again = chroot(root, "/src/scripts/install-pi", "--models-from", "/models")
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    for step in ("system packages", "service user edge-node", "virtual environment", "state directory",
                 "configuration", "admin token", "TLS CA", "model files", "unit /etc/systemd/system/edge-node.service"):
        assert any(line.startswith("[") and step in line and line.endswith("already done")
                   for line in again.stdout.splitlines()), (step, again.stdout)
    assert (root / "var/lib/edge-node/admin.token").read_text() == token


def test_tls_is_on_and_a_pinned_cli_works(installed) -> None:
    """The node as installed (as its service user, on a free loopback port instead of 0.0.0.0:50051) serves TLS
    with the CA made by the installer; the CLI pins it on first use and works again with the pin."""
    root, _ = installed
    assert "tls = true" in (root / "etc/edge-node/edge-node.toml").read_text()
    shown = chroot(root, f"{VENV_BIN}/edge-node", "tls", "show", "--data-dir", "/var/lib/edge-node")
    assert shown.returncode == 0, shown.stderr
    fingerprint = shown.stdout.split("fingerprint: ")[1].split()[0]
    port = free_port()
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8", "EDGE_NODE_KIOSK_ENABLED": "0",
           "EDGE_NODE_CAPTURE_MDNS": "0", "EDGE_NODE_CAPTURE_LISTEN": f"127.0.0.1:{free_port()}"}
    serve = subprocess.Popen(["chroot", str(root), "runuser", "-u", "edge-node", "--", f"{VENV_BIN}/edge-node", "serve",
                              "--config", "/etc/edge-node/edge-node.toml", "--listen", f"127.0.0.1:{port}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_port(f"127.0.0.1:{port}", 120, serve), serve.stdout.read() if serve.stdout else ""
        remote = ("--target", f"127.0.0.1:{port}", "--data-dir", "/var/lib/edge-node")
        first = chroot(root, f"{VENV_BIN}/edge-node", "monitor", "--once", *remote)
        assert first.returncode == 0 and f"CA fingerprint {fingerprint}" in first.stderr, first.stdout + first.stderr
        again = chroot(root, f"{VENV_BIN}/edge-node", "monitor", "--once", *remote)
        assert again.returncode == 0 and "pinned" not in again.stderr, again.stderr
        assert fingerprint in (root / "root/.config/edge-node/known_nodes").read_text()
    finally:
        serve.terminate()
        serve.wait(30)
