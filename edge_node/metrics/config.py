"""[metrics] configuration: the Prometheus text endpoint, off by default."""
from __future__ import annotations

from dataclasses import dataclass

from edge_node.common.addresses import check_listen


@dataclass(frozen=True)
class MetricsConfig:
    enabled: bool = False
    # HOST:PORT serving GET /metrics; loopback unless a Prometheus on the LAN scrapes the box.
    listen: str = "127.0.0.1:9108"

    def validate(self) -> None:
        check_listen("metrics.listen", self.listen)
