"""The load during power cuts: a node's attendance store recording scans as fast as it can.

Prints `ready`, then one line `ACK <marker>` after each scan is acknowledged (record_scan returned), where
the marker is the scan's unique camera_id, until it is killed.

  python -m tools.powercut.workload DB_PATH SYNCHRONOUS CUT_NUMBER
"""
from __future__ import annotations

import sys
from pathlib import Path

from edge_node.attendance.store import AttendanceStore

PERSONS = [f"p{i}" for i in range(10)]


def main(argv: list[str]) -> int:
    path, synchronous, cut = Path(argv[0]), argv[1], argv[2]
    store = AttendanceStore.open(path, synchronous=synchronous)
    for person_id in PERSONS:
        if store.persons.find(person_id) is None:
            store.persons.upsert(person_id, person_id.upper())
    print("ready", flush=True)
    n = 0
    while True:
        marker = f"c{cut}-{n}"
        store.log.record_scan(PERSONS[n % len(PERSONS)], 0.9, marker)
        print(f"ACK {marker}", flush=True)
        n += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
