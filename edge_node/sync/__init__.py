"""Node-side sync with the hub: event outbox up, roster changes both ways, status for the monitor."""
