"""The check-in flow: from a camera's frames to a recognition decision, a punch and the feedback at the kiosk."""
