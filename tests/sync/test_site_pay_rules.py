"""The hub computes a box's days with the box's own pay rules (from its schedule versions and the rules it kept for
the days before them) and employment periods, never with defaults of its own: the same card on the box and on
the hub."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import grpc

from edge_node.attendance.model import Employment
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from tests.conftest import LiveNode, node_config
from tests.sync.test_protocol import status_of
from tests.sync.test_roster import sync_config
from tests.sync.test_site_presence import cards, punched, sync
from tools.manual_clock import ManualClock

BERLIN = ZoneInfo("Europe/Berlin")
FIRST, LAST = date(2026, 11, 16), date(2026, 11, 29)


def berlin(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=BERLIN)


def test_a_box_with_its_own_settings_and_a_change_mid_month_gives_the_same_cards_on_the_hub(hub, tmp_path):
    clock = ManualClock(berlin(21, 15))
    config = node_config(tmp_path / "box", time_zone="Europe/Berlin", weekend_allowed=True, min_hours_full_day=5.0,
                         lunch_minutes=30)
    live = LiveNode(replace(config, sync=sync_config(hub, "box"), recognition=replace(config.recognition,
                                                                                      enabled=False)), clock)
    try:
        store = live.node.store
        store.persons.upsert("ann", "Ann", employment=Employment(date(2026, 11, 18), date(2026, 11, 27)))
        for hour in (8, 14):  # Saturday the 21st: 6 h, 30 min of lunch (the box's own rule) deducted
            store.log.record_scan("ann", 0.9, "door", occurred_at=berlin(21, hour))

        def hub_site(**request) -> pb.GetTimecardsResponse:
            return hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date=FIRST.isoformat(), to_date=LAST.isoformat(),
                                                                **request), metadata=hub.auth)
        code, details = status_of(hub_site)  # the box has not synced: the hub knows none of its rules
        assert code is grpc.StatusCode.INVALID_ARGUMENT and "time_zone is required" in details

        clock.set(berlin(24, 12))  # from the 25th on, 45 min of lunch
        assert store.set_rules(replace(store.get_rules(), lunch_minutes=45), "hr", date(2026, 11, 25)) is not None
        clock.set(berlin(26, 15))
        for hour in (8, 14):  # Thursday the 26th: 6 h less 45 min
            store.log.record_scan("ann", 0.9, "door", occurred_at=berlin(26, hour))
        clock.set(berlin(30, 12))
        sync(live)

        site = hub_site()  # no time zone given: each day's comes from the box's rules
        assert site.time_zone == "Europe/Berlin"
        days = {d.date: d for d in site.timecards[0].days}
        saturday, thursday = days["2026-11-21"], days["2026-11-26"]
        assert (saturday.paid_hours, saturday.status) == (5.5, apb.DAY_STATUS_PRESENT)  # 6 h - 0.5 h >= 5 h
        assert apb.ANOMALY_KIND_WEEKEND not in saturday.flags  # weekend work is allowed on this box
        assert (thursday.paid_hours, thursday.status) == (5.25, apb.DAY_STATUS_PRESENT)  # 6 h - 0.75 h
        assert [days[f"2026-11-{d}"].status for d in (17, 19, 28)] == [  # employed from the 18th to the 27th
            apb.DAY_STATUS_NOT_EMPLOYED, apb.DAY_STATUS_ABSENT, apb.DAY_STATUS_NOT_EMPLOYED]
        assert punched(cards(live, FIRST, LAST)) == punched(list(site.timecards))
        # A time zone given for older boxes changes nothing for a box that sent its rules.
        assert punched(list(hub_site(time_zone="America/New_York").timecards)) == punched(list(site.timecards))
    finally:
        live.stop()
