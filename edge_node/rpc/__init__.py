"""gRPC plumbing shared by the node server and the hub: binding, health, reflection, the auth guard."""
