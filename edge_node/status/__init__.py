"""What the node reports about itself (monitor, scripts): plain Python, no gRPC."""
