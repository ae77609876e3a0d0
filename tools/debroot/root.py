"""A clean Debian root for testing the installer: built once with debootstrap, kept as a tarball in a
cache outside the repository, unpacked fresh for each run, with /proc, /sys and /dev mounted for chroot."""
from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

SUITE = "bookworm"
MIRROR = os.environ.get("EDGE_DEBROOT_MIRROR", "http://deb.debian.org/debian")
# What a fresh Raspberry Pi OS / Debian box has before install-pi: a minimal system with systemd and
# Python. install-pi itself adds python3-venv and python3-pip with apt.
INCLUDE = ("systemd", "systemd-sysv", "python3", "ca-certificates")
CACHE = Path(os.environ.get("EDGE_DEBROOT_CACHE", Path.home() / ".cache" / "edge-node" / "debroot"))
MOUNTS = ("proc", "sys", "dev", "dev/pts")


def host_arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def cached_tarball(arch: str | None = None) -> Path:
    """The tarball of a minimal Debian root for `arch`, made with debootstrap on first use."""
    arch = arch or host_arch()
    tarball = CACHE / f"{SUITE}-{arch}-{'-'.join(INCLUDE)}.tar"
    if tarball.exists():
        return tarball
    CACHE.mkdir(parents=True, exist_ok=True)
    work = CACHE / f"build-{arch}"
    _remove(work)
    subprocess.run(["debootstrap", "--variant=minbase", f"--arch={arch}", f"--include={','.join(INCLUDE)}",
                    SUITE, str(work), MIRROR], check=True, stdout=subprocess.DEVNULL, timeout=1800)
    partial = tarball.with_suffix(".partial")
    subprocess.run(["tar", "-C", str(work), "-cf", str(partial), "."], check=True, timeout=600)
    partial.rename(tarball)
    _remove(work)
    return tarball


def _remove(work: Path) -> None:
    """Delete a build directory, first unmounting what a failed debootstrap may have left mounted in it."""
    for name in ("dev/pts", "dev", "sys", "proc"):
        if os.path.ismount(work / name):
            subprocess.run(["umount", "--lazy", str(work / name)], check=False, timeout=30)
    if not any(os.path.ismount(work / name) for name in ("dev/pts", "dev", "sys", "proc")):
        shutil.rmtree(work, ignore_errors=True)


# Where the host's CA bundle is copied, if the host names one (PIP_CERT / SSL_CERT_FILE).
HOST_CA = "/etc/ssl/host-ca.crt"


def download_caches(arch: str) -> dict[str, Path]:
    """Caches kept between runs and bound into a root of `arch` (apt's packages), one per architecture so
    roots of two architectures can run at once."""
    return {"var/cache/apt/archives": CACHE / f"apt-archives-{arch}"}


@contextmanager
def debian_root(target: Path, arch: str | None = None) -> Iterator[Path]:
    """A fresh copy of the cached root at `target`, with the host's DNS, the kernel file systems and the
    download caches mounted; unmounted and removed afterwards (left in place if an unmount failed)."""
    target.mkdir(parents=True)
    subprocess.run(["tar", "-C", str(target), "-xf", str(cached_tarball(arch))], check=True, timeout=600)
    shutil.copy("/etc/resolv.conf", target / "etc" / "resolv.conf")
    host_ca = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    if host_ca and Path(host_ca).is_file():  # this machine's trust store, for pip behind a TLS proxy
        shutil.copy(host_ca, target / HOST_CA.lstrip("/"))
    # The root itself first: a mount point, as / is on a real machine (`unshare --mount` and `ip netns exec`
    # change the propagation of /, which fails in a chroot whose / is a plain directory).
    binds = [(target, target)] + [(Path(f"/{name}"), target / name) for name in MOUNTS]
    binds += [(cache, target / inside) for inside, cache in download_caches(arch or host_arch()).items()]
    mounted: list[Path] = []
    try:
        for source, point in binds:
            source.mkdir(parents=True, exist_ok=True)
            point.mkdir(parents=True, exist_ok=True)
            subprocess.run(["mount", "--bind", str(source), str(point)], check=True, timeout=30)
            mounted.append(point)
        yield target
    finally:
        for point in reversed(mounted):
            subprocess.run(["umount", "--lazy", str(point)], check=False, timeout=30)
        if not any(os.path.ismount(point) for point in mounted):  # never delete through a live bind mount
            shutil.rmtree(target, ignore_errors=True)


def chroot(root: Path, *argv: str, timeout: float = 900, env: dict[str, str] | None = None,
           merge_output: bool = False) -> subprocess.CompletedProcess:
    """Run argv inside the root with a clean environment (nothing of this machine's pip or venv settings);
    with `merge_output`, stderr goes into stdout in the order written."""
    clean = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
             "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive", **(env or {})}
    if (root / HOST_CA.lstrip("/")).is_file():
        clean["PIP_CERT"] = HOST_CA
        clean["NODE_EXTRA_CA_CERTS"] = HOST_CA  # npm
    return subprocess.run(["chroot", str(root), *argv], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merge_output else subprocess.PIPE, text=True,
                          timeout=timeout, env=clean)
