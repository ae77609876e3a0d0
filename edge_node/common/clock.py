"""Time source abstraction so rules and tests never depend on the wall clock directly."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The host's real-time clock."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)
