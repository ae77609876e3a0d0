"""What a scan becomes, decided from the person's shift day (pure: no storage, no clock)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from edge_node.attendance.model import Anomaly, AnomalyKind, EventType, Person
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.timecard import ShiftDay


# A kiosk at a door (box_mode "entry" or "exit") records the door's direction and never refuses a scan: what
# this box knows of the site may be behind (the other box's punch has not reached it, or the hub is out of
# reach), and the site's timecards pair every box's punches by time once they meet. The reason says when the
# box's knowledge disagreed, for the audit trail.
NO_ENTRY_KNOWN_REASON = "no entry of this shift day known here yet: recorded as an exit"
NO_EXIT_KNOWN_REASON = "no exit since the last entry known here yet: recorded as an entry"


@dataclass(frozen=True)
class ScanDecision:
    """Outcome of the rules for one scan, before it is stored."""

    event_type: EventType
    reason: str = ""
    anomalies: tuple[Anomaly, ...] = ()


def reject(person: Person | None, person_id: str) -> ScanDecision:
    if person is None:
        return ScanDecision(EventType.REJECTED, f"unknown person id {person_id!r}: add the person with UpsertPerson first")
    return ScanDecision(EventType.REJECTED, f"person {person_id!r} is inactive")


def decide_scan(rules: AttendanceRules, sd: ShiftDay, at: datetime, punches_before: int, scans_before: int,
                last_seen_at: datetime | None) -> ScanDecision:
    """Cooldown (the minimum stay, across midnight), ENTRY/EXIT by the punches of the shift day, anomaly flags.

    `punches_before` and `scans_before` count the person's effective punches (at every box of the site this
    box knows of) and scans of the same shift day before `at`; `last_seen_at` is their last scan (a duplicate
    too) at any date, at this box.
    """
    anomalies = flag_anomalies(rules, sd, at, scans_today=scans_before + 1)
    if last_seen_at is not None:
        elapsed = (at - last_seen_at).total_seconds()
        if elapsed < rules.cooldown_seconds:
            return ScanDecision(
                EventType.DUPLICATE,
                f"within the {rules.cooldown_seconds} s cooldown ({max(elapsed, 0):.0f} s since the person was last seen)",
                anomalies)
    is_in = punches_before % 2 == 1
    if rules.box_mode == "entry":
        return ScanDecision(EventType.ENTRY, NO_EXIT_KNOWN_REASON if is_in else "", anomalies)
    if rules.box_mode == "exit":
        return ScanDecision(EventType.EXIT, "" if is_in else NO_ENTRY_KNOWN_REASON, anomalies)
    return ScanDecision(EventType.EXIT if is_in else EventType.ENTRY, "", anomalies)


def flag_anomalies(rules: AttendanceRules, sd: ShiftDay, at: datetime, scans_today: int) -> tuple[Anomaly, ...]:
    """Anomalies of a scan at `at`, the person's `scans_today`-th scan of shift day `sd`.

    AFTER_HOURS and WEEKEND are for the untracked default shift and days off; a tracked shift reports
    LATE, EARLY_LEAVE and OVERTIME on its timecard instead."""
    zone = sd.pay.zone  # the shift day's own pay rules: its time zone and weekend rule
    local = at.astimezone(zone)
    flags: list[Anomaly] = []
    if sd.scheduled:
        return _excessive(rules, scans_today)
    if not sd.start <= at < sd.end:
        flags.append(Anomaly(AnomalyKind.AFTER_HOURS, f"{local:%H:%M} is outside the hours of shift "
                             f"{sd.shift.name!r} {sd.start.astimezone(zone):%H:%M}-{sd.end.astimezone(zone):%H:%M}"))
    if not sd.pay.weekend_allowed and sd.day.isoweekday() in sd.pay.weekend_days:
        flags.append(Anomaly(AnomalyKind.WEEKEND, f"{sd.day:%A} is a weekend day and weekend attendance is not allowed"))
    return (*flags, *_excessive(rules, scans_today))


def _excessive(rules: AttendanceRules, scans_today: int) -> tuple[Anomaly, ...]:
    if scans_today <= rules.max_daily_scans:
        return ()
    return (Anomaly(AnomalyKind.EXCESSIVE_SCANS, f"scan {scans_today} today exceeds the limit of {rules.max_daily_scans}"),)
