"""Start the metrics endpoint of a node when `[metrics] enabled`; it renders one status snapshot per scrape."""
from __future__ import annotations

import logging

from edge_node.metrics.config import MetricsConfig
from edge_node.metrics.counters import EventCounter
from edge_node.metrics.exposition import render
from edge_node.metrics.scrape_server import MetricsServer
from edge_node.node import Node
from edge_node.status.collect import StatusCollector

log = logging.getLogger(__name__)


def start_metrics(node: Node, config: MetricsConfig) -> MetricsServer | None:
    """The running endpoint, or None when disabled or its port cannot be bound (logged)."""
    if not config.enabled:
        return None
    counter = EventCounter(node.store.events)
    collector = StatusCollector(node)
    try:
        server = MetricsServer(config.listen, lambda: render(collector.snapshot(), counter.snapshot()))
    except OSError as exc:
        log.error("metrics not served: cannot listen on %s: %s", config.listen, exc)
        return None
    server.start()
    log.info("Prometheus metrics on http://%s:%d/metrics", config.listen.rpartition(":")[0], server.port)
    return server
