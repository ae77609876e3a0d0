"""Domain records as protobuf messages where both the node's servicers and the hub need them."""
