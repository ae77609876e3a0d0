"""What a long-running server process (the node's `serve`, the hub) needs around it: free ports before start,
systemd's notify protocol and signals."""
