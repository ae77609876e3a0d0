"""The attendance rules: pure functions over a person's recent events, no storage, no clock."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from edge_node.common.errors import InvalidArgument


def system_time_zone() -> str:
    """The host's IANA time zone name (TZ, /etc/timezone, /etc/localtime), or UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.exists():
        candidates.append(timezone_file.read_text().strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name and _is_zone(name):
            return name
    return "UTC"


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


BOX_MODES = ("both", "entry", "exit")


@dataclass(frozen=True)
class AttendanceRules:
    """Business rules of the site; every value is validated by `validate()`."""

    time_zone: str = field(default_factory=system_time_zone)
    cooldown_seconds: int = 60
    work_start_hour: int = 6
    work_end_hour: int = 22
    lunch_start_hour: int = 12
    lunch_end_hour: int = 14
    lunch_minutes: int = 60
    min_hours_full_day: float = 6.0
    weekend_allowed: bool = False
    weekend_days: tuple[int, ...] = (6, 7)
    max_daily_scans: int = 10
    # "both": scans alternate IN and OUT; "entry" or "exit": a door with a kiosk on each side.
    box_mode: str = "both"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def validate(self) -> "AttendanceRules":
        """Raise InvalidArgument naming the first field that breaks its rule; return self."""
        if not isinstance(self.time_zone, str) or not _is_zone(self.time_zone):
            raise InvalidArgument(f"time_zone: {self.time_zone!r} is not an IANA time zone name such as 'Europe/Berlin'")
        _check_range("cooldown_seconds", self.cooldown_seconds, 1, 86400)
        _check_range("work_start_hour", self.work_start_hour, 0, 23)
        _check_range("work_end_hour", self.work_end_hour, 1, 24)
        if self.work_end_hour <= self.work_start_hour:
            raise InvalidArgument(f"work_end_hour ({self.work_end_hour}) must be after work_start_hour ({self.work_start_hour})")
        _check_range("lunch_start_hour", self.lunch_start_hour, 0, 23)
        _check_range("lunch_end_hour", self.lunch_end_hour, 1, 24)
        if self.lunch_end_hour <= self.lunch_start_hour:
            raise InvalidArgument(f"lunch_end_hour ({self.lunch_end_hour}) must be after lunch_start_hour ({self.lunch_start_hour})")
        _check_range("lunch_minutes", self.lunch_minutes, 0, 600)
        _check_range("min_hours_full_day", self.min_hours_full_day, 0, 24)
        if not all(isinstance(d, int) and 1 <= d <= 7 for d in self.weekend_days) or len(set(self.weekend_days)) != len(self.weekend_days):
            raise InvalidArgument(f"weekend_days: {list(self.weekend_days)} must be distinct ISO weekdays 1 (Monday) to 7 (Sunday)")
        _check_range("max_daily_scans", self.max_daily_scans, 1, 1000)
        if self.box_mode not in BOX_MODES:
            raise InvalidArgument(f"box_mode must be one of {', '.join(BOX_MODES)} (got {self.box_mode!r})")
        return self

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @property
    def pay(self) -> "PayRules":
        """The settings that change pay, as a schedule version keeps them."""
        return PayRules(**{name: getattr(self, name) for name in PAY_FIELDS})


# The settings that change what a timecard says: a change to any of them is a new schedule version.
PAY_FIELDS = ("time_zone", "work_start_hour", "work_end_hour", "lunch_start_hour", "lunch_end_hour", "lunch_minutes",
              "min_hours_full_day", "weekend_allowed", "weekend_days")


@dataclass(frozen=True)
class PayRules:
    """The pay-relevant settings in force on a day, kept in each schedule version (so a settings change
    never rewrites the past): the time zone, the default shift's hours and lunch rule, the full-day
    minimum, and the weekend rule."""

    time_zone: str
    work_start_hour: int
    work_end_hour: int
    lunch_start_hour: int
    lunch_end_hour: int
    lunch_minutes: int
    min_hours_full_day: float
    weekend_allowed: bool
    weekend_days: tuple[int, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def as_dict(self) -> dict:
        return {name: list(v) if isinstance(v := getattr(self, name), tuple) else v for name in PAY_FIELDS}

    @classmethod
    def from_dict(cls, data: dict) -> "PayRules":
        """The inverse of `as_dict`, checked by the same rules as the settings; bad input is InvalidArgument."""
        missing = [name for name in PAY_FIELDS if name not in data]
        if missing or set(data) - set(PAY_FIELDS):
            raise InvalidArgument(f"pay rules need exactly the fields {', '.join(PAY_FIELDS)} (missing {missing})")
        try:
            return AttendanceRules(**{**data, "weekend_days": tuple(data["weekend_days"])}).validate().pay
        except InvalidArgument as exc:
            raise InvalidArgument(f"pay rules: {exc}") from None


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InvalidArgument(f"{name} must be between {low} and {high} (got {value!r})")


def local_day_bounds(rules: AttendanceRules, day: date) -> tuple[datetime, datetime]:
    """UTC start and end of a local date (23 or 25 h long on DST change days)."""
    start = datetime.combine(day, time(0), tzinfo=rules.zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=rules.zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def local_date_of(rules: AttendanceRules, at: datetime) -> date:
    """The site-local calendar date of an instant."""
    return at.astimezone(rules.zone).date()
