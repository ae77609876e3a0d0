"""The host's vital signs from /proc and /sys: CPU, memory, disk, load and SoC temperature."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HostStatus:
    cpu_percent: float
    memory_used_bytes: int
    memory_total_bytes: int
    disk_used_bytes: int
    disk_total_bytes: int
    load_average_1m: float
    # None where the board has no thermal sensor (most containers and x86 VMs).
    soc_temperature_celsius: float | None


class HostSampler:
    """Samples the host; CPU is the busy share since the previous sample (since boot on the first)."""

    def __init__(self, disk_path: Path, proc: Path = Path("/proc"), thermal: Path = Path("/sys/class/thermal")) -> None:
        self._disk_path = disk_path
        self._proc = proc
        self._thermal = thermal
        self._last_cpu = (0, 0)

    def sample(self) -> HostStatus:
        total, available = _meminfo(self._proc / "meminfo")
        disk = shutil.disk_usage(self._disk_path)
        return HostStatus(self._cpu_percent(), total - available, total, disk.used, disk.total,
                          os.getloadavg()[0], soc_temperature(self._thermal))

    def _cpu_percent(self) -> float:
        busy, total = _cpu_times(self._proc / "stat")
        last_busy, last_total = self._last_cpu
        self._last_cpu = (busy, total)
        elapsed = total - last_total
        return 100.0 * (busy - last_busy) / elapsed if elapsed > 0 else 0.0


def _cpu_times(path: Path) -> tuple[int, int]:
    """(busy, total) jiffies of all cores; idle and iowait count as not busy."""
    fields = [int(v) for v in path.read_text().splitlines()[0].split()[1:]]
    total = sum(fields[:8])
    return total - fields[3] - fields[4], total


def _meminfo(path: Path) -> tuple[int, int]:
    """(total, available) bytes."""
    values = {}
    for line in path.read_text().splitlines():
        key, _, rest = line.partition(":")
        values[key] = int(rest.split()[0]) * 1024
    return values["MemTotal"], values.get("MemAvailable", values.get("MemFree", 0))


def soc_temperature(thermal: Path) -> float | None:
    """Degrees Celsius of the CPU/SoC zone (else the first readable zone), or None without one."""
    zones = sorted(thermal.glob("thermal_zone*"))
    preferred = [z for z in zones if any(k in _read(z / "type").lower() for k in ("cpu", "soc"))]
    for zone in preferred + zones:
        raw = _read(zone / "temp")
        if raw.lstrip("-").isdigit():
            return int(raw) / 1000.0
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""
