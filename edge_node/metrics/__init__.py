"""Prometheus text metrics of a node (off by default; `[metrics] enabled = true`)."""
