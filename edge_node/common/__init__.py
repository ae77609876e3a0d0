"""Cross-cutting pieces every part may use: errors, clock, event broadcaster, shared validation."""
