"""A camera simulator speaking exactly the firmware's protocol (demo, tests, benchmark)."""
