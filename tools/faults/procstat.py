"""Resource figures of a process from /proc: resident memory, open file descriptors, threads."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ProcStat:
    rss_kib: int
    fds: int
    threads: int


def proc_stat(pid: int) -> ProcStat:
    """Current RSS (KiB), number of open fds and of threads of `pid`."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return ProcStat(int(fields["VmRSS"][0]), len(os.listdir(f"/proc/{pid}/fd")), int(fields["Threads"][0]))
