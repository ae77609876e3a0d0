"""edge-node: offline face-recognition attendance appliance."""
