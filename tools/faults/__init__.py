"""Fault-injection helpers shared by scripts/fault_*, scripts/fuzz_rpc, scripts/soak and tests/faults."""
