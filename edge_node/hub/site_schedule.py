"""One schedule history for a site, made from the versions its boxes sent.

The rule: a day takes the version with the latest effective date among all the site's boxes; of versions
with the same date, the one recorded last (then by node id and version number, so the answer never
depends on the order of rows). Boxes that never sent a version take no part. When the versions the boxes
themselves have in force on a day differ, that is a conflict: it is named once for each day in the
period where one of them starts, with the version used, so an admin can set the same schedule on every box.
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

from edge_node.attendance.rules import PayRules
from edge_node.attendance.schedule_history import ScheduleHistory, ScheduleVersion, schedule_digest


def site_history(versions: Sequence[ScheduleVersion], fallback: PayRules, first: date,
                 last: date) -> tuple[ScheduleHistory, list[str]]:
    """The site's history and the conflicts between its boxes from `first` to `last`; `fallback` is the pay
    rules of the days before every version."""
    ordered = sorted(versions, key=lambda v: (v.recorded_at, v.source, v.version))
    site = ScheduleHistory(ordered, fallback)
    boxes: dict[str, list[ScheduleVersion]] = {}
    for v in ordered:
        boxes.setdefault(v.source, []).append(v)
    own = {box: ScheduleHistory(box_versions, fallback) for box, box_versions in boxes.items()}
    starts = sorted({first, *(v.effective_from for v in ordered if first < v.effective_from <= last)})
    conflicts = []
    for day in starts:
        in_force = {box: h.version_at(day) for box, h in own.items()}
        present = {box: v for box, v in in_force.items() if v is not None}
        if len({schedule_digest(v.schedule) for v in present.values()}) < 2:
            continue
        used = site.version_at(day)
        assert used is not None  # some box has a version in force
        each = ", ".join(f"{box} version {v.version} from {v.effective_from}" for box, v in sorted(present.items()))
        conflicts.append(f"{day}: the boxes' schedules differ ({each}); used {used.source} version {used.version}")
    return site, conflicts
