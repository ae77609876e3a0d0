"""Test and benchmark tooling (never shipped inside the edge_node package)."""
