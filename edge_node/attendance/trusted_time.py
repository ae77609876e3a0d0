"""Trusted time without a real-time clock: know whether the clock is synchronised, and never let a
punch go back in time silently.

A Raspberry Pi has no RTC: after a power cut offline, its clock starts wherever fake-hwclock left
it, and NTP may step it later. The floor is the time of the last live event (one this box stamped
itself; a correction's chosen time is not a floor). A clock found below the floor is not trusted:
punches continue from the floor on the monotonic clock (which a wall-clock step does not move) and
are flagged CLOCK_BACKWARDS. The floor holds only until the wall clock passes it: once the wall
clock is at or above the latest stored live event, punches take the wall clock again, so a floor
that was itself ahead (an event stamped by a clock that ran fast) costs minutes, not days.
"""
from __future__ import annotations

import ctypes
import functools
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from edge_node.attendance.model import Anomaly, AnomalyKind
from edge_node.common.clock import Clock

# A clock this far below the floor is a jump, not jitter between two threads' reads.
BACKWARDS_TOLERANCE = timedelta(seconds=2)
SYNC_PROBE_SECONDS = 10.0
_TIME_ERROR = 5  # adjtimex(2): the clock is not synchronised


@functools.lru_cache(maxsize=1)
def _adjtimex() -> Callable[[ctypes.Array], int] | None:
    """libc's adjtimex from the symbols already loaded in this process (no library search, no subprocess)."""
    try:
        return ctypes.CDLL(None, use_errno=True).adjtimex
    except (OSError, AttributeError):
        return None


def kernel_clock_synchronised() -> bool | None:
    """What the kernel says (adjtimex): True when NTP (timesyncd, chrony, ntpd) keeps the clock in sync,
    False when it does not, None when the call is unavailable."""
    adjtimex = _adjtimex()
    if adjtimex is None:
        return None
    state = adjtimex(ctypes.create_string_buffer(512))  # struct timex with modes = 0: read only
    return None if state < 0 else state != _TIME_ERROR


@dataclass(frozen=True)
class ClockState:
    synchronised: bool | None
    # Set while punches are held on the monotonic clock above a wall clock that went back.
    held_since: datetime | None
    behind_seconds: float


class TrustedTime:
    """The time to stamp a punch with, and the anomalies that come with it."""

    def __init__(self, clock: Clock, monotonic: Callable[[], float] = time.monotonic,
                 synchronised: Callable[[], bool | None] = kernel_clock_synchronised) -> None:
        self._clock = clock
        self._monotonic = monotonic
        self._probe = synchronised
        self._lock = threading.Lock()
        self._anchor: tuple[datetime, float] | None = None  # (floor, monotonic then)
        self._held_since: datetime | None = None
        self._behind = 0.0
        self._synced: bool | None = None
        self._probed_at = float("-inf")

    def now(self, floor: datetime | None) -> tuple[datetime, tuple[Anomaly, ...]]:
        """The punch time for a scan now, given the floor: the time of the last live event stored."""
        wall = self._clock.now()
        flags: list[Anomaly] = []
        with self._lock:
            if floor is None or wall >= floor - BACKWARDS_TOLERANCE:
                self._anchor = self._held_since = None  # the wall clock passed the floor: it is trusted again
                self._behind = 0.0
            else:
                if self._anchor is None:
                    self._anchor, self._held_since = (floor, self._monotonic()), wall
                held = max(floor, self._anchor[0] + timedelta(seconds=self._monotonic() - self._anchor[1]))
                self._behind = (held - wall).total_seconds()
                flags.append(Anomaly(AnomalyKind.CLOCK_BACKWARDS,
                                     f"the node clock went back ({wall:%Y-%m-%d %H:%M:%S} UTC is {self._behind:.0f} s "
                                     "before the last stored event); time continued from that event"))
                wall = held
            if self.synchronised() is False:
                flags.append(Anomaly(AnomalyKind.CLOCK_UNSYNCED,
                                     "the node clock is not synchronised (no NTP); this time may be wrong"))
        return wall, tuple(flags)

    def synchronised(self) -> bool | None:
        now = self._monotonic()
        if now - self._probed_at >= SYNC_PROBE_SECONDS:
            self._synced, self._probed_at = self._probe(), now
        return self._synced

    def state(self) -> ClockState:
        with self._lock:
            return ClockState(self.synchronised(), self._held_since, self._behind)
