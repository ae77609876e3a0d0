"""Generated from protos/ by scripts/gen_protos; do not edit."""
