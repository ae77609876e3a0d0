"""The hub: receives every node's events exactly once and distributes the roster, on PostgreSQL."""
